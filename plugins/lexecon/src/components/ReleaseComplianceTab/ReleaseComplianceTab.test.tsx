import { alertApiRef, githubAuthApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LexeconApi, lexeconApiRef } from '../../api/LexeconApi';
import {
  deploymentsData,
  deploymentsSection,
  entity,
  FakeLexeconApi,
  githubSource,
  kubernetesSource,
  minutesAgo,
  overview,
} from '../../__fixtures__/deployments';
import {
  FakeApprovalsApi,
  inbox,
  ledgerBlocked,
  paymentsPortalGate,
} from '../../__fixtures__/approvals';
import { confirmDecision, openDecision } from '../../__testUtils__/decisions';
import { renderWithLexecon } from '../../__testUtils__/render';
import {
  flagsSection,
  healthSection,
  slaSection,
} from '../../__fixtures__/reliability';
import { costSection } from '../../__fixtures__/costs';
import { stubResizeObserver } from '../../__testUtils__/resizeObserver';
import { ReleaseComplianceTab } from './ReleaseComplianceTab';

describe('ReleaseComplianceTab', () => {
  it('shows the deployments of the entity and how fresh the data is', async () => {
    const api = new FakeLexeconApi();
    const getOverview = jest.spyOn(api, 'getOverview');
    await renderWithLexecon(<ReleaseComplianceTab />, api);

    expect(
      await screen.findByTestId('live-version-production'),
    ).toHaveTextContent('v1.7.2');
    expect(screen.getByText(/^Data as of/)).toHaveTextContent(
      'Data as of 3 minutes ago',
    );
    expect(getOverview).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'payments-api',
    });
  });

  it('refreshes on request and shows the new data once it has landed', async () => {
    const api = new FakeLexeconApi();
    const refresh = jest.spyOn(api, 'refresh');
    await renderWithLexecon(
      <ReleaseComplianceTab refreshPollIntervalMs={0} />,
      api,
    );
    await screen.findByTestId('live-version-production');

    const promoted = overview(
      deploymentsSection({
        fetchedAt: minutesAgo(0),
        sources: [
          githubSource({
            fetchedAt: minutesAgo(0),
            attemptedAt: minutesAgo(0),
          }),
          kubernetesSource({
            fetchedAt: minutesAgo(0),
            attemptedAt: minutesAgo(0),
          }),
        ],
        data: {
          ...deploymentsData,
          environments: deploymentsData.environments.map(e =>
            e.environment === 'production'
              ? {
                  ...e,
                  live: { ...e.live!, version: 'v1.8.0' },
                  commitsBehind: 0,
                }
              : e,
          ),
        },
      }),
    );
    jest.spyOn(api, 'getOverview').mockResolvedValue(promoted);

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    await waitFor(() =>
      expect(screen.getByTestId('live-version-production')).toHaveTextContent(
        'v1.8.0',
      ),
    );
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(screen.getByText('up to date with staging')).toBeInTheDocument();
    expect(screen.getByText(/^Data as of/)).toHaveTextContent(
      'Data as of just now',
    );
  });

  it('reloads the SLA and flags cards after a refresh', async () => {
    class NoopResizeObserver {
      observe() {}
      unobserve() {}
      disconnect() {}
    }
    Object.assign(globalThis, { ResizeObserver: NoopResizeObserver });
    const reliability: Pick<LexeconApi, 'getReliability' | 'getOnCallBoard'> = {
      getReliability: jest.fn().mockResolvedValue({
        entityRef: 'component:default/payments-api',
        sections: {
          flags: flagsSection,
          sla: slaSection(),
          health: healthSection,
        },
      }),
      getOnCallBoard: jest.fn(),
    };
    await renderWithLexecon(
      <ReleaseComplianceTab refreshPollIntervalMs={0} />,
      Object.assign(new FakeLexeconApi(), reliability),
    );
    expect(await screen.findByTestId('sla-uptime')).toHaveTextContent(
      '99.950%',
    );
    expect(reliability.getReliability).toHaveBeenCalledTimes(1);

    const breached = slaSection({
      uptimePercent: 99.85,
      errorBudgetRemainingPercent: -40,
      burnRate: 2,
    });
    jest.mocked(reliability.getReliability).mockResolvedValue({
      entityRef: 'component:default/payments-api',
      sections: { flags: flagsSection, sla: breached, health: healthSection },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    await waitFor(() =>
      expect(screen.getByTestId('sla-status')).toHaveTextContent('Breached'),
    );
    expect(reliability.getReliability).toHaveBeenCalledTimes(2);
  });

  it('tells the user when they may not refresh', async () => {
    const api = new FakeLexeconApi();
    jest
      .spyOn(api, 'refresh')
      .mockRejectedValue(
        new Error('You are not allowed to refresh this entity'),
      );
    const alertApi = { post: jest.fn(), alert$: jest.fn() };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [lexeconApiRef, api],
          [alertApiRef, alertApi],
          [permissionApiRef, new MockPermissionApi()],
        ]}
      >
        <EntityProvider entity={entity}>
          <ReleaseComplianceTab refreshPollIntervalMs={0} />
        </EntityProvider>
      </TestApiProvider>,
    );
    await screen.findByTestId('live-version-production');

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({
          severity: 'error',
          message:
            'Could not refresh: You are not allowed to refresh this entity',
        }),
      ),
    );
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  });

  it('shows why the overview failed and loads it again on retry', async () => {
    const api = new FakeLexeconApi({
      overview: new Error('lexecon backend is unavailable'),
    });
    await renderWithLexecon(<ReleaseComplianceTab />, api);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'lexecon backend is unavailable',
    );

    jest.spyOn(api, 'getOverview').mockResolvedValue(overview());
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(
      await screen.findByTestId('live-version-production'),
    ).toHaveTextContent('v1.7.2');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('disables refresh for read-only users and names the permission they lack', async () => {
    const api = new FakeLexeconApi();
    const refresh = jest.spyOn(api, 'refresh');
    // Permission decisions are cached per permission and entity across renders (SWR), so this
    // test looks at an entity no other test has asked about.
    const audited = {
      ...entity,
      metadata: { ...entity.metadata, name: 'audited-api' },
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [lexeconApiRef, api],
          [permissionApiRef, new MockPermissionApi(() => AuthorizeResult.DENY)],
        ]}
      >
        <EntityProvider entity={audited}>
          <ReleaseComplianceTab refreshPollIntervalMs={0} />
        </EntityProvider>
      </TestApiProvider>,
    );
    await screen.findByTestId('live-version-production');

    expect(
      await screen.findByText(/Read-only: refreshing needs the/),
    ).toHaveTextContent('lexecon.entity.refresh');
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeDisabled();
    expect(refresh).not.toHaveBeenCalled();
  });

  it("asks the backend for this entity's waiting runs and shows them at the top", async () => {
    const api = new FakeApprovalsApi({
      inbox: inbox([paymentsPortalGate, ledgerBlocked]),
    });
    const getEntityApprovals = jest.spyOn(api, 'getEntityApprovals');
    await renderWithLexecon(
      <ReleaseComplianceTab refreshPollIntervalMs={0} />,
      api,
      entity,
      [[githubAuthApiRef, { getAccessToken: jest.fn() }]],
    );

    const card = await screen.findByTestId('waiting-for-approval');
    const item = await within(card).findByTestId('approval-item-9015');
    expect(within(item).getByTestId('readiness-band')).toHaveTextContent(
      'good',
    );
    // The backend filters by entity (its own tests cover that); the tab must ask for this
    // entity's runs and no other.
    expect(getEntityApprovals.mock.calls).toEqual([
      [{ kind: 'Component', namespace: 'default', name: 'payments-api' }],
    ]);
  });

  it('reloads the live versions and the deploy history after a decision', async () => {
    const api = new FakeApprovalsApi({
      inbox: inbox([paymentsPortalGate]),
    });
    const getOverview = jest.spyOn(api, 'getOverview');
    const getDeployments = jest.spyOn(api, 'getDeployments');
    await renderWithLexecon(
      <ReleaseComplianceTab refreshPollIntervalMs={0} />,
      api,
      entity,
      [[githubAuthApiRef, { getAccessToken: jest.fn() }]],
    );
    await screen.findByTestId('live-version-production');
    await screen.findByTestId('approval-item-9015');
    await waitFor(() => expect(getDeployments).toHaveBeenCalledTimes(1));
    expect(getOverview).toHaveBeenCalledTimes(1);

    const dialog = await openDecision(9015, 'approve-button');
    await confirmDecision(dialog, 'CAB approved');

    expect(
      await within(dialog).findByTestId('decision-outcome'),
    ).toHaveTextContent('Approved v1.8.0 for production');
    await waitFor(() => expect(getOverview).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(getDeployments).toHaveBeenCalledTimes(2));
  });

  describe('with costs', () => {
    stubResizeObserver();

    it("shows the entity's Cost card, reloaded after a refresh", async () => {
      const api = new FakeLexeconApi({ costAnalysis: costSection() });
      const getCostAnalysis = jest.spyOn(api, 'getCostAnalysis');
      await renderWithLexecon(
        <ReleaseComplianceTab refreshPollIntervalMs={0} />,
        api,
      );

      const card = await screen.findByTestId('cost-card');
      expect(
        await within(card).findByTestId('cost-row-total'),
      ).toHaveTextContent(/^Total\$4,000\.25/);
      expect(getCostAnalysis).toHaveBeenCalledWith({
        kind: 'Component',
        namespace: 'default',
        name: 'payments-api',
      });
      await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
      await waitFor(() => expect(getCostAnalysis).toHaveBeenCalledTimes(2));
    });
  });

  it('says when nothing of this entity is waiting for approval', async () => {
    await renderWithLexecon(<ReleaseComplianceTab />, new FakeLexeconApi());

    expect(await screen.findByTestId('approvals-empty')).toHaveTextContent(
      'Nothing is waiting for approval.',
    );
  });
});
