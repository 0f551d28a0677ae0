import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeApprovalsApi,
  inbox,
  paymentsWaiting,
} from '../../__fixtures__/approvals';
import { githubSource } from '../../__fixtures__/deployments';
import { renderWithLexecon } from '../../__testUtils__/render';
import { ApprovalsPage } from './ApprovalsPage';

async function renderPage(api = new FakeApprovalsApi()) {
  await renderWithLexecon(<ApprovalsPage />, api);
  return api;
}

describe('ApprovalsPage', () => {
  it('lists a waiting run with who asked, since when, and the context to decide', async () => {
    await renderPage();

    const item = await screen.findByTestId('approval-item-9015');
    expect(
      within(item).getByRole('link', { name: 'Payments API' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(within(item).getByTestId('approval-version')).toHaveTextContent(
      'v1.8.0',
    );
    expect(within(item).getByTestId('approval-environment')).toHaveTextContent(
      'production',
    );
    expect(
      within(item).getByText(/Add idempotency keys to refunds ·/),
    ).toBeInTheDocument();
    expect(within(item).getByTestId('requested-by')).toHaveTextContent(
      'Requested by alice',
    );
    expect(within(item).getByTestId('waiting-since')).toHaveTextContent(
      'Waiting since 45 minutes ago',
    );
    expect(within(item).getByTestId('wait-timer')).toHaveTextContent(
      'Wait timer 30 min after approval',
    );
    expect(within(item).getByTestId('expires-in')).toHaveTextContent(
      'Expires in 29d 23h',
    );
    const reviewers = within(item).getByTestId('required-reviewers');
    expect(reviewers).toHaveTextContent(
      /^Required reviewers release-managers.* \(team\), jordan-lee/,
    );
    expect(
      within(reviewers).getByRole('link', { name: /jordan-lee/ }),
    ).toHaveAttribute('href', 'https://github.com/jordan-lee');

    const readiness = within(item).getByTestId('readiness-score');
    expect(readiness).toHaveTextContent('92.4');
    expect(within(readiness).getByTestId('readiness-band')).toHaveTextContent(
      'good',
    );
    expect(within(readiness).getByTestId('readiness-gate')).toHaveTextContent(
      'Passes the release gate of 90',
    );
    expect(
      within(readiness).getByTestId('readiness-input-ci'),
    ).toHaveTextContent(
      'CI pass rate40%10010 of the last 10 runs on main passed',
    );
    expect(
      within(readiness).getByTestId('readiness-input-coverage'),
    ).toHaveTextContent('Test coverage30%8282% line coverage');

    const changes = within(item).getByTestId('change-set');
    expect(changes).toHaveTextContent(
      '2 commits since v1.7.2, live in production',
    );
    expect(changes).toHaveTextContent('Authors: alice, sam-ortiz');
    expect(
      within(changes).getByText('Retry settlement export on 503'),
    ).toBeInTheDocument();
    expect(
      within(changes).getByRole('link', { name: /^#412 Idempotent refunds/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/payments-api/pull/412');
    expect(
      within(changes).getByRole('link', { name: /Compare on GitHub/ }),
    ).toHaveAttribute('href', paymentsWaiting.changeSet!.compareUrl);

    const ci = within(item).getByTestId('ci-result');
    expect(ci).toHaveTextContent('All checks passed');
    expect(
      within(ci).getByRole('link', { name: /^unit-tests/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/payments-api/runs/502');
    expect(ci).toHaveTextContent('1,204 tests passed');

    expect(within(item).getByTestId('staging-context')).toHaveTextContent(
      'v1.8.0 is live on staging for 2h 10m · deployed 2 hours ago',
    );
    expect(within(item).getByTestId('staging-context')).toHaveTextContent(
      'healthy · deploy success',
    );

    expect(within(item).getByTestId('approve-button')).toBeEnabled();
    expect(within(item).getByTestId('reject-button')).toBeEnabled();
    expect(
      within(item).queryByTestId('ineligibility-reason'),
    ).not.toBeInTheDocument();
    expect(
      within(item).getByText('Your decision goes to GitHub as jordan-lee'),
    ).toBeInTheDocument();
  });

  it('offers no decision and names every reason the viewer may not decide', async () => {
    await renderPage();

    const item = await screen.findByTestId('approval-item-7203');
    expect(
      within(item).queryByTestId('approve-button'),
    ).not.toBeInTheDocument();
    expect(within(item).queryByTestId('reject-button')).not.toBeInTheDocument();
    const reasons = within(item)
      .getAllByTestId('ineligibility-reason')
      .map(r => r.textContent);
    expect(reasons).toEqual([
      'You do not have the lexecon.deployment.approve permission',
      'You authored a commit in this change set (0718293)',
      'You started this deploy run',
    ]);

    expect(within(item).getByTestId('readiness-band')).toHaveTextContent(
      'poor',
    );
    expect(within(item).getByTestId('readiness-gate')).toHaveTextContent(
      'Below the release gate of 90',
    );
    expect(
      within(item).getByTestId('readiness-input-coverage'),
    ).toHaveTextContent('n/a (counts as 0)');
    expect(within(item).getByTestId('ci-result')).toHaveTextContent(
      'Some checks failed',
    );
    expect(
      within(item).getByTestId('ci-check-integration-tests'),
    ).toHaveTextContent(/^integration-tests.*: failure2 of 318 tests failed$/);
    expect(within(item).getByTestId('staging-context')).toHaveTextContent(
      'v2.4.1 is not live on staging (staging runs v2.4.0)',
    );
    // Part of the context could not be read: the rest is still shown, with a notice.
    expect(
      within(item).getByText(
        /Could not read the coverage report: SonarCloud answered 503/,
      ),
    ).toBeInTheDocument();
  });

  it('names the permission even when the backend message does not', async () => {
    await renderPage(
      new FakeApprovalsApi({
        inbox: inbox([
          {
            ...paymentsWaiting,
            viewer: {
              canDecide: false,
              needsGithubToken: true,
              reasons: [
                {
                  code: 'missing-permission',
                  message: 'You are not an approver',
                },
                {
                  code: 'not-reviewer',
                  message:
                    'jordan-lee is not a required reviewer of production',
                },
              ],
            },
          },
        ]),
      }),
    );

    const reasons = await screen.findAllByTestId('ineligibility-reason');
    expect(reasons.map(r => r.textContent)).toEqual([
      'You are not an approver (needs the lexecon.deployment.approve permission)',
      'jordan-lee is not a required reviewer of production',
    ]);
    // Someone who may never approve gets no buttons to try.
    expect(screen.queryByTestId('approve-button')).not.toBeInTheDocument();
    expect(screen.queryByTestId('reject-button')).not.toBeInTheDocument();
  });

  it('says when nothing is waiting', async () => {
    await renderPage(new FakeApprovalsApi({ inbox: inbox([]) }));

    expect(await screen.findByTestId('approvals-empty')).toHaveTextContent(
      'Nothing is waiting for approval',
    );
    expect(screen.queryByTestId(/^approval-item-/)).not.toBeInTheDocument();
  });

  it('warns that the list may be incomplete when a source could not be read', async () => {
    await renderPage(
      new FakeApprovalsApi({
        inbox: inbox([paymentsWaiting], {
          sources: [
            {
              ...githubSource({
                source: 'github-approvals',
                status: 'error',
                message: 'GitHub answered 502',
                fetchedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
              }),
              entityRef: 'component:default/ledger-service',
            },
          ],
        }),
      }),
    );

    expect(
      await screen.findByText(
        /GitHub \(pending approvals\) for component:default\/ledger-service: could not be read — GitHub answered 502/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('approval-item-9015')).toBeInTheDocument();
  });

  it('shows why the inbox failed and loads it again on retry', async () => {
    const api = new FakeApprovalsApi({
      inbox: new Error('lexecon backend is unavailable'),
    });
    await renderPage(api);

    expect(await screen.findByTestId('approvals-error')).toHaveTextContent(
      'lexecon backend is unavailable',
    );

    jest.spyOn(api, 'getApprovalsInbox').mockResolvedValue(inbox());
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByTestId('approval-item-9015')).toBeInTheDocument();
    expect(screen.queryByTestId('approvals-error')).not.toBeInTheDocument();
  });
});
