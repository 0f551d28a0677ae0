import { InputError, NotAllowedError, ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/test-utils';
import { CostAcknowledgementResult } from '@internal/plugin-lexecon-common';
import { costPortfolio } from '../__fixtures__/costPortfolio';
import { costSection } from '../__fixtures__/costs';
import {
  backstageErrorBody,
  setupLocalBackend,
} from '../__testUtils__/localBackend';
import { errorMessage } from '../components/shared/format';
import { LexeconClient } from './LexeconApi';

const paymentsApi = {
  kind: 'Component',
  namespace: 'default',
  name: 'payments-api',
};
const ANOMALY_ID = 'portal:aws:database-backups:2026-11-08';
const acknowledgementPath = `/v1/entities/default/component/payments-api/cost-anomalies/${encodeURIComponent(
  ANOMALY_ID,
)}/acknowledgement`;

describe('LexeconClient cost analysis against a backend on 127.0.0.1', () => {
  const backend = setupLocalBackend();
  const client = () =>
    new LexeconClient({
      discoveryApi: mockApis.discovery({ baseUrl: backend.origin }),
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });

  it("reads an entity's cost analysis at the entity path, with the kind in lower case", async () => {
    backend.on(
      'GET',
      '/v1/entities/default/component/lexecon-api/cost-analysis',
      () => ({ json: costSection() }),
    );

    const costs = await client().getCostAnalysis({
      kind: 'Component',
      namespace: 'default',
      name: 'lexecon-api',
    });

    expect(costs.data?.analysis?.total.baseline).toBe(4000.25);
    expect(backend.received.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/entities/default/component/lexecon-api/cost-analysis',
    ]);
  });

  it('reads the portfolio of every service from /v1/costs/portfolio', async () => {
    backend.on('GET', '/v1/costs/portfolio', () => ({
      json: costPortfolio(),
    }));

    const portfolio = await client().getCostPortfolio();

    expect(portfolio.rows.map(r => r.name)).toEqual([
      'payments-api',
      'ledger',
      'search',
    ]);
    expect(portfolio.anomalies.map(a => a.id)).toEqual([
      'portal:aws:database-backups:2026-11-09',
    ]);
    expect(backend.received.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/costs/portfolio',
    ]);
  });

  describe('the daily facts CSV', () => {
    it('asks for the chosen provider, component and first day, and gives back the CSV text', async () => {
      const csv =
        'entity,provider,component,day,amount,currency,estimated\r\n' +
        'component:default/payments-api,aws,database-backups,2026-11-01,12.5,USD,false\r\n';
      // The fake backend writes any body that is not JSON as text; the client keeps it as sent.
      backend.on('GET', '/v1/costs/daily-facts.csv', () => ({ html: csv }));

      const blob = await client().getCostDailyFactsCsv({
        provider: 'aws',
        component: 'database-backups',
        from: '2026-11-01',
      });

      expect(await blob.text()).toBe(csv);
      expect(backend.received).toHaveLength(1);
      expect(backend.received[0].query).toEqual({
        provider: 'aws',
        component: 'database-backups',
        from: '2026-11-01',
      });
    });

    it('sends no query when nothing is filtered', async () => {
      backend.on('GET', '/v1/costs/daily-facts.csv', () => ({ html: '' }));

      await client().getCostDailyFactsCsv();

      expect(backend.received.map(r => r.rawQuery)).toEqual(['']);
    });

    it("turns the backend's 400 into a ResponseError naming the refused parameter", async () => {
      const message =
        "Invalid request: query parameter 'from' must be a day as YYYY-MM-DD";
      backend.on('GET', '/v1/costs/daily-facts.csv', request => ({
        status: 400,
        json: backstageErrorBody(new InputError(message), 400, request),
      }));

      const error = await client()
        .getCostDailyFactsCsv({ from: '19/11/2026' })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect((error as ResponseError).statusCode).toBe(400);
      expect(errorMessage(error as ResponseError)).toBe(message);
    });
  });

  describe('acknowledging an anomaly', () => {
    it("posts the reason and comment to the anomaly's path, its id encoded", async () => {
      const result: CostAcknowledgementResult = {
        acknowledgement: {
          anomalyId: ANOMALY_ID,
          reason: 'migration',
          comment: 'Backups doubled while moving to the new cluster',
          by: 'user:default/ada',
          at: '2026-11-20T15:00:00.000Z',
        },
        forwarding: { to: 'none' },
      };
      backend.on('POST', acknowledgementPath, () => ({ json: result }));

      const answer = await client().acknowledgeCostAnomaly(
        paymentsApi,
        ANOMALY_ID,
        {
          reason: 'migration',
          comment: 'Backups doubled while moving to the new cluster',
        },
      );

      expect(answer).toEqual(result);
      expect(backend.received).toHaveLength(1);
      const [sent] = backend.received;
      // The id's colons are encoded, so no router reads them as path separators or a scheme.
      expect(sent.path).toBe(
        '/v1/entities/default/component/payments-api/cost-anomalies/portal%3Aaws%3Adatabase-backups%3A2026-11-08/acknowledgement',
      );
      expect(sent.headers['content-type']).toBe('application/json');
      expect(sent.body).toEqual({
        reason: 'migration',
        comment: 'Backups doubled while moving to the new cluster',
      });
    });

    it("turns a refusal into an error with the backend's message", async () => {
      const message =
        'Missing permission lexecon.cost.acknowledge for component:default/payments-api';
      backend.on('POST', acknowledgementPath, request => ({
        status: 403,
        json: backstageErrorBody(new NotAllowedError(message), 403, request),
      }));

      const error = await client()
        .acknowledgeCostAnomaly(paymentsApi, ANOMALY_ID, { reason: 'expected' })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect((error as ResponseError).statusCode).toBe(403);
      expect(errorMessage(error as ResponseError)).toBe(message);
    });
  });
});
