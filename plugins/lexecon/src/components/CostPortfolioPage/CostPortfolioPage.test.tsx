import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { CostPortfolio } from '@internal/plugin-lexecon-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { costPortfolio } from '../../__fixtures__/costPortfolio';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { CostPortfolioPage } from './CostPortfolioPage';

function renderPage(api: FakeLexeconApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[lexeconApiRef, api]]}>
      <CostPortfolioPage />
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

/** The services in the order the table shows them. */
function shownServices() {
  return screen
    .getAllByTestId(/^cost-portfolio-row-/)
    .map(e => within(e).getAllByRole('cell')[0].textContent);
}

/** One service's cells: service, status, month to date, baseline to date, forecast, delta, %. */
function cellsOf(name: string) {
  return within(screen.getByTestId(`cost-portfolio-row-${name}`))
    .getAllByRole('cell')
    .map(c => c.textContent);
}

function choose(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

/** Captures what the page saves: each blob's text and the file name it is saved under. */
function captureDownloads() {
  const saved: Array<{ filename: string; blob: Blob }> = [];
  const blobs = new Map<string, Blob>();
  Object.assign(URL, {
    createObjectURL: jest.fn((blob: Blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob);
      return url;
    }),
    revokeObjectURL: jest.fn(),
  });
  jest
    .spyOn(HTMLAnchorElement.prototype, 'click')
    .mockImplementation(function click(this: HTMLAnchorElement) {
      saved.push({ filename: this.download, blob: blobs.get(this.href)! });
    });
  return saved;
}

afterEach(() => jest.restoreAllMocks());

async function renderPortfolio(portfolio: CostPortfolio = costPortfolio()) {
  const api = new FakeLexeconApi({
    costPortfolio: portfolio,
    dailyFactsCsv: 'entity,provider\r\n',
  });
  await renderPage(api);
  await screen.findByTestId('cost-portfolio-row-payments-api');
  return api;
}

describe('CostPortfolioPage', () => {
  it("ranks services as the backend did, each linked to its Release & Compliance tab, and sorts by a column's header", async () => {
    await renderPortfolio();

    expect(shownServices()).toEqual(['Payments API', 'Ledger', 'Search']);
    expect(cellsOf('payments-api')).toEqual([
      'Payments API',
      'Up to date',
      '$2,010.00',
      '$1,885.00',
      '$3,190.00',
      '+$240.00',
      '+8.1%',
    ]);
    expect(
      within(screen.getByTestId('cost-portfolio-row-payments-api')).getByRole(
        'link',
      ),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/lexecon',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Month to date' }));
    expect(shownServices()).toEqual(['Ledger', 'Payments API', 'Search']);
  });

  it('shows stale and failed services with their status in words and their message', async () => {
    await renderPortfolio();

    expect(cellsOf('ledger')[1]).toBe(
      'StaleAWS Cost Explorer costs have not been read since 2026-11-16',
    );
    expect(cellsOf('search').slice(1)).toEqual([
      'ErrorIts costs could not be analysed just now; the other services are shown',
      '—',
      '—',
      '—',
      '—',
      '—',
    ]);
  });

  it("recomputes the figures from the chosen provider's and component's costs", async () => {
    await renderPortfolio();

    choose('cost-portfolio-filter-provider', 'gcp');
    expect(cellsOf('payments-api').slice(2)).toEqual([
      '$100.00',
      '$95.00',
      '$160.00',
      '+$10.00',
      '+6.7%',
    ]);

    // The allocation is left out of the Total, and counted once OpenCost is chosen.
    choose('cost-portfolio-filter-provider', '');
    choose('cost-portfolio-filter-component', 'kubernetes-compute');
    expect(cellsOf('payments-api')[2]).toBe('$1,500.00');
    expect(cellsOf('ledger')[2]).toBe('$700.00');
    choose('cost-portfolio-filter-provider', 'opencost');
    expect(cellsOf('payments-api').slice(2)).toEqual([
      '$900.00',
      '$950.00',
      '$1,400.00',
      '-$100.00',
      '-6.7%',
    ]);
    // Ledger has no OpenCost allocation: it is not listed with zeros.
    expect(screen.queryByTestId('cost-portfolio-row-ledger')).toBeNull();
  });

  it('lists the open anomalies of every service, with their root cause', async () => {
    await renderPortfolio();

    const [anomaly] = screen.getAllByTestId('cost-portfolio-anomaly');
    expect(
      within(anomaly)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      'Payments API',
      'database-backups',
      'AWS',
      '2026-11-09',
      '+$215.50',
      expect.stringContaining('RDS:ChargedBackupUsage'),
    ]);

    choose('cost-portfolio-filter-provider', 'gcp');
    expect(screen.queryAllByTestId('cost-portfolio-anomaly')).toEqual([]);
  });

  it('downloads the table as shown, filtered and sorted, escaped like the backend', async () => {
    const portfolio = costPortfolio();
    portfolio.rows[1] = { ...portfolio.rows[1], title: '=Ledger, "new"' };
    await renderPortfolio(portfolio);
    const saved = captureDownloads();

    choose('cost-portfolio-filter-provider', 'gcp');
    fireEvent.click(screen.getByRole('button', { name: 'Month to date' }));
    fireEvent.click(screen.getByTestId('cost-portfolio-csv-table'));

    expect(saved.map(s => s.filename)).toEqual(['lexecon-cost-portfolio.csv']);
    expect((await saved[0].blob.text()).split('\r\n')).toEqual([
      'service,entity,status,message,provider,component,currency,month_to_date,expected_to_date,forecast_month_end,delta,delta_percent',
      `"'=Ledger, ""new""",component:default/ledger,stale,AWS Cost Explorer costs have not been read since 2026-11-16,gcp,all,USD,40,38,62,2,3.3`,
      'Payments API,component:default/payments-api,ok,,gcp,all,USD,100,95,160,10,6.7',
      'Search,component:default/search,error,Its costs could not be analysed just now; the other services are shown,gcp,all,,,,,,',
      '',
    ]);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:test/0');
  });

  it('downloads the daily costs through the API with the filters chosen', async () => {
    const api = await renderPortfolio();
    const saved = captureDownloads();

    choose('cost-portfolio-filter-component', 'storage');
    fireEvent.click(screen.getByTestId('cost-portfolio-csv-facts'));

    await waitFor(() => expect(saved).toHaveLength(1));
    expect(api.dailyFactsQueries).toEqual([{ component: 'storage' }]);
    expect(saved[0].filename).toBe('lexecon-daily-costs.csv');
    expect(await saved[0].blob.text()).toBe('entity,provider\r\n');
  });

  it('names the annotations to add when no service has a cost source', async () => {
    await renderPage(
      new FakeLexeconApi({
        costPortfolio: {
          rows: [],
          anomalies: [],
          providers: [],
          components: [],
        },
      }),
    );

    expect(await screen.findByTestId('cost-portfolio-empty')).toHaveTextContent(
      'No service has cost sources configured. Add one of the annotations lexecon.io/aws-cost-tags, lexecon.io/gcp-billing-labels, lexecon.io/kubernetes-namespaces',
    );
  });

  it('shows the error when the portfolio cannot be read', async () => {
    await renderPage(
      new FakeLexeconApi({ costPortfolio: new Error('backend unreachable') }),
    );

    expect(
      (await screen.findAllByText(/backend unreachable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(screen.queryByTestId(/^cost-portfolio-row-/)).toBeNull();
  });
});
