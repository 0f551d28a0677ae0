import { githubAuthApiRef } from '@backstage/core-plugin-api';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeApprovalsApi,
  httpError,
  inbox,
  decisionResult,
  ledgerBlocked,
  paymentsBelowGate,
  paymentsPortalGate,
  paymentsWaiting,
} from '../../__fixtures__/approvals';
import { minutesAgo } from '../../__fixtures__/deployments';
import {
  commentBox,
  confirmDecision,
  openDecision,
  writeComment,
} from '../../__testUtils__/decisions';
import { renderWithLexecon } from '../../__testUtils__/render';
import { ApprovalsPage } from './ApprovalsPage';

function fakeGithubAuth(token: string | Error = 'gho_jordan_token') {
  return {
    getAccessToken: jest.fn(async () => {
      if (token instanceof Error) throw token;
      return token;
    }),
  };
}

async function renderPage(
  api: FakeApprovalsApi,
  githubAuth = fakeGithubAuth(),
) {
  await renderWithLexecon(<ApprovalsPage />, api, undefined, [
    [githubAuthApiRef, githubAuth],
  ]);
  return githubAuth;
}

describe('DecisionDialog', () => {
  it('requires a comment, names environment and version, and sends the GitHub token', async () => {
    const api = new FakeApprovalsApi();
    const decide = jest.spyOn(api, 'decide');
    const getInbox = jest.spyOn(api, 'getApprovalsInbox');
    const githubAuth = await renderPage(api);

    const dialog = await openDecision(9015, 'approve-button');
    expect(
      within(dialog).getByRole('heading', {
        name: 'Approve v1.8.0 for production?',
      }),
    ).toBeInTheDocument();
    // Signed in with GitHub already: nothing to connect.
    await waitFor(() =>
      expect(githubAuth.getAccessToken).toHaveBeenCalledWith(['repo'], {
        optional: true,
      }),
    );
    expect(
      within(dialog).queryByTestId('connect-github'),
    ).not.toBeInTheDocument();
    const confirm = within(dialog).getByTestId('confirm-decision');
    expect(confirm).toHaveTextContent('Approve v1.8.0');
    expect(confirm).toBeDisabled();

    // Blank comments do not count.
    await writeComment(dialog, '   ');
    expect(confirm).toBeDisabled();
    await writeComment(dialog, 'CHG-2001 approved by CAB');
    expect(confirm).toBeEnabled();
    expect(getInbox).toHaveBeenCalledTimes(1);

    await userEvent.click(confirm);

    expect(
      await within(dialog).findByTestId('decision-outcome'),
    ).toHaveTextContent('Approved v1.8.0 for production');
    expect(within(dialog).getByTestId('decision-outcome')).toHaveTextContent(
      'Recorded in the audit trail as entry #42, sent to GitHub as jordan-lee.',
    );
    expect(githubAuth.getAccessToken).toHaveBeenCalledWith(['repo'], undefined);
    expect(decide).toHaveBeenCalledWith({
      entityRef: {
        kind: 'component',
        namespace: 'default',
        name: 'payments-api',
      },
      runId: 9015,
      environment: 'production',
      body: {
        decision: 'approved',
        comment: 'CHG-2001 approved by CAB',
        expectedSha: paymentsWaiting.sha,
      },
      githubToken: 'gho_jordan_token',
    });
    // The inbox is loaded again after the decision.
    await waitFor(() => expect(getInbox).toHaveBeenCalledTimes(2));

    await userEvent.click(within(dialog).getByTestId('close-decision'));
    await waitFor(() =>
      expect(screen.queryByTestId('decision-dialog')).not.toBeInTheDocument(),
    );
  });

  it('sends no GitHub token in portal-gate mode, and shows the decision in the audit trail', async () => {
    const api = new FakeApprovalsApi({
      inbox: inbox([paymentsPortalGate, ledgerBlocked]),
    });
    const decide = jest.spyOn(api, 'decide');
    const getAudit = jest.spyOn(api, 'getAudit');
    const githubAuth = await renderPage(api);
    await waitFor(() => expect(getAudit).toHaveBeenCalledTimes(1));

    const dialog = await openDecision(9015, 'reject-button');
    expect(
      within(dialog).getByRole('heading', {
        name: 'Reject v1.8.0 for production?',
      }),
    ).toBeInTheDocument();
    await confirmDecision(dialog, 'Refund retries need a load test first');

    expect(
      await within(dialog).findByTestId('decision-outcome'),
    ).toHaveTextContent('Rejected v1.8.0 for production');
    expect(githubAuth.getAccessToken).not.toHaveBeenCalled();
    await waitFor(() => expect(getAudit).toHaveBeenCalledTimes(2));
    expect(decide).toHaveBeenCalledWith(
      expect.objectContaining({
        body: expect.objectContaining({ decision: 'rejected' }),
        githubToken: undefined,
      }),
    );
  });

  it('shows who decided first on a 409 and reloads the inbox', async () => {
    const conflict = await httpError(
      409,
      'ConflictError',
      'Run 9015 was already approved for production',
      {
        conflict: {
          reason: 'already-decided',
          decision: 'approved',
          decidedBy: 'user:default/alex-kim',
          decidedAt: minutesAgo(2),
        },
      },
    );
    const api = new FakeApprovalsApi({ decide: () => conflict });
    await renderPage(api);

    const dialog = await openDecision(9015, 'approve-button');
    await writeComment(dialog, 'Looks good');
    jest
      .spyOn(api, 'getApprovalsInbox')
      .mockResolvedValue(inbox([ledgerBlocked]));
    await userEvent.click(within(dialog).getByTestId('confirm-decision'));

    const message = await within(dialog).findByTestId('decision-conflict');
    expect(message).toHaveTextContent(
      'Run 9015 was already approved for production',
    );
    expect(message).toHaveTextContent(
      'Already approved by user:default/alex-kim 2 minutes ago.',
    );
    await waitFor(() =>
      expect(
        screen.queryByTestId('approval-item-9015'),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByTestId('approval-item-7203')).toBeInTheDocument();
  });

  it('shows other errors as the backend wrote them and lets the user try again', async () => {
    const forbidden = await httpError(
      403,
      'NotAllowedError',
      'GitHub says jordan-lee is not a required reviewer of production',
    );
    const api = new FakeApprovalsApi({ decide: () => forbidden });
    const decide = jest.spyOn(api, 'decide');
    await renderPage(api);

    const dialog = await openDecision(9015, 'approve-button');
    await confirmDecision(dialog, 'Ship it');

    expect(
      await within(dialog).findByTestId('decision-error'),
    ).toHaveTextContent(
      'Could not approve v1.8.0 for productionGitHub says jordan-lee is not a required reviewer of production',
    );
    // The comment is kept for another attempt.
    expect(commentBox(dialog)).toHaveValue('Ship it');
    expect(within(dialog).getByTestId('confirm-decision')).toBeEnabled();
    expect(decide).toHaveBeenCalledTimes(1);
  });

  it('asks someone without a GitHub session (company sign-in) to connect GitHub, and opens its consent on confirming', async () => {
    const api = new FakeApprovalsApi();
    const decide = jest.spyOn(api, 'decide');
    const githubAuth = fakeGithubAuth(
      new Error('Login failed, rejected by user'),
    );
    await renderPage(api, githubAuth);

    const dialog = await openDecision(9015, 'approve-button');
    expect(
      await within(dialog).findByTestId('connect-github'),
    ).toHaveTextContent(
      'Connect GitHub to approveproduction takes reviews from your GitHub account: confirming opens GitHub to connect it.',
    );
    await confirmDecision(dialog, 'CAB approved');

    expect(githubAuth.getAccessToken).toHaveBeenLastCalledWith(['repo'], {
      instantPopup: true,
    });
    expect(
      await within(dialog).findByText(/\(Login failed, rejected by user\)/),
    ).toBeInTheDocument();
    expect(decide).not.toHaveBeenCalled();

    githubAuth.getAccessToken.mockResolvedValue('gho_after_sign_in');
    await userEvent.click(within(dialog).getByTestId('github-sign-in'));

    expect(
      await within(dialog).findByTestId('decision-outcome'),
    ).toHaveTextContent('Approved v1.8.0 for production');
    expect(githubAuth.getAccessToken).toHaveBeenLastCalledWith(['repo'], {
      instantPopup: true,
    });
    expect(decide).toHaveBeenCalledWith(
      expect.objectContaining({ githubToken: 'gho_after_sign_in' }),
    );
  });

  describe('below the readiness gate', () => {
    const REASON = 'Hotfix for INC-2211; coverage upload is broken';

    it('shows the failing inputs and asks a release manager for a reason and an explicit override', async () => {
      const api = new FakeApprovalsApi({
        inbox: inbox([paymentsBelowGate]),
        decide: request => ({
          ...decisionResult(paymentsBelowGate),
          decision: request.body.decision,
        }),
      });
      const decide = jest.spyOn(api, 'decide');
      await renderPage(api);

      const dialog = await openDecision(9016, 'approve-button');
      const failing = within(dialog).getByTestId('readiness-gate-failing');
      expect(failing).toHaveTextContent(
        'Below the readiness gate: 72.4 against 90',
      );
      expect(failing).toHaveTextContent('Test coverage: missing');
      expect(failing).toHaveTextContent('Code quality: 88');
      expect(failing).not.toHaveTextContent('CI pass rate');

      const confirm = within(dialog).getByTestId('confirm-decision');
      await writeComment(dialog, 'CAB approved');
      expect(confirm).toBeDisabled();
      const reason = within(
        within(dialog).getByTestId('override-reason'),
      ).getByRole('textbox');
      await userEvent.click(reason);
      await userEvent.paste('Hotfix');
      expect(confirm).toBeDisabled();
      await userEvent.clear(reason);
      await userEvent.paste(REASON);
      // The reason alone is not enough: the override is confirmed explicitly.
      expect(confirm).toBeDisabled();
      await userEvent.click(
        within(dialog).getByRole('checkbox', {
          name: 'Override the readiness gate',
        }),
      );
      expect(confirm).toBeEnabled();
      await userEvent.click(confirm);

      expect(
        await within(dialog).findByTestId('decision-outcome'),
      ).toBeInTheDocument();
      expect(decide).toHaveBeenCalledWith(
        expect.objectContaining({
          body: expect.objectContaining({
            decision: 'approved',
            override: { reason: REASON },
          }),
        }),
      );
    });

    it('keeps approve disabled for someone outside the override groups, and says who may', async () => {
      const notManager = {
        ...paymentsBelowGate,
        gate: { ...paymentsBelowGate.gate, viewerCanOverride: false },
      };
      await renderPage(new FakeApprovalsApi({ inbox: inbox([notManager]) }));

      const dialog = await openDecision(9016, 'approve-button');
      expect(
        within(dialog).getByTestId('readiness-gate-failing'),
      ).toHaveTextContent(
        'Only members of group:default/release-managers may approve a release below the readiness gate.',
      );
      expect(within(dialog).queryByTestId('override-reason')).toBeNull();
      await writeComment(dialog, 'CAB approved');
      expect(within(dialog).getByTestId('confirm-decision')).toBeDisabled();
    });

    it('lets anyone who may decide reject without an override', async () => {
      const notManager = {
        ...paymentsBelowGate,
        gate: { ...paymentsBelowGate.gate, viewerCanOverride: false },
      };
      const api = new FakeApprovalsApi({
        inbox: inbox([notManager]),
        decide: () => decisionResult(paymentsBelowGate, 'rejected'),
      });
      const decide = jest.spyOn(api, 'decide');
      await renderPage(api);

      const dialog = await openDecision(9016, 'reject-button');
      expect(within(dialog).queryByTestId('readiness-gate-failing')).toBeNull();
      await confirmDecision(dialog, 'Coverage must be back first');
      expect(
        await within(dialog).findByTestId('decision-outcome'),
      ).toHaveTextContent('Rejected v1.8.1 for production');
      expect(decide.mock.calls[0][0].body).not.toHaveProperty('override');
    });
  });
});
