import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { entityRef, overview } from '../__fixtures__/deployments';
import { LexeconClient } from './LexeconApi';

const baseUrl = 'http://localhost:7007/api/lexecon';
const entityPath = `${baseUrl}/v1/entities/default/component/payments-api`;

describe('LexeconClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new LexeconClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('fetches the overview of an entity', async () => {
    server.use(
      rest.get(`${entityPath}/overview`, (_req, res, ctx) =>
        res(ctx.json(overview())),
      ),
    );

    const result = await client.getOverview({
      ...entityRef,
      kind: 'Component',
    });

    expect(result.sections.deployments.data?.environments).toHaveLength(2);
  });

  it('passes the history filters and cursor as query parameters', async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      rest.get(`${entityPath}/deployments`, (req, res, ctx) => {
        seen.push(req.url.searchParams);
        return res(
          ctx.json({
            entityRef: 'component:default/payments-api',
            section: { status: 'ok', sources: [] },
            items: [],
            totalCount: 0,
          }),
        );
      }),
    );

    await client.getDeployments(entityRef, {
      environment: 'production',
      result: 'rolled_back',
      limit: 25,
      cursor: 'abc_123',
    });
    await client.getDeployments(entityRef);

    expect(Object.fromEntries(seen[0])).toEqual({
      environment: 'production',
      result: 'rolled_back',
      limit: '25',
      cursor: 'abc_123',
    });
    expect([...seen[1].keys()]).toEqual([]);
  });

  it('encodes deployment ids in the changelog path', async () => {
    let requestedPath = '';
    server.use(
      rest.get(`${entityPath}/deployments/:id/changelog`, (req, res, ctx) => {
        requestedPath = req.url.pathname;
        return res(ctx.json({ deploymentId: req.params.id }));
      }),
    );

    const result = await client.getChangelog(entityRef, 'production:helm:41');

    expect(requestedPath).toBe(
      '/api/lexecon/v1/entities/default/component/payments-api/deployments/production%3Ahelm%3A41/changelog',
    );
    expect(result.deploymentId).toBe('production:helm:41');
  });

  it('requests a refresh with POST', async () => {
    server.use(
      rest.post(`${entityPath}/refresh`, (_req, res, ctx) =>
        res(ctx.status(202), ctx.json({ status: 'queued' })),
      ),
    );

    await expect(client.refresh(entityRef)).resolves.toEqual({
      status: 'queued',
    });
  });

  it('turns error responses into ResponseErrors carrying the server message', async () => {
    server.use(
      rest.get(`${entityPath}/overview`, (_req, res, ctx) =>
        res(
          ctx.status(403),
          ctx.json({
            error: {
              name: 'NotAllowedError',
              message: 'You may not read lexecon data for this entity',
            },
            response: { statusCode: 403 },
          }),
        ),
      ),
    );

    const error = await client.getOverview(entityRef).catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error.message).toBe(
      'You may not read lexecon data for this entity',
    );
    expect(error.cause.message).toBe(
      'You may not read lexecon data for this entity',
    );
  });
});
