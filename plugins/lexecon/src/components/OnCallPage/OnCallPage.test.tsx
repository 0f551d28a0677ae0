import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { OnCallBoard } from '@internal/plugin-lexecon-common';
import { screen, within } from '@testing-library/react';
import { OnCallBoardView } from './OnCallPage';
import {
  onCallBoard,
  onCallService,
  slaSection,
} from '../../__fixtures__/reliability';
import { shownStatus } from '../../__testUtils__/status';

function renderBoard(board: OnCallBoard) {
  return renderInTestApp(<OnCallBoardView board={board} />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

/** The cells of one service row, by column. */
function cells(row: HTMLElement) {
  const [service, sla, uptime, budget, alerting, incidents, health] =
    within(row).getAllByRole('cell');
  return { service, sla, uptime, budget, alerting, incidents, health };
}

describe('OnCallBoardView', () => {
  it('lists the services riskiest first, in the order the backend ranked them, each with its exact SLA status', async () => {
    const monitor = slaSection().data!.monitors[0];
    // The backend's order: breached, then at risk by burn rate (fastest first), then exceeding,
    // then services without SLA data.
    await renderBoard(
      onCallBoard({
        services: [
          onCallService(
            'Ledger',
            {
              uptimePercent: 99.8,
              errorBudgetRemainingPercent: -100,
              burnRate: 3,
            },
            { alertingMonitors: [monitor], activeIncidents: 1 },
          ),
          onCallService('Lexecon API', {
            uptimePercent: 99.93,
            errorBudgetRemainingPercent: 40,
            burnRate: 1.4,
          }),
          onCallService('Payments API', {
            uptimePercent: 99.95,
            errorBudgetRemainingPercent: 20,
            burnRate: 0.8,
          }),
          // On every boundary: uptime at the target, burn rate 1, a quarter of the budget left.
          onCallService('Docs Site', {
            uptimePercent: 99.9,
            errorBudgetRemainingPercent: 25,
            burnRate: 1,
          }),
          onCallService('Search'),
        ],
      }),
    );

    const rows = screen.getAllByTestId('oncall-service').map(cells);
    expect(rows.map(r => r.service.textContent)).toEqual([
      'Ledger',
      'Lexecon API',
      'Payments API',
      'Docs Site',
      'Search',
    ]);
    expect(rows.map(r => shownStatus(r.sla))).toEqual([
      'Status error: Breached',
      'Status warning: At risk',
      'Status warning: At risk',
      'Status ok: Exceeding target',
      'Status warning: error',
    ]);
    expect(rows[4].sla).toHaveTextContent('Datadog answered 502');
    expect(rows.map(r => r.budget.textContent)).toEqual([
      '-100.0% / 3.00×',
      '40.0% / 1.40×',
      '20.0% / 0.80×',
      '25.0% / 1.00×',
      '—',
    ]);
    expect(rows[0].uptime).toHaveTextContent(
      /^99\.800% \(target 99\.9%\)Datadog, /,
    );
    expect(rows[0].alerting).toHaveTextContent(
      /^decision_latency_regressionrunbook/,
    );
    expect(
      within(rows[0].alerting).getByRole('link', { name: /^runbook/ }),
    ).toHaveAttribute('href', monitor.runbookUrl);
    expect(rows.slice(1).map(r => r.alerting.textContent)).toEqual([
      'none',
      'none',
      'none',
      'none',
    ]);
    expect(rows.map(r => r.incidents.textContent)).toEqual([
      '1',
      '0',
      '0',
      '0',
      '0',
    ]);
  });

  it("links an alerting monitor to Datadog where assistive technology reaches it, beside the status's icon", async () => {
    const monitor = {
      ...slaSection().data!.monitors[0],
      url: 'https://app.datadoghq.com/monitors/1',
    };
    await renderBoard(
      onCallBoard({
        services: [
          onCallService('Ledger', undefined, { alertingMonitors: [monitor] }),
        ],
      }),
    );
    const [row] = screen.getAllByTestId('oncall-service');
    // getByRole skips what is aria-hidden, as a screen reader does.
    expect(
      within(cells(row).alerting).getByRole('link', {
        name: /^decision_latency_regression/,
      }),
    ).toHaveAttribute('href', monitor.url);
  });

  it('says on the row when a source behind the timeline failed', async () => {
    await renderBoard(
      onCallBoard({
        services: [
          onCallService('Lexecon API', {
            uptimePercent: 99.95,
            errorBudgetRemainingPercent: 57,
            burnRate: 0.65,
          }),
          onCallService(
            'Ledger',
            {
              uptimePercent: 99.99,
              errorBudgetRemainingPercent: 90,
              burnRate: 0.1,
            },
            {
              notices: [
                {
                  source: 'unleash',
                  status: 'error',
                  message: 'Unleash rejected the API token (401)',
                },
              ],
            },
          ),
        ],
      }),
    );

    const [lexecon, ledger] = screen.getAllByTestId('oncall-service');
    // A failed Unleash leaves flag changes out of the timeline: the row says so.
    expect(within(ledger).getByTestId('oncall-notice')).toHaveTextContent(
      'Unleash: Unleash rejected the API token (401)',
    );
    expect(within(lexecon).queryByTestId('oncall-notice')).toBeNull();
  });

  it('shows active incidents with the change before them, and the last 24 hours', async () => {
    const sla = slaSection();
    await renderBoard(
      onCallBoard({
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
            by: 'priya.nair@lexecon.io',
          },
          {
            kind: 'deploy',
            at: '2026-11-20T07:00:00Z',
            entityRef: 'component:default/lexecon-api',
            title: 'v2.4.0 to production',
          },
        ],
      }),
    );

    expect(screen.getByTestId('oncall-incident')).toHaveTextContent(
      '#7 Rate limiter saturation attack',
    );
    expect(screen.getByTestId('oncall-incident')).toHaveTextContent(
      'after enable_strict_validation: enabled in production (priya.nair@lexecon.io)',
    );
    expect(
      screen.getAllByTestId('timeline-event').map(row =>
        within(row)
          .getAllByRole('cell')
          .slice(1, 3)
          .map(c => c.textContent),
      ),
    ).toEqual([
      [
        'Flag',
        'enable_strict_validation: enabled in production (priya.nair@lexecon.io)',
      ],
      ['Deploy', 'v2.4.0 to production'],
    ]);
  });

  it('says when nothing changed', async () => {
    await renderBoard(onCallBoard());
    expect(screen.getByText(/No active incidents/)).toBeInTheDocument();
    expect(
      screen.getByText(/No deploys, production flag changes or incidents/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^No service has the lexecon.io\/datadog-slo-tags/),
    ).toBeInTheDocument();
  });
});
