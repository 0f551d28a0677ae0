import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { GITHUB_TOKEN_HEADER } from '@internal/plugin-lexecon-common';
import {
  decisionResult,
  inbox,
  paymentsWaiting,
} from '../__fixtures__/approvals';
import { entityRef, overview } from '../__fixtures__/deployments';
import { conflictOf } from '../components/Approvals/useDecision';
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

  describe('approvals', () => {
    const decisionBody = {
      decision: 'approved' as const,
      comment: 'CHG-2001 approved by CAB',
      expectedSha: paymentsWaiting.sha,
    };

    it('reads the portal-wide and the entity inbox', async () => {
      const paths: string[] = [];
      const answer = inbox();
      server.use(
        rest.get(`${baseUrl}/v1/approvals`, (req, res, ctx) => {
          paths.push(req.url.pathname);
          return res(ctx.json(answer));
        }),
        rest.get(`${entityPath}/approvals`, (req, res, ctx) => {
          paths.push(req.url.pathname);
          return res(ctx.json(answer));
        }),
      );

      expect((await client.getApprovalsInbox()).items).toHaveLength(2);
      await client.getEntityApprovals(entityRef);

      expect(paths).toEqual([
        '/api/lexecon/v1/approvals',
        '/api/lexecon/v1/entities/default/component/payments-api/approvals',
      ]);
    });

    it('posts a decision with the GitHub token in its header only when given', async () => {
      const seen: Array<{ token: string | null; body: unknown; path: string }> =
        [];
      server.use(
        rest.post(
          `${entityPath}/approvals/:runId/:environment`,
          async (req, res, ctx) => {
            seen.push({
              token: req.headers.get(GITHUB_TOKEN_HEADER),
              body: await req.json(),
              path: req.url.pathname,
            });
            return res(ctx.json(decisionResult(paymentsWaiting)));
          },
        ),
      );

      const result = await client.decide({
        entityRef,
        runId: 9015,
        environment: 'production',
        body: decisionBody,
        githubToken: 'gho_jordan_token',
      });
      await client.decide({
        entityRef,
        runId: 9015,
        environment: 'production',
        body: decisionBody,
      });

      expect(result.auditId).toBe(42);
      expect(seen).toEqual([
        {
          token: 'gho_jordan_token',
          body: decisionBody,
          path: '/api/lexecon/v1/entities/default/component/payments-api/approvals/9015/production',
        },
        {
          token: null,
          body: decisionBody,
          path: '/api/lexecon/v1/entities/default/component/payments-api/approvals/9015/production',
        },
      ]);
    });

    it('keeps the conflict details of a 409', async () => {
      server.use(
        rest.post(
          `${entityPath}/approvals/:runId/:environment`,
          (_req, res, ctx) =>
            res(
              ctx.status(409),
              ctx.json({
                error: {
                  name: 'ConflictError',
                  message: 'Run 9015 was already approved for production',
                },
                response: { statusCode: 409 },
                conflict: { reason: 'already-decided', decidedBy: 'alex-kim' },
              }),
            ),
        ),
      );

      const error = await client
        .decide({
          entityRef,
          runId: 9015,
          environment: 'production',
          body: decisionBody,
        })
        .catch(e => e);

      expect(conflictOf(error)).toEqual({
        reason: 'already-decided',
        decidedBy: 'alex-kim',
      });
    });

    it('passes the audit filters and reads the chain verification', async () => {
      const seen: URLSearchParams[] = [];
      server.use(
        rest.get(`${baseUrl}/v1/audit`, (req, res, ctx) => {
          seen.push(req.url.searchParams);
          return res(ctx.json({ items: [] }));
        }),
        rest.get(`${baseUrl}/v1/audit/verify`, (_req, res, ctx) =>
          res(ctx.json({ ok: true, checked: 12 })),
        ),
      );

      await client.getAudit({
        entityRef: 'component:default/payments-api',
        from: '2026-11-01T00:00:00.000Z',
        limit: 50,
        cursor: '120',
      });

      expect(Object.fromEntries(seen[0])).toEqual({
        entityRef: 'component:default/payments-api',
        from: '2026-11-01T00:00:00.000Z',
        limit: '50',
        cursor: '120',
      });
      expect(await client.verifyAudit()).toEqual({ ok: true, checked: 12 });
    });
  });
});
