import { AuthenticationError, ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/test-utils';
import {
  flagsSection,
  healthSection,
  slaSection,
} from '../__fixtures__/reliability';
import {
  backstageErrorBody,
  setupLocalBackend,
} from '../__testUtils__/localBackend';
import { errorMessage } from '../components/shared/format';
import { LexeconClient } from './LexeconApi';

describe('LexeconClient reliability and on-call against a backend on 127.0.0.1', () => {
  const backend = setupLocalBackend();
  const client = () =>
    new LexeconClient({
      discoveryApi: mockApis.discovery({ baseUrl: backend.origin }),
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });

  it("reads an entity's flags, SLA and health at the entity path, with the kind in lower case", async () => {
    backend.on(
      'GET',
      '/v1/entities/default/component/lexecon-api/reliability',
      () => ({
        json: {
          entityRef: 'component:default/lexecon-api',
          sections: {
            flags: flagsSection,
            sla: slaSection(),
            health: healthSection,
          },
        },
      }),
    );

    const reliability = await client().getReliability({
      kind: 'Component',
      namespace: 'default',
      name: 'lexecon-api',
    });

    expect(reliability.sections.sla.data?.monthToDate.status).toBe('exceeding');
    expect(backend.received.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/entities/default/component/lexecon-api/reliability',
    ]);
  });

  it("turns a refused on-call board into a ResponseError with the backend's message", async () => {
    const message = 'Illegal token: the token has expired';
    backend.on('GET', '/v1/oncall', request => ({
      status: 401,
      json: backstageErrorBody(new AuthenticationError(message), 401, request),
    }));

    const error = await client()
      .getOnCallBoard()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(401);
    expect(errorMessage(error as ResponseError)).toBe(message);
  });
});
