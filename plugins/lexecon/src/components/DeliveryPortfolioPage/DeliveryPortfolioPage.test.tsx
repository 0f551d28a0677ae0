import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { DeliveryPortfolio } from '@internal/plugin-lexecon-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { deliveryKeys, deliveryPortfolio } from '../../__fixtures__/delivery';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { DeliveryPortfolioPage } from './DeliveryPortfolioPage';

/** A third service that deploys more often and fails less than Payments API. */
const search = {
  entityRef: 'component:default/search',
  name: 'search',
  title: 'Search',
  status: 'ok' as const,
  rank: 3,
  keys: {
    ...deliveryKeys,
    deploymentFrequency: {
      ...deliveryKeys.deploymentFrequency,
      figure: {
        ...deliveryKeys.deploymentFrequency.figure,
        value: 2,
        band: 'elite' as const,
      },
    },
  },
};
const portfolio: DeliveryPortfolio = {
  ...deliveryPortfolio,
  services: [...deliveryPortfolio.services, search],
};

async function renderPage(
  options: ConstructorParameters<typeof FakeLexeconApi>[0],
) {
  const api = new FakeLexeconApi(options);
  await renderInTestApp(
    <TestApiProvider apis={[[lexeconApiRef, api]]}>
      <DeliveryPortfolioPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

const shown = () =>
  screen
    .getAllByTestId(/^delivery-portfolio-row-/)
    .map(r => within(r).getAllByRole('cell')[1].textContent);

afterEach(() => jest.restoreAllMocks());

describe('DeliveryPortfolioPage', () => {
  it('ranks the services as the backend did, each key with its band in words, and sorts by a key', async () => {
    await renderPage({ deliveryPortfolio: portfolio });
    await screen.findByTestId('delivery-portfolio-row-payments-api');
    expect(screen.getByTestId('delivery-portfolio-page')).toBeInTheDocument();
    expect(shown()).toEqual(['Payments API', 'Ledger', 'Search']);
    const payments = screen.getByTestId('delivery-portfolio-row-payments-api');
    expect(payments).toHaveTextContent('0.50 a dayHigh performer');
    expect(within(payments).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/lexecon',
    );
    expect(
      within(payments).getByRole('img', {
        name: /^Payments API Change failure rate, last 12 weeks: 2026-W37: 50.0%;/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('delivery-portfolio-row-ledger'),
    ).toHaveTextContent('StaleGitHub: rate limited');

    // Most frequent first; a service without the figure last.
    fireEvent.click(
      screen.getByRole('button', { name: 'Deployment frequency' }),
    );
    expect(shown()).toEqual(['Search', 'Payments API', 'Ledger']);
    fireEvent.click(
      screen.getByRole('button', { name: 'Deployment frequency' }),
    );
    expect(shown()).toEqual(['Payments API', 'Search', 'Ledger']);
  });

  it('reads the chosen window and downloads its CSV through the API client', async () => {
    const api = await renderPage({
      deliveryPortfolio: portfolio,
      deliveryCsv: 'rank,service\r\n',
    });
    await screen.findByTestId('delivery-portfolio-row-search');
    fireEvent.change(screen.getByLabelText('Window'), {
      target: { value: '30d' },
    });
    await waitFor(() =>
      expect(api.deliveryQueries).toContainEqual({ window: '30d' }),
    );
    const saved: string[] = [];
    Object.assign(URL, {
      createObjectURL: jest.fn(() => 'blob:test/0'),
      revokeObjectURL: jest.fn(),
    });
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function click(this: HTMLAnchorElement) {
        saved.push(this.download);
      });
    fireEvent.click(screen.getByTestId('delivery-portfolio-csv'));
    await waitFor(() => expect(saved).toEqual(['lexecon-delivery.csv']));
    expect(api.deliveryQueries[api.deliveryQueries.length - 1]).toEqual({
      window: '30d',
    });
  });

  it('charts one key week by week for every service that has it, with the numbers as a table', async () => {
    await renderPage({ deliveryPortfolio: portfolio });
    const trend = await screen.findByTestId('delivery-trend');
    const row = within(trend).getByTestId('delivery-trend-row-payments-api');
    expect(within(row).getAllByRole('cell')).toHaveLength(13);
    expect(row).toHaveTextContent(/^Payments API0\.50 a day/);
    // Ledger has no figures this window, so it has no line.
    expect(
      within(trend).queryByTestId('delivery-trend-row-ledger'),
    ).not.toBeInTheDocument();
    fireEvent.change(within(trend).getByLabelText('Key'), {
      target: { value: 'changeFailureRate' },
    });
    expect(
      within(trend).getByTestId('delivery-trend-row-search'),
    ).toHaveTextContent(/^Search50\.0%/);
    fireEvent.change(within(trend).getByLabelText('Key'), {
      target: { value: 'leadTime' },
    });
    expect(within(trend).getByTestId('delivery-trend-empty')).toHaveTextContent(
      'No service has a weekly lead time for changes in this window.',
    );
  });

  it('says what to annotate when no service is shown', async () => {
    await renderPage({ deliveryPortfolio: { ...portfolio, services: [] } });
    expect(
      await screen.findByTestId('delivery-portfolio-empty'),
    ).toHaveTextContent('github.com/project-slug');
  });

  it('shows why the portfolio could not be read', async () => {
    await renderPage({ deliveryPortfolio: new Error('Backend unavailable') });
    const retry = await screen.findByRole('button', { name: 'Retry' });
    expect(screen.getByTestId('delivery-portfolio-page')).toHaveTextContent(
      'Error: Backend unavailable',
    );
    expect(retry).toBeInTheDocument();
  });
});
