import { githubAuthApiRef } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  LIVE_APPROVALS_CHANNEL,
  RunDecidedMessage,
} from '@internal/plugin-lexecon-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeApprovalsApi,
  httpError,
  inbox,
  ledgerBlocked,
  paymentsWaiting,
} from '../../__fixtures__/approvals';
import {
  commentBox,
  openDecision,
  writeComment,
} from '../../__testUtils__/decisions';
import { renderWithLexecon } from '../../__testUtils__/render';
import { FakeSignalApi } from '../../__testUtils__/signals';
import { LIVE_REFETCH_DEBOUNCE_MS } from '../shared/useLiveRefetch';
import { ApprovalsPage } from './ApprovalsPage';

const COMMENT = 'Staging soaked overnight; readiness 92';

const decided = (
  runId: number,
  decision: RunDecidedMessage['decision'] = 'approved',
): RunDecidedMessage => ({
  kind: 'run-decided',
  entityRef: paymentsWaiting.entityRef,
  runId,
  environment: 'production',
  decision,
});

async function renderPage(
  api: FakeApprovalsApi,
  signals = new FakeSignalApi(),
) {
  await renderWithLexecon(<ApprovalsPage />, api, undefined, [
    [signalApiRef, signals],
    [githubAuthApiRef, { getAccessToken: async () => 'gho_alex_token' }],
  ]);
  return signals;
}

describe('the approvals inbox, live', () => {
  afterEach(() => jest.useRealTimers());

  it('loads the inbox and the audit trail again once per burst of signals, and shows the new waiting run without a reload', async () => {
    let items = [paymentsWaiting];
    const api = new FakeApprovalsApi();
    const getInbox = jest
      .spyOn(api, 'getApprovalsInbox')
      .mockImplementation(async () => inbox(items));
    const getAudit = jest.spyOn(api, 'getAudit');
    const signals = await renderPage(api);
    await screen.findByTestId('approval-item-9015');
    expect(getInbox).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(getAudit).toHaveBeenCalledTimes(1));

    jest.useFakeTimers();
    items = [paymentsWaiting, ledgerBlocked];
    signals.publish(LIVE_APPROVALS_CHANNEL, {
      kind: 'waiting-runs-changed',
      entityRef: ledgerBlocked.entityRef,
      stoppedWaiting: [],
    });
    act(() => jest.advanceTimersByTime(LIVE_REFETCH_DEBOUNCE_MS - 100));
    // A second signal within the burst (a decision) postpones the one load.
    signals.publish(LIVE_APPROVALS_CHANNEL, decided(9001));
    act(() => jest.advanceTimersByTime(LIVE_REFETCH_DEBOUNCE_MS - 100));
    expect(getInbox).toHaveBeenCalledTimes(1);
    act(() => jest.advanceTimersByTime(100));

    expect(
      await screen.findByTestId(`approval-item-${ledgerBlocked.runId}`),
    ).toBeInTheDocument();
    expect(getInbox).toHaveBeenCalledTimes(2);
    expect(getAudit).toHaveBeenCalledTimes(2);
  });

  it('tells the person in the dialog that the run was decided elsewhere, keeps the comment and sends nothing', async () => {
    const api = new FakeApprovalsApi();
    const decide = jest.spyOn(api, 'decide');
    const signals = await renderPage(api);
    const dialog = await openDecision(9015, 'approve-button');
    await writeComment(dialog, COMMENT);

    // Another run's decision is not this one's.
    signals.publish(LIVE_APPROVALS_CHANNEL, decided(9016));
    expect(
      within(dialog).queryByTestId('decided-elsewhere'),
    ).not.toBeInTheDocument();

    signals.publish(LIVE_APPROVALS_CHANNEL, decided(9015, 'rejected'));
    const notice = await within(dialog).findByTestId('decided-elsewhere');
    expect(notice).toHaveTextContent(
      'Decided elsewhereSomeone else rejected v1.8.0 for production while this dialog was open. Nothing was sent; your comment is kept below.',
    );
    expect(commentBox(dialog)).toHaveValue(COMMENT);
    expect(within(dialog).getByTestId('confirm-decision')).toBeDisabled();
    expect(decide).not.toHaveBeenCalled();
  });

  it('says so as well when GitHub stopped listing the run (decided in GitHub, expired)', async () => {
    const signals = await renderPage(new FakeApprovalsApi());
    const dialog = await openDecision(9015, 'reject-button');
    await writeComment(dialog, COMMENT);

    signals.publish(LIVE_APPROVALS_CHANNEL, {
      kind: 'waiting-runs-changed',
      entityRef: paymentsWaiting.entityRef,
      stoppedWaiting: [{ runId: 9015, environment: 'production' }],
    });
    expect(
      await within(dialog).findByTestId('decided-elsewhere'),
    ).toHaveTextContent(
      'v1.8.0 for production is no longer waiting for approval: it was decided or cancelled elsewhere',
    );
    expect(commentBox(dialog)).toHaveValue(COMMENT);
    expect(within(dialog).getByTestId('confirm-decision')).toBeDisabled();
  });

  it('does not take the signal of the person’s own decision, arriving before its answer, for someone else’s', async () => {
    const api = new FakeApprovalsApi();
    const signals = new FakeSignalApi();
    const gatewayTimeout = await httpError(
      504,
      'GatewayTimeout',
      'GitHub did not answer in time',
    );
    // Their decision was recorded (its signal went out), but its answer was lost on the way.
    jest.spyOn(api, 'decide').mockImplementation(async request => {
      signals.publish(LIVE_APPROVALS_CHANNEL, decided(request.runId));
      throw gatewayTimeout;
    });
    await renderPage(api, signals);
    const dialog = await openDecision(9015, 'approve-button');
    await writeComment(dialog, COMMENT);
    await userEvent.click(within(dialog).getByTestId('confirm-decision'));

    expect(
      await within(dialog).findByTestId('decision-error'),
    ).toHaveTextContent('GitHub did not answer in time');
    expect(
      within(dialog).queryByTestId('decided-elsewhere'),
    ).not.toBeInTheDocument();
  });
});
