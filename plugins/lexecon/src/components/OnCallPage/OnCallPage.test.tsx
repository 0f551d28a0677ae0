import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { OnCallBoardView } from './OnCallPage';
import { slaSection } from '../../__fixtures__/reliability';

describe('OnCallBoardView', () => {
  it('shows services by risk, active incidents and the last 24 hours', async () => {
    const sla = slaSection({
      uptimePercent: 99.85,
      burnRate: 2,
      errorBudgetRemainingPercent: -30,
    });
    await renderInTestApp(
      <OnCallBoardView
        board={{
          generatedAt: '2026-11-20T15:00:00Z',
          services: [
            {
              entityRef: 'component:default/lexecon-api',
              title: 'Lexecon API',
              sla: {
                status: 'ok',
                fetchedAt: sla.fetchedAt,
                sources: sla.sources,
                data: { ...sla.data!.monthToDate, targetPercent: 99.9 },
              },
              alertingMonitors: [sla.data!.monitors[0]],
              activeIncidents: 1,
              notices: [],
            },
            {
              entityRef: 'component:default/lexecon-ledger',
              title: 'Ledger',
              sla: {
                status: 'error',
                message: 'Datadog answered 502',
                sources: [],
              },
              alertingMonitors: [],
              activeIncidents: 0,
              notices: [
                {
                  source: 'unleash',
                  status: 'error',
                  message: 'Unleash rejected the API token (401)',
                },
              ],
            },
          ],
          activeIncidents: [
            {
              ...sla.data!.incidents[0],
              state: 'active',
              entityRef: 'component:default/lexecon-api',
            },
          ],
          timeline: [
            {
              kind: 'flag',
              at: '2026-11-20T08:22:00Z',
              entityRef: 'component:default/lexecon-api',
              title: 'enable_strict_validation: enabled in production',
            },
          ],
        }}
      />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const rows = screen.getAllByTestId('oncall-service');
    expect(rows[0]).toHaveTextContent('Breached');
    expect(rows[0]).toHaveTextContent('99.850% (target 99.9%)');
    expect(rows[1]).toHaveTextContent('Datadog answered 502');
    // A failed Unleash leaves flag changes out of the timeline: the row says so.
    expect(rows[1]).toHaveTextContent(
      'Unleash: Unleash rejected the API token (401)',
    );
    expect(rows[0]).not.toHaveTextContent('Unleash');
    expect(screen.getByTestId('oncall-incident')).toHaveTextContent(
      'after enable_strict_validation: enabled in production',
    );
    expect(screen.getByTestId('timeline-event')).toHaveTextContent('Flag');
  });

  it('says when nothing changed', async () => {
    await renderInTestApp(
      <OnCallBoardView
        board={{
          generatedAt: '2026-11-20T15:00:00Z',
          services: [],
          activeIncidents: [],
          timeline: [],
        }}
      />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(screen.getByText(/No active incidents/)).toBeInTheDocument();
    expect(
      screen.getByText(/No deploys, production flag changes or incidents/),
    ).toBeInTheDocument();
  });
});
