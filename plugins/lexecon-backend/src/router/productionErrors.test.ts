import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { TEST_AUDIT_HMAC_KEY } from '../__fixtures__/testConfig';
import { lexeconPlugin } from '../plugin';

const SECRET = '9f2c4e7a1b3d5f60718293a4b5c6d7e8';

/** A request whose handling fails in a way nobody planned for: the catalog lookup throws. */
async function failingRequest() {
  const catalog = catalogServiceMock.mock({
    getEntityByRef: jest
      .fn()
      .mockRejectedValue(new Error('catalog database unreachable')),
  });
  const { server } = await startTestBackend({
    features: [
      lexeconPlugin,
      catalog.factory,
      mockServices.rootConfig.factory({
        data: {
          backend: { auth: { keys: [{ secret: SECRET }] } },
          events: { modules: { github: { webhookSecret: SECRET } } },
          lexecon: { audit: { hmacKey: TEST_AUDIT_HMAC_KEY } },
        },
      }),
    ],
  });
  return request(server)
    .get('/api/lexecon/v1/entities/default/component/lexecon-api/overview')
    .set('Authorization', mockCredentials.user.header());
}

describe('an unexpected error under /api/lexecon', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('answers in production with the error, without its stack trace', async () => {
    process.env.NODE_ENV = 'production';

    const response = await failingRequest();

    expect(response.status).toBe(500);
    expect(response.body.error).toMatchObject({
      name: 'Error',
      message: 'catalog database unreachable',
    });
    expect(response.body.error.stack).toBeUndefined();
    expect(response.text).not.toMatch(/\.ts:\d+|at .*\(/);
  });

  it('shows the stack trace to a developer (NODE_ENV=development)', async () => {
    process.env.NODE_ENV = 'development';

    const response = await failingRequest();

    expect(response.status).toBe(500);
    expect(response.body.error.stack).toContain('catalog database unreachable');
  });
});
