import { mockApis } from '@backstage/test-utils';
import { costSection } from '../__fixtures__/costs';
import { setupLocalBackend } from '../__testUtils__/localBackend';
import { LexeconClient } from './LexeconApi';

describe('LexeconClient cost analysis against a backend on 127.0.0.1', () => {
  const backend = setupLocalBackend();

  it("reads an entity's cost analysis at the entity path, with the kind in lower case", async () => {
    backend.on(
      'GET',
      '/v1/entities/default/component/lexecon-api/cost-analysis',
      () => ({ json: costSection() }),
    );
    const client = new LexeconClient({
      discoveryApi: mockApis.discovery({ baseUrl: backend.origin }),
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });

    const costs = await client.getCostAnalysis({
      kind: 'Component',
      namespace: 'default',
      name: 'lexecon-api',
    });

    expect(costs.data?.analysis?.total.baseline).toBe(4000.25);
    expect(backend.received.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/entities/default/component/lexecon-api/cost-analysis',
    ]);
  });
});
