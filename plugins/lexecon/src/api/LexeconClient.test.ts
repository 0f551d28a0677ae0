import {
  ConflictError,
  InputError,
  NotAllowedError,
  ResponseError,
} from '@backstage/errors';
import { mockApis } from '@backstage/test-utils';
import {
  approvalParamsSchema,
  auditQuerySchema,
  decisionBodySchema,
  DeploymentsPage,
  deploymentsQuerySchema,
  GITHUB_TOKEN_HEADER,
} from '@internal/plugin-lexecon-common';
import {
  decisionResult,
  inbox,
  paymentsWaiting,
} from '../__fixtures__/approvals';
import {
  allDeployments,
  entityRef,
  githubSource,
  overview,
} from '../__fixtures__/deployments';
import {
  Answer,
  backstageErrorBody,
  ReceivedRequest,
  setupLocalBackend,
} from '../__testUtils__/localBackend';
import { conflictOf } from '../components/Approvals/useDecision';
import { errorMessage } from '../components/shared/format';
import { LexeconClient } from './LexeconApi';

const entityPath = '/v1/entities/default/component/payments-api';

/** The part of a zod schema used here (zod itself is a dependency of the common package). */
interface InputSchema<T> {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: Error };
}

/**
 * Parses `input` with the schema the backend parses it with; a value it would refuse is answered
 * with the 400 it would send, so a client request the backend cannot read fails the test.
 */
function acceptedBy<T>(
  schema: InputSchema<T>,
  input: unknown,
  request: ReceivedRequest,
  answer: (parsed: T) => Answer,
): Answer {
  const result = schema.safeParse(input);
  if (!result.success) {
    return {
      status: 400,
      json: backstageErrorBody(
        new InputError(`Invalid request: ${result.error.message}`),
        400,
        request,
      ),
    };
  }
  return answer(result.data);
}

describe('LexeconClient against a backend on 127.0.0.1', () => {
  const backend = setupLocalBackend();
  const client = () =>
    new LexeconClient({
      discoveryApi: mockApis.discovery({ baseUrl: backend.origin }),
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });

  it('reads the overview at the entity path, with the kind in lower case', async () => {
    const sent = overview();
    backend.on('GET', `${entityPath}/overview`, () => ({ json: sent }));

    const result = await client().getOverview({
      kind: 'Component',
      namespace: 'default',
      name: 'payments-api',
    });

    expect(backend.received.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET ${entityPath}/overview`,
    ]);
    expect(result).toEqual(JSON.parse(JSON.stringify(sent)));
  });

  it('pages the deploy history with filters the backend accepts, passing its cursor back', async () => {
    // Pages like the backend: filters, then `limit` items from the cursor's offset.
    backend.on('GET', `${entityPath}/deployments`, request =>
      acceptedBy(deploymentsQuerySchema, request.query, request, query => {
        const offset = query.cursor
          ? Number(Buffer.from(query.cursor, 'base64url').toString().slice(2))
          : 0;
        const matching = allDeployments.filter(
          d =>
            (!query.environment || d.environment === query.environment) &&
            (!query.result || d.result === query.result),
        );
        const next = offset + query.limit;
        const page: DeploymentsPage = {
          entityRef: 'component:default/payments-api',
          section: { status: 'ok', sources: [githubSource()] },
          items: matching.slice(offset, next),
          totalCount: matching.length,
          nextCursor:
            next < matching.length
              ? Buffer.from(`o:${next}`).toString('base64url')
              : undefined,
        };
        return { json: page };
      }),
    );

    const first = await client().getDeployments(entityRef, {
      environment: 'production',
      result: 'success',
      limit: 2,
    });
    const second = await client().getDeployments(entityRef, {
      environment: 'production',
      result: 'success',
      limit: 2,
      cursor: first.nextCursor,
    });

    expect(backend.received.map(r => r.rawQuery)).toEqual([
      'environment=production&result=success&limit=2',
      `environment=production&result=success&limit=2&cursor=${first.nextCursor}`,
    ]);
    const successes = allDeployments
      .filter(d => d.environment === 'production' && d.result === 'success')
      .map(d => d.id);
    expect(successes.length).toBeGreaterThan(3);
    expect([...first.items, ...second.items].map(d => d.id)).toEqual(
      successes.slice(0, 4),
    );
  });

  it('leaves out filters that are not set, so the backend applies its defaults', async () => {
    backend.on('GET', `${entityPath}/deployments`, request =>
      acceptedBy(deploymentsQuerySchema, request.query, request, query => ({
        json: { items: [], totalCount: 0, query },
      })),
    );

    await client().getDeployments(entityRef, { environment: '' });
    await client().getDeployments(entityRef);

    expect(backend.received.map(r => r.rawQuery)).toEqual(['', '']);
  });

  it('asks for the changelog of a deployment id, one path segment', async () => {
    backend.on(
      'GET',
      `${entityPath}/deployments/production%3Ahelm%3A41/changelog`,
      () => ({ json: { deploymentId: 'production:helm:41' } }),
    );

    await expect(
      client().getChangelog(entityRef, 'production:helm:41'),
    ).resolves.toEqual({ deploymentId: 'production:helm:41' });
  });

  it('asks for a refresh with a POST, which the backend queues', async () => {
    backend.on('POST', `${entityPath}/refresh`, () => ({
      status: 202,
      json: { status: 'queued' },
    }));

    await expect(client().refresh(entityRef)).resolves.toEqual({
      status: 'queued',
    });
    expect(backend.received).toHaveLength(1);
  });

  describe('errors', () => {
    it("turns a refusal into a ResponseError that carries the backend's message", async () => {
      const message =
        'Missing permission lexecon.entity.read for component:default/payments-api';
      backend.on('GET', `${entityPath}/overview`, request => ({
        status: 403,
        json: backstageErrorBody(new NotAllowedError(message), 403, request),
      }));

      const error = await client()
        .getOverview(entityRef)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ResponseError);
      const responseError = error as ResponseError;
      expect(responseError.statusCode).toBe(403);
      expect(responseError.body.error.name).toBe('NotAllowedError');
      expect(responseError.cause.name).toBe('NotAllowedError');
      // What the cards show the user.
      expect(errorMessage(responseError)).toBe(message);
    });

    it('says which query parameter the backend refused', async () => {
      backend.on('GET', `${entityPath}/deployments`, request =>
        acceptedBy(deploymentsQuerySchema, request.query, request, () => ({
          json: {},
        })),
      );

      const error = await client()
        .getDeployments(entityRef, { limit: 500 })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect((error as ResponseError).statusCode).toBe(400);
      expect(errorMessage(error as ResponseError)).toMatch(
        /^Invalid request: .*"limit"/s,
      );
    });

    it('keeps the status of an answer that is not from the backend (a proxy page)', async () => {
      backend.on('GET', '/v1/approvals', () => ({
        status: 502,
        html: '<html><body>Bad gateway</body></html>',
      }));

      const error = await client()
        .getApprovalsInbox()
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect((error as ResponseError).statusCode).toBe(502);
      expect(errorMessage(error as ResponseError)).toBe(
        'Request failed with status 502 Bad Gateway, <html><body>Bad gateway</body></html>',
      );
    });
  });

  describe('approvals', () => {
    const decisionBody = {
      decision: 'approved' as const,
      comment: 'CHG-2001 approved by CAB',
      expectedSha: paymentsWaiting.sha,
    };

    function acceptDecisions() {
      backend.on('POST', `${entityPath}/approvals/9015/production`, request =>
        acceptedBy(
          approvalParamsSchema.extend({ body: decisionBodySchema }),
          { runId: '9015', environment: 'production', body: request.body },
          request,
          () => ({ json: decisionResult(paymentsWaiting) }),
        ),
      );
    }

    it('reads the portal-wide inbox and the inbox of one entity', async () => {
      const sent = inbox();
      backend.on('GET', '/v1/approvals', () => ({ json: sent }));
      backend.on('GET', `${entityPath}/approvals`, () => ({
        json: inbox([paymentsWaiting]),
      }));

      const all = await client().getApprovalsInbox();
      const own = await client().getEntityApprovals(entityRef);

      expect(all.items.map(i => i.runId)).toEqual(sent.items.map(i => i.runId));
      expect(own.items.map(i => i.runId)).toEqual([paymentsWaiting.runId]);
    });

    it('posts the decision and its comment as JSON the backend accepts', async () => {
      acceptDecisions();

      const result = await client().decide({
        entityRef,
        runId: 9015,
        environment: 'production',
        body: decisionBody,
      });

      const [request] = backend.received;
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.body).toEqual(decisionBody);
      expect(request.headers[GITHUB_TOKEN_HEADER]).toBeUndefined();
      expect(result).toEqual(
        JSON.parse(JSON.stringify(decisionResult(paymentsWaiting))),
      );
    });

    it('sends the GitHub token in the header of the decision only', async () => {
      acceptDecisions();
      backend.on('GET', `${entityPath}/approvals`, () => ({ json: inbox() }));

      await client().decide({
        entityRef,
        runId: 9015,
        environment: 'production',
        body: decisionBody,
        githubToken: 'gho_jordan_token',
      });
      await client().getEntityApprovals(entityRef);

      const [decision, reload] = backend.received;
      expect(decision.headers[GITHUB_TOKEN_HEADER]).toBe('gho_jordan_token');
      expect(JSON.stringify(decision.body)).not.toContain('gho_jordan_token');
      expect(decision.rawQuery).toBe('');
      expect(reload.headers[GITHUB_TOKEN_HEADER]).toBeUndefined();
    });

    it('keeps the conflict details of a 409', async () => {
      backend.on(
        'POST',
        `${entityPath}/approvals/9015/production`,
        request => ({
          status: 409,
          json: {
            ...backstageErrorBody(
              new ConflictError('Run 9015 was already approved for production'),
              409,
              request,
            ),
            conflict: { reason: 'already-decided', decidedBy: 'alex-kim' },
          },
        }),
      );

      const error = await client()
        .decide({
          entityRef,
          runId: 9015,
          environment: 'production',
          body: decisionBody,
        })
        .catch((e: unknown) => e);

      expect(conflictOf(error)).toEqual({
        reason: 'already-decided',
        decidedBy: 'alex-kim',
      });
      expect(errorMessage(error as ResponseError)).toBe(
        'Run 9015 was already approved for production',
      );
    });

    it('passes audit filters a person typed to the backend unchanged', async () => {
      backend.on('GET', '/v1/audit', request =>
        acceptedBy(auditQuerySchema, request.query, request, query => ({
          json: { items: [], query },
        })),
      );
      // Free text from the filter box: characters that mean something in a query string.
      const typed = 'component:default/a&b=c #d+e ø';

      await client().getAudit({
        entityRef: typed,
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-20T12:00:00.000Z',
        limit: 50,
        cursor: '120',
      });

      expect(backend.received[0].query).toEqual({
        entityRef: typed,
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-20T12:00:00.000Z',
        limit: '50',
        cursor: '120',
      });
    });

    it('reads the verification of the audit chain', async () => {
      backend.on('GET', '/v1/audit/verify', () => ({
        json: {
          ok: false,
          checked: 12,
          firstBroken: { id: 7, reason: 'hash does not match' },
        },
      }));

      await expect(client().verifyAudit()).resolves.toEqual({
        ok: false,
        checked: 12,
        firstBroken: { id: 7, reason: 'hash does not match' },
      });
    });
  });
});
