import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GateException } from '@internal/plugin-lexecon-common';
import {
  allDeployments,
  deploymentsData,
  deploymentsSection,
  entityRef,
  FakeLexeconApi,
  githubSource,
  kubernetesSource,
  minutesAgo,
} from '../../__fixtures__/deployments';
import { renderWithLexecon } from '../../__testUtils__/render';
import { DeploymentsCard } from './DeploymentsCard';

async function renderCard(
  props: Partial<Parameters<typeof DeploymentsCard>[0]> = {},
  api = new FakeLexeconApi(),
) {
  await renderWithLexecon(
    <DeploymentsCard
      entityRef={entityRef}
      section={deploymentsSection()}
      {...props}
    />,
    api,
  );
  return api;
}

/** Waits until the history has been loaded from the API (the "Load more" button appears). */
async function historyLoaded() {
  await screen.findByRole('button', { name: 'Load more' });
}

describe('DeploymentsCard', () => {
  it('shows the live version per environment and how far production is behind', async () => {
    await renderCard();

    expect(screen.getByTestId('live-version-production')).toHaveTextContent(
      'v1.7.2',
    );
    expect(screen.getByTestId('live-version-staging')).toHaveTextContent(
      'v1.8.0',
    );
    const production = screen.getByRole('region', {
      name: 'production environment',
    });
    expect(
      within(production).getByText('3 commits behind staging'),
    ).toBeInTheDocument();
    expect(
      within(production).getByText('Helm revision 43'),
    ).toBeInTheDocument();
    expect(
      within(production).getByText(/since 2 hours ago/),
    ).toBeInTheDocument();
    expect(screen.getByText(/GitHub data as of/)).toHaveTextContent(
      'GitHub data as of 2 minutes ago',
    );
  });

  it('says when production is up to date with staging', async () => {
    await renderCard({
      section: deploymentsSection({
        data: {
          ...deploymentsData,
          environments: deploymentsData.environments.map(e =>
            e.environment === 'production' ? { ...e, commitsBehind: 0 } : e,
          ),
        },
      }),
    });

    expect(screen.getByText('up to date with staging')).toBeInTheDocument();
  });

  it('lists the history with rollbacks, approvals and durations', async () => {
    await renderCard();
    await historyLoaded();

    const rows = screen.getAllByTestId('deployment-row');
    expect(rows).toHaveLength(25);

    const failed = rows.find(row => row.textContent?.includes('c3d4e5f'))!;
    expect(
      within(failed).getByText('rolled back to v1.7.0'),
    ).toBeInTheDocument();
    expect(within(failed).getByText('v1.7.1')).toBeInTheDocument();
    expect(within(failed).getByText('took 7m 3s')).toBeInTheDocument();

    const manual = rows.find(row => row.textContent?.includes('d4e5f60'))!;
    expect(
      within(manual).getByText('manual rollback to v1.6.9'),
    ).toBeInTheDocument();

    const approved = rows.find(row => row.textContent?.includes('b2c3d4e'))!;
    expect(within(approved).getByText('bob')).toBeInTheDocument();
    expect(
      within(approved).getByText('CHG-1234 approved by CAB'),
    ).toBeInTheDocument();
    expect(
      within(approved).getByRole('link', {
        name: /Workflow run for v1.7.2 in production/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/payments-api/actions/runs/9008',
    );

    const unapproved = rows.find(row => row.textContent?.includes('a1b2c3d'))!;
    expect(within(unapproved).getByText('took 4m 12s')).toBeInTheDocument();
    expect(within(unapproved).getAllByText('—').length).toBeGreaterThan(0);
  });

  it('marks a deploy whose approval went past the readiness gate or segregation of duties', async () => {
    const exceptions: GateException[] = [
      {
        kind: 'readiness-override',
        by: 'user:default/alex-kim',
        at: minutesAgo(60),
        message: 'Readiness gate overridden: v1.7.2 scores 84 against 90',
        reason: 'Hotfix for INC-2211; coverage upload is broken',
        auditId: 7,
      },
      {
        kind: 'sod',
        by: 'github:jordan-lee',
        at: minutesAgo(58),
        message:
          'approved in GitHub by jordan-lee, who authored a change in it: SoD exception',
        auditId: 9,
      },
    ];
    const deployments = allDeployments.map(d =>
      d.shortSha === 'b2c3d4e' ? { ...d, exceptions } : d,
    );
    await renderCard({}, new FakeLexeconApi({ deployments }));
    await historyLoaded();

    const rows = screen.getAllByTestId('deployment-row');
    const marked = rows.find(row => row.textContent?.includes('b2c3d4e'))!;
    const chips = within(marked).getAllByTestId('gate-exception');
    expect(chips.map(c => c.textContent)).toEqual([
      'readiness gate overridden',
      'SoD exception',
    ]);
    expect(chips.map(c => c.getAttribute('aria-label'))).toEqual([
      'Readiness gate overridden by alex-kim: Hotfix for INC-2211; coverage upload is broken',
      'approved in GitHub by jordan-lee, who authored a change in it: SoD exception',
    ]);
    const others = rows.filter(row => row !== marked);
    for (const row of others) {
      expect(within(row).queryByTestId('gate-exception')).toBeNull();
    }
  });

  it('asks the API for the selected environment and result only', async () => {
    const api = await renderCard();
    const getDeployments = jest.spyOn(api, 'getDeployments');
    await historyLoaded();

    await userEvent.selectOptions(
      screen.getByLabelText('Environment'),
      'production',
    );

    await waitFor(() =>
      expect(getDeployments).toHaveBeenLastCalledWith(entityRef, {
        environment: 'production',
        result: undefined,
        limit: 25,
      }),
    );
    await waitFor(() =>
      screen
        .getAllByTestId('deployment-row')
        .forEach(row => expect(row).toHaveTextContent('production')),
    );

    await userEvent.selectOptions(screen.getByLabelText('Result'), 'failed');

    await waitFor(() =>
      expect(screen.getAllByTestId('deployment-row')).toHaveLength(1),
    );
    expect(getDeployments).toHaveBeenLastCalledWith(entityRef, {
      environment: 'production',
      result: 'failed',
      limit: 25,
    });
  });

  it('says when no deploy matches the filters', async () => {
    await renderCard();
    await historyLoaded();

    await userEvent.selectOptions(screen.getByLabelText('Result'), 'waiting');

    expect(
      await screen.findByText('No deploys match these filters.'),
    ).toBeInTheDocument();
  });

  it('loads the next page with the cursor from the previous one', async () => {
    const api = await renderCard();
    const getDeployments = jest.spyOn(api, 'getDeployments');
    await historyLoaded();
    expect(screen.getByText('Showing 25 of 30 deploys')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() =>
      expect(screen.getAllByTestId('deployment-row')).toHaveLength(30),
    );
    expect(getDeployments).toHaveBeenLastCalledWith(entityRef, {
      environment: undefined,
      result: undefined,
      limit: 25,
      cursor: 'offset-25',
    });
    expect(screen.getByText('Showing 30 of 30 deploys')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('shows the changes of a deploy when its row is clicked', async () => {
    await renderCard();
    await historyLoaded();

    const row = screen
      .getAllByTestId('deployment-row')
      .find(r => r.textContent?.includes('b2c3d4e'))!;
    await userEvent.click(
      within(row).getByText('Fix currency rounding in settlement report'),
    );

    const dialog = await screen.findByRole('dialog', {
      name: 'Changes in v1.7.2',
    });
    expect(
      await within(dialog).findByText('Bump grpc to 1.62.1'),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent('2 commits since v1.7.1 in production');
    expect(dialog).toHaveTextContent('GitHub data as of 1 minute ago');
    expect(
      within(dialog).getByRole('link', { name: /Compare on GitHub/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/payments-api/compare/v1.7.1...v1.7.2',
    );
    expect(
      within(dialog).getByRole('link', { name: /Commit 1111111 on GitHub/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/payments-api/commit/1111111f60718293a4b5c6d7e8f901234567890',
    );
    expect(within(dialog).getByText(/dependabot\[bot\]/)).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('shows why the changes could not be loaded, inside the dialog', async () => {
    await renderCard(
      {},
      new FakeLexeconApi({
        changelogs: {
          'production:run:9008': new Error('GitHub compare API timed out'),
        },
      }),
    );

    await userEvent.click(screen.getByTestId('live-version-production'));

    const dialog = await screen.findByRole('dialog', {
      name: 'Changes in v1.7.2',
    });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'GitHub compare API timed out',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Retry' }),
    ).toBeInTheDocument();
  });

  it('names the missing annotation when the entity is not configured', async () => {
    await renderCard({
      section: {
        status: 'not-configured',
        message: 'Nothing to read deploys from',
        missingAnnotations: [
          'github.com/project-slug',
          'backstage.io/kubernetes-id',
        ],
        sources: [
          githubSource({ status: 'not-configured', fetchedAt: undefined }),
          kubernetesSource({ status: 'not-configured', fetchedAt: undefined }),
        ],
      },
    });

    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/github\.com\/project-slug/).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('deployment-row')).not.toBeInTheDocument();
  });

  it('warns that Kubernetes is unavailable but still shows the GitHub history', async () => {
    await renderCard({
      section: deploymentsSection({
        sources: [
          githubSource(),
          kubernetesSource({
            status: 'error',
            message: 'connect ETIMEDOUT 10.0.0.1:443',
            fetchedAt: minutesAgo(90),
          }),
        ],
      }),
    });

    expect(
      screen.getByText(
        'Warning: Kubernetes (Helm) unavailable: connect ETIMEDOUT 10.0.0.1:443 — showing GitHub data only',
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('deployment-row').length).toBeGreaterThan(0);
    expect(screen.getByTestId('live-version-production')).toHaveTextContent(
      'v1.7.2',
    );
  });

  it('shows stale data with a warning saying how old it is', async () => {
    const fetchedAt = minutesAgo(180);
    await renderCard({
      section: deploymentsSection({
        status: 'stale',
        fetchedAt,
        message: 'GitHub API rate limit exceeded',
        sources: [
          githubSource({
            status: 'stale',
            fetchedAt,
            message: 'GitHub API rate limit exceeded',
          }),
          kubernetesSource(),
        ],
      }),
    });

    expect(
      screen.getByText(
        /Showing data from .*\(3 hours ago\): GitHub API rate limit exceeded/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/GitHub data as of/)).toHaveTextContent(
      'GitHub data as of 3 hours ago',
    );
    expect(screen.getAllByTestId('deployment-row').length).toBeGreaterThan(0);
  });

  it('shows the error and offers a retry when the overview cannot be loaded', async () => {
    const onRetry = jest.fn();
    const response = new Response(
      JSON.stringify({
        error: { name: 'Error', message: 'Database connection lost' },
        response: { statusCode: 500 },
      }),
      { status: 500, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    await renderCard({ section: undefined, error, onRetry });

    expect(screen.getByRole('alert')).toHaveTextContent(
      'Database connection lost',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalled();
  });

  it('shows the section error message when the backend could not build the section', async () => {
    await renderCard({
      section: {
        status: 'error',
        message: 'GitHub returned 404 for acme/payments-api',
        sources: [
          githubSource({
            status: 'error',
            fetchedAt: undefined,
            message: 'GitHub returned 404 for acme/payments-api',
          }),
        ],
      },
      onRetry: jest.fn(),
    });

    expect(screen.getByRole('alert')).toHaveTextContent(
      'GitHub returned 404 for acme/payments-api',
    );
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('explains that there are no deploys yet', async () => {
    await renderCard(
      {
        section: deploymentsSection({
          data: {
            ...deploymentsData,
            environments: deploymentsData.environments.map(e => ({
              environment: e.environment,
            })),
            recent: [],
            totalCount: 0,
          },
        }),
      },
      new FakeLexeconApi({ deployments: [] }),
    );

    expect(screen.getByText('No deploys yet')).toBeInTheDocument();
    expect(screen.queryByTestId('deployment-row')).not.toBeInTheDocument();
  });

  it('shows a progress bar while loading', async () => {
    await renderCard({ section: undefined, loading: true });

    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });
});
