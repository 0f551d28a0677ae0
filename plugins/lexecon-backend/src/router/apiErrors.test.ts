import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { lexeconApiEntity } from '../__fixtures__/entities';
import { TEST_AUDIT_HMAC_KEY } from '../__fixtures__/testConfig';
import { lexeconPlugin } from '../plugin';

jest.setTimeout(60_000);

const auth = { Authorization: mockCredentials.user.header() };
const api = '/api/lexecon';
const decisionPath = '/v1/entities/default/component/lexecon-api/approvals';

/** The whole plugin behind Backstage's own HTTP stack: its error middleware writes the bodies. */
async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      lexeconPlugin,
      mockServices.rootConfig.factory({
        data: { lexecon: { audit: { hmacKey: TEST_AUDIT_HMAC_KEY } } },
      }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({ entities: [lexeconApiEntity] }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  return server;
}

describe('errors of the lexecon API', () => {
  let server: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    server = await startBackend();
  });

  it('answers a route it does not have with a JSON 404 in Backstage error shape', async () => {
    const response = await request(server)
      .get(`${api}/v1/no-such-thing?x=1`)
      .set(auth);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body).toEqual({
      error: {
        name: 'NotFoundError',
        message: 'No route GET /v1/no-such-thing in this API',
      },
      // Backstage's error middleware names the URL below the plugin's mount point.
      request: { method: 'GET', url: '/v1/no-such-thing?x=1' },
      response: { statusCode: 404 },
    });
  });

  it.each([
    ['DELETE', '/v1/audit', 'GET, HEAD'],
    ['PUT', '/v1/audit/verify', 'GET, HEAD, POST'],
    // The on-call board is another router's: every router of the plugin counts.
    ['POST', '/v1/oncall', 'GET, HEAD'],
    ['GET', `${decisionPath}/12/production`, 'POST'],
  ])(
    'answers %s %s, a route with other methods, with 405 and Allow: %s',
    async (method, path, allow) => {
      const response = await request(server)
        [method.toLowerCase() as 'get' | 'put' | 'post' | 'delete'](
          `${api}${path}`,
        )
        .set(auth);
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(response.body).toMatchObject({
        error: {
          name: 'MethodNotAllowedError',
          message: expect.stringContaining(`allowed: ${allow}`),
        },
        request: { method, url: path },
        response: { statusCode: 405 },
      });
    },
  );

  it.each([
    ['1e21', /'runId' must be at most 9007199254740991/],
    ['9007199254740992', /'runId' must be at most 9007199254740991/],
    ['0', /'runId' must be at least 1/],
    ['1.5', /'runId' must be a whole number/],
  ])(
    'refuses run id %s with a 400 naming the field, before any lookup',
    async (runId, message) => {
      const response = await request(server)
        .post(`${api}${decisionPath}/${runId}/production`)
        .set(auth)
        .send({ decision: 'approved', comment: 'Staging is healthy' });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
    },
  );

  it('refuses a pinned audit count beyond 2^53 - 1 with a 400 naming the field', async () => {
    const response = await request(server)
      .get(`${api}/v1/audit/verify?hash=${'0'.repeat(64)}&count=1e21`)
      .set(auth);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /query parameter 'count' must be at most 9007199254740991/,
    );
  });
});
