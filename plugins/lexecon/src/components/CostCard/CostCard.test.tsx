import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { MockPermissionApi } from '@backstage/test-utils';
import { EntityCostAnalysis } from '@internal/plugin-lexecon-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  costAnalysis,
  costSection,
  notConfiguredCosts,
} from '../../__fixtures__/costs';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { renderWithLexecon } from '../../__testUtils__/render';
import { stubResizeObserver } from '../../__testUtils__/resizeObserver';
import { COST_ANNOTATIONS_DOCS_URL, CostCard } from './CostCard';

const ENTITY = {
  kind: 'Component',
  namespace: 'default',
  name: 'payments-api',
};

async function renderCard(costs: EntityCostAnalysis | Error) {
  const api = new FakeLexeconApi({ costAnalysis: costs });
  const load = jest.spyOn(api, 'getCostAnalysis');
  await renderWithLexecon(<CostCard entityRef={ENTITY} />, api);
  return { api, load };
}

/** "$1,234.50" or "€1,234.50" as a number. */
const amount = (text: string | null) => Number(text!.replace(/[^0-9.-]/g, ''));

describe('CostCard', () => {
  stubResizeObserver();

  it('fills in the Cost Analysis Template, the Total adding up the components shown', async () => {
    const { load } = await renderCard(costSection());
    expect(load).toHaveBeenCalledWith(ENTITY);

    const table = screen.getByRole('table', {
      name: 'Cost by component against its baseline',
    });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Component',
      'Baseline (monthly)',
      'Month to date (to 2026-11-19)',
      'Forecast to month end',
      'Delta (forecast − baseline)',
    ]);
    const components = costAnalysis.rows.map(r =>
      screen.getByTestId(`cost-row-${r.component}`),
    );
    const total = screen.getByTestId('cost-row-total');
    const sumOf = (testId: string) =>
      components.reduce(
        (t, row) => t + amount(within(row).getByTestId(testId).textContent),
        0,
      );
    const totalOf = (testId: string) =>
      amount(within(total).getByTestId(testId).textContent);
    expect(totalOf('cost-baseline')).toBeCloseTo(sumOf('cost-baseline'), 2);
    expect(totalOf('cost-month-to-date')).toBeCloseTo(
      sumOf('cost-month-to-date'),
      2,
    );
    expect(totalOf('cost-forecast')).toBeCloseTo(sumOf('cost-forecast'), 2);

    const backups = screen.getByTestId('cost-row-database-backups');
    expect(backups).toHaveTextContent(
      [
        'database-backups',
        '$300.00band $280.00–$330.00',
        '$410.50vs $190.00 prorated',
        "$530.00$500.00–$560.00 (portal's forecast)",
        '+$230.00 (+76.7%)',
      ].join(''),
    );
    expect(
      within(screen.getByTestId('cost-row-kubernetes-compute')).getByTestId(
        'cost-delta',
      ),
    ).toHaveTextContent('-$100.25 (-4.0%)');
    expect(total).toHaveTextContent(/^Total\$4,000\.25/);
  });

  it("formats money in the facts' currency", async () => {
    await renderCard(
      costSection({}, { analysis: { ...costAnalysis, currency: 'EUR' } }),
    );
    expect(
      within(screen.getByTestId('cost-row-total')).getByTestId('cost-baseline'),
    ).toHaveTextContent('€4,000.25');
  });

  it('shows the open anomalies with start, end, impact and root cause, not the acknowledged ones', async () => {
    await renderCard(costSection());
    const anomalies = screen.getAllByTestId('cost-anomaly');
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toHaveAttribute(
      'data-id',
      'portal:aws:database-backups:2026-11-08',
    );
    expect(
      within(anomalies[0])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      'database-backups',
      '2026-11-08',
      '2026-11-12',
      '$152.40',
      'database-backups on AWS: Amazon RDS, USE1-RDS:ChargedBackupUsage',
      'Acknowledge',
    ]);
    expect(
      within(anomalies[0]).getByTestId('cost-anomaly-root-cause'),
    ).toHaveTextContent('Amazon RDS, USE1-RDS:ChargedBackupUsage');
  });

  it('acknowledges an anomaly with a reason and a comment, says what became of it and reads the card again', async () => {
    const { api, load } = await renderCard(costSection());
    const calls = load.mock.calls.length;
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Acknowledge the database-backups anomaly from 2026-11-08',
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Acknowledge the database-backups anomaly from 2026-11-08',
    });
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Reason'),
      'migration',
    );
    await userEvent.type(
      within(dialog).getByLabelText('Comment (optional)'),
      'Backups moved to a new vault',
    );
    await userEvent.click(
      within(dialog).getByTestId('cost-acknowledge-submit'),
    );

    await waitFor(() =>
      expect(screen.getByTestId('cost-notice')).toHaveTextContent(
        'Acknowledged.',
      ),
    );
    expect(api.acknowledgements).toEqual([
      {
        anomalyId: 'portal:aws:database-backups:2026-11-08',
        reason: 'migration',
        comment: 'Backups moved to a new vault',
      },
    ]);
    expect(load.mock.calls.length).toBeGreaterThan(calls);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('keeps the dialog open with the error when the acknowledgement fails', async () => {
    const api = new FakeLexeconApi({
      costAnalysis: costSection(),
      acknowledgement: new Error('Missing permission lexecon.cost.acknowledge'),
    });
    await renderWithLexecon(<CostCard entityRef={ENTITY} />, api);
    await userEvent.click(screen.getByTestId('cost-anomaly-acknowledge'));
    await userEvent.click(screen.getByTestId('cost-acknowledge-submit'));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect(dialog).toHaveTextContent(
        'Missing permission lexecon.cost.acknowledge',
      ),
    );
    expect(api.acknowledgements).toEqual([]);
  });

  it('offers no Acknowledge button to someone without lexecon.cost.acknowledge', async () => {
    // usePermission caches answers per entity: one no other test asked about.
    const readOnly = { ...ENTITY, name: 'read-only-api' };
    const api = new FakeLexeconApi({ costAnalysis: costSection() });
    await renderWithLexecon(<CostCard entityRef={readOnly} />, api, undefined, [
      [
        permissionApiRef,
        new MockPermissionApi(request =>
          request.permission.name === 'lexecon.cost.acknowledge'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        ),
      ],
    ]);
    expect(screen.getAllByTestId('cost-anomaly')).toHaveLength(1);
    expect(
      screen.queryByTestId('cost-anomaly-acknowledge'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('columnheader', { name: 'Action' }),
    ).not.toBeInTheDocument();
  });

  it('shows the Kubernetes allocation beside the bill and the least efficient workloads', async () => {
    await renderCard(
      costSection(
        {},
        {
          analysis: {
            ...costAnalysis,
            allocation: {
              provider: 'opencost',
              components: [
                { component: 'kubernetes-compute', monthToDate: 800 },
              ],
              monthToDate: 800,
              billedMonthToDate: 1000,
              idleMonthToDate: 120,
              through: '2026-11-19',
            },
            efficiency: [
              {
                workload: 'lexecon-production/deployment:lexecon-api',
                component: 'kubernetes-compute',
                cpu: 0.1,
                memory: 0.5,
                total: 0.2,
                monthlyCost: 400,
              },
            ],
          },
        },
      ),
    );
    const allocation = screen.getByTestId('cost-allocation');
    expect(allocation).toHaveTextContent(
      'OpenCost allocates $800.00 to its workloads this month (to 2026-11-19), of $1,000.00 billed for Kubernetes (not added to the total above); its share of idle capacity: $120.00.',
    );
    expect(
      within(screen.getByTestId('cost-workload'))
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      'lexecon-production/deployment:lexecon-api',
      '10%',
      '50%',
      '$400.00',
    ]);
  });

  it('says nothing is allocated yet on the first day of a month', async () => {
    await renderCard(
      costSection(
        {},
        {
          analysis: {
            ...costAnalysis,
            allocation: {
              provider: 'opencost',
              components: [],
              monthToDate: 0,
            },
          },
        },
      ),
    );
    expect(screen.getByTestId('cost-allocation')).toHaveTextContent(
      'OpenCost has allocated nothing for this month yet: its first day is not over.',
    );
  });

  it('lists five opportunities in order, never letting steady commitments hide an unused resource', async () => {
    const commitment = (i: number) => ({
      ...costAnalysis.opportunities[0],
      id: `commitment-${i}`,
      title: `Commit ${i}`,
      monthlySavings: 100 - i * 10,
    });
    const idle = {
      ...costAnalysis.opportunities[0],
      id: 'unused:aws:i-0bbb',
      kind: 'unused' as const,
      title: 'Remove idle instance i-0bbb',
      basis: 'Unused (idle-instance) and billed every month',
      monthlySavings: 5,
      effort: 'low' as const,
    };
    await renderCard(
      costSection(
        {},
        {
          analysis: {
            ...costAnalysis,
            opportunities: [0, 1, 2, 3, 4, 5].map(commitment).concat(idle),
          },
        },
      ),
    );
    const rows = screen.getAllByTestId('cost-opportunity');
    expect(rows.map(r => r.textContent)).toEqual([
      'Commit 0Stable spend$100.00lowmedium',
      'Commit 1Stable spend$90.00lowmedium',
      'Commit 2Stable spend$80.00lowmedium',
      'Commit 3Stable spend$70.00lowmedium',
      'Remove idle instance i-0bbbUnused (idle-instance) and billed every month$5.00lowlow',
    ]);
    expect(
      screen.getByText('2 more, saving $110.00 a month together.'),
    ).toBeInTheDocument();
  });

  it('draws 13 months by component with a title and the figures as a table', async () => {
    await renderCard(costSection());
    expect(
      screen.getByRole('img', {
        name: /^Monthly cost by component, 2025-11 to 2026-11: 2025-11 \$4,000\.25, .* 2026-11 \$2,670\.50 \(2026-11 so far\)$/,
      }),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', {
      name: 'Monthly cost by component, 2025-11 to 2026-11',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(13);
    expect(rows[12]).toHaveTextContent(
      '2026-11 (estimated)$410.50$760.00$1,500.00$2,670.50',
    );
  });

  it('says why there is no cost per 1,000 decisions', async () => {
    await renderCard(costSection());
    expect(screen.getByTestId('cost-per-thousand')).toHaveTextContent(
      "The service's daily decision counts are not stored yet, so there is no cost per 1,000 decisions",
    );
  });

  it('shows cost per 1,000 decisions when there are decision counts', async () => {
    const day = (d: string, perThousand: number) => ({
      day: d,
      cost: perThousand * 5,
      decisions: 5000,
      perThousand,
      estimated: false,
    });
    await renderCard(
      costSection(
        {},
        {
          notes: [],
          analysis: {
            ...costAnalysis,
            unitCost: {
              days: [day('2026-11-18', 0.1372), day('2026-11-19', 1.2)],
              overall: { perThousand: 1, idlePerThousand: 0.0031, days: 2 },
              minimumDecisions: 1000,
            },
          },
        },
      ),
    );
    expect(screen.getByTestId('cost-per-thousand')).toHaveTextContent(
      '$1.00 per 1,000 decisions over 2 days (idle cost apart: $0.0031 per 1,000)',
    );
    // Under a dollar, four decimals: a tenth of a cent per 1,000 is not $0.00.
    expect(
      screen.getByText('Trend: 2026-11-18 $0.1372, 2026-11-19 $1.20'),
    ).toBeInTheDocument();
  });

  it("shows the day's request budget and how final the costs are", async () => {
    await renderCard(costSection());
    expect(screen.getByTestId('cost-request-budget')).toHaveTextContent(
      'Cost Explorer requests today (2026-11-20): 3 of 40 used, 37 left',
    );
    expect(screen.getByTestId('cost-as-of')).toHaveTextContent(
      'Costs final to 2026-11-16; 3 later days estimated (the provider may revise them)',
    );
    expect(
      screen.getByText(/AWS Cost Explorer data as of/),
    ).toBeInTheDocument();
  });

  it('names the missing annotation and links to where it is documented', async () => {
    await renderCard(notConfiguredCosts);
    expect(screen.getByText('lexecon.io/aws-cost-tags')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Read more/ })).toHaveAttribute(
      'href',
      COST_ANNOTATIONS_DOCS_URL,
    );
    expect(screen.queryByTestId('cost-row-total')).not.toBeInTheDocument();
  });

  it('warns that stale costs may be out of date and still shows them', async () => {
    const message =
      'AWS Cost Explorer costs have not been read since 2026-11-18T15:00:00.000Z';
    await renderCard(costSection({ status: 'stale', message }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      `Cost may be out of date${message}`,
    );
    expect(screen.getByTestId('cost-row-total')).toBeInTheDocument();
  });

  it('says why there is no analysis before the first read', async () => {
    const message =
      'AWS Cost Explorer has not been read for this entity yet: its scheduled refresh reads it';
    await renderCard(
      costSection(
        { status: 'error', message, fetchedAt: undefined },
        { analysis: undefined, lastCompleteDay: undefined },
      ),
    );
    expect(screen.getByTestId('cost-no-analysis')).toHaveTextContent(
      `No cost analysis yet: ${message}`,
    );
    expect(screen.getByTestId('cost-request-budget')).toHaveTextContent(
      '3 of 40 used',
    );
  });

  it('shows progress while loading, then the costs', async () => {
    const api = new FakeLexeconApi();
    let answer: (value: EntityCostAnalysis) => void = () => {};
    const load = jest.spyOn(api, 'getCostAnalysis').mockReturnValueOnce(
      new Promise(resolve => {
        answer = resolve;
      }),
    );
    await renderWithLexecon(<CostCard entityRef={ENTITY} />, api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    answer(costSection());
    expect(await screen.findByTestId('cost-row-total')).toBeInTheDocument();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('offers a retry after a failed load', async () => {
    const api = new FakeLexeconApi();
    const load = jest
      .spyOn(api, 'getCostAnalysis')
      .mockRejectedValueOnce(new Error('Service Unavailable'))
      .mockResolvedValue(costSection());
    await renderWithLexecon(<CostCard entityRef={ENTITY} />, api);
    const retry = await screen.findByRole('button', { name: 'Retry' });
    expect(screen.getByText('Error: Service Unavailable')).toBeInTheDocument();
    expect(screen.queryByTestId('cost-row-total')).not.toBeInTheDocument();
    await userEvent.click(retry);
    await waitFor(() =>
      expect(screen.getByTestId('cost-row-total')).toBeInTheDocument(),
    );
    expect(load).toHaveBeenCalledTimes(2);
  });
});
