import {
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ApprovalsInbox,
  AuditPage,
  AuditVerification,
  DeploymentsPage,
  PendingApproval,
} from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import request from 'supertest';
import {
  lexeconApiEntity,
  unannotatedEntity,
  userEntities,
} from '../__fixtures__/entities';
import { sandboxConfig } from '../__fixtures__/testConfig';
import { lexeconPlugin } from '../plugin';

jest.setTimeout(90_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

const entityPath = '/api/lexecon/v1/entities/default/component/lexecon-api';
const APPROVERS = ['user:default/alex-kim', 'user:default/jordan-lee'];
const AUDITORS = ['user:default/casey-morgan'];

const as = (name: string) => ({
  Authorization: mockCredentials.user.header(`user:default/${name}`),
});
const tokenOf = (login: string) => `sandbox-token-for-${login}`;

/** The portal's policy, in small: approvers approve, auditors and approvers read the audit. */
const policyPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory(): PermissionsService {
    const decide = (name: string, userRef?: string) => {
      if (name === 'lexecon.deployment.approve') {
        return APPROVERS.includes(userRef ?? '');
      }
      if (name === 'lexecon.audit.read') {
        return [...APPROVERS, ...AUDITORS].includes(userRef ?? '');
      }
      return true;
    };
    const userOf = (credentials: { principal: unknown }) =>
      (credentials.principal as { userEntityRef?: string }).userEntityRef;
    return {
      async authorize(requests, { credentials }) {
        return requests.map(r => ({
          result: decide(r.permission.name, userOf(credentials))
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        }));
      },
      async authorizeConditional(requests, { credentials }) {
        return requests.map(r => ({
          result: decide(r.permission.name, userOf(credentials))
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        }));
      },
    } as PermissionsService;
  },
});

describe.each(databases.eachSupportedId())('approvals on %s', databaseId => {
  let sandbox: Sandbox;
  let knex: Knex;
  let sandboxOptions: Parameters<typeof startSandbox>[0] = {};
  beforeEach(() => {
    sandboxOptions = {};
  });

  afterEach(async () => {
    await sandbox?.stop();
  });

  async function start(lexeconOverrides: Record<string, unknown> = {}) {
    sandbox = await startSandbox({ quiet: true, ...sandboxOptions });
    knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        lexeconPlugin,
        mockServices.rootConfig.factory({
          data: sandboxConfig(sandbox, lexeconOverrides),
        }),
        mockServices.database.factory({ knex }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: [lexeconApiEntity, unannotatedEntity, ...userEntities],
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        policyPermissions,
      ],
    });
    return server;
  }

  type Server = Awaited<ReturnType<typeof start>>;

  async function inbox(server: Server, who: string) {
    const response = await request(server)
      .get(`${entityPath}/approvals`)
      .set(as(who));
    expect(response.status).toBe(200);
    return response.body as ApprovalsInbox;
  }

  async function waiting(server: Server, who = 'alex-kim') {
    const { items } = await inbox(server, who);
    const item = items.find(i => i.runId === sandbox.world.facts.waitingRunId);
    expect(item).toBeDefined();
    return item as PendingApproval;
  }

  function decide(
    server: Server,
    who: string,
    options: { token?: string; decision?: string; comment?: string } = {},
  ) {
    const call = request(server)
      .post(
        `${entityPath}/approvals/${sandbox.world.facts.waitingRunId}/production`,
      )
      .set(as(who));
    if (options.token) call.set('x-lexecon-github-token', options.token);
    return call.send({
      decision: options.decision ?? 'approved',
      comment: options.comment ?? 'Readiness 92, staging healthy for a day',
    });
  }

  const reviewPosts = () =>
    sandbox
      .requests()
      .filter(
        r =>
          r.method === 'POST' &&
          /pending_deployments|deployment_protection_rule/.test(r.path),
      );

  async function auditRows(server: Server) {
    const response = await request(server)
      .get('/api/lexecon/v1/audit?limit=500')
      .set(as('casey-morgan'));
    expect(response.status).toBe(200);
    return (response.body as AuditPage).items;
  }

  it('shows the waiting production deploy with its change set, CI, staging and readiness', async () => {
    const server = await start();
    const item = await waiting(server);
    expect(item.environment).toBe('production');
    expect(item.mode).toBe('github-reviewers');
    expect(item.version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(item.requiredReviewers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Team', name: 'release-approvers' }),
      ]),
    );
    expect(item.changeSet?.commits.length).toBeGreaterThan(0);
    expect(item.changeSet?.authors).toContain('jordan-lee');
    expect(item.changeSet?.authors).not.toContain('alex-kim');
    expect(item.changeSet?.base?.version).toBe(
      sandbox.world.facts.lastProductionVersion,
    );
    expect(item.ci?.checks.length).toBeGreaterThan(0);
    expect(item.staging?.health).toBe('healthy');
    expect(item.staging?.onStagingSeconds).toBeGreaterThan(0);
    expect(item.readiness?.inputs.map(i => i.key)).toEqual([
      'ci',
      'coverage',
      'security',
      'quality',
    ]);
    expect(item.readiness?.inputs.every(i => i.score !== undefined)).toBe(true);
    expect(item.readiness?.band).toBe('good');
    expect(item.readiness?.passesGate).toBe(true);
    expect(item.expiresAt > item.waitingSince).toBe(true);
    expect(item.warnings).toEqual([]);
  });

  it('tells each person whether they may decide, and why not', async () => {
    const server = await start();
    const alex = await waiting(server, 'alex-kim');
    expect(alex.viewer).toMatchObject({
      canDecide: true,
      githubLogin: 'alex-kim',
      needsGithubToken: true,
      reasons: [],
    });
    const jordan = await waiting(server, 'jordan-lee');
    expect(jordan.viewer.canDecide).toBe(false);
    expect(jordan.viewer.reasons.map(r => r.code)).toEqual(['own-change']);
    const sam = await waiting(server, 'sam-okafor');
    expect(sam.viewer.reasons.map(r => r.code)).toEqual([
      'missing-permission',
      'not-reviewer',
    ]);
    expect(sam.viewer.reasons[0].permission).toBe('lexecon.deployment.approve');
    const triggeredBy = sandbox.world.facts.waitingRunTriggeredBy;
    const requester = await waiting(server, triggeredBy);
    expect(requester.viewer.reasons.map(r => r.code)).toContain(
      'missing-permission',
    );
  });

  it('approves through GitHub with the approver token, once, and the history shows it', async () => {
    const server = await start();
    const item = await waiting(server);
    const response = await decide(server, 'alex-kim', {
      token: tokenOf('alex-kim'),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      decision: 'approved',
      environment: 'production',
      version: item.version,
      decidedBy: 'user:default/alex-kim',
      githubLogin: 'alex-kim',
    });
    expect(reviewPosts()).toHaveLength(1);

    const again = await decide(server, 'alex-kim', {
      token: tokenOf('alex-kim'),
    });
    expect(again.status).toBe(409);
    expect(again.body.conflict).toMatchObject({
      reason: 'already-decided',
      decidedBy: 'user:default/alex-kim',
    });
    expect(again.body.error.message).toContain('already approved');
    expect(reviewPosts()).toHaveLength(1);

    const after = await inbox(server, 'alex-kim');
    expect(after.items.map(i => i.runId)).not.toContain(item.runId);

    // The decision triggered a refresh: the production deploy is in the history, approved.
    let deploy;
    for (let i = 0; i < 40 && !deploy; i++) {
      const page = await request(server)
        .get(`${entityPath}/deployments?environment=production&limit=5`)
        .set(as('alex-kim'));
      deploy = (page.body as DeploymentsPage).items.find(
        d => d.runId === item.runId && d.result === 'success',
      );
      if (!deploy) await new Promise(r => setTimeout(r, 250));
    }
    expect(deploy?.approval?.user.login).toBe('alex-kim');
    expect(deploy?.approval?.comment).toBe(
      'Readiness 92, staging healthy for a day',
    );

    const rows = await auditRows(server);
    const decision = rows.find(r => r.action === 'decision');
    expect(decision).toMatchObject({
      actor: 'user:default/alex-kim',
      githubLogin: 'alex-kim',
      entityRef: 'component:default/lexecon-api',
      runId: item.runId,
      environment: 'production',
      version: item.version,
      decision: 'approved',
      upstreamStatus: 200,
    });
  });

  it('refuses the wrong people before anything reaches GitHub, and records every refusal', async () => {
    const server = await start();
    const sam = await decide(server, 'sam-okafor', {
      token: tokenOf('sam-okafor'),
    });
    expect(sam.status).toBe(403);
    expect(sam.body.error.message).toContain('lexecon.deployment.approve');
    const jordan = await decide(server, 'jordan-lee', {
      token: tokenOf('jordan-lee'),
    });
    expect(jordan.status).toBe(403);
    expect(jordan.body.error.message).toMatch(/authored .* segregation/);
    const auditor = await decide(server, 'casey-morgan', {
      token: tokenOf('casey-morgan'),
    });
    expect(auditor.status).toBe(403);
    const noToken = await decide(server, 'alex-kim');
    expect(noToken.status).toBe(401);
    expect(noToken.body.error.message).toContain('Sign in with GitHub');
    const borrowed = await decide(server, 'alex-kim', {
      token: tokenOf('jordan-lee'),
    });
    expect(borrowed.status).toBe(403);
    expect(borrowed.body.error.message).toContain('belongs to jordan-lee');
    const noComment = await decide(server, 'alex-kim', {
      token: tokenOf('alex-kim'),
      comment: '  ',
    });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.message).toContain('comment');

    expect(reviewPosts()).toEqual([]);
    const rows = await auditRows(server);
    expect(rows.map(r => r.action)).toEqual(Array(5).fill('refused'));
    expect(rows.map(r => r.actor)).toEqual(
      expect.arrayContaining([
        'user:default/sam-okafor',
        'user:default/jordan-lee',
        'user:default/casey-morgan',
        'user:default/alex-kim',
      ]),
    );
    // The run is still waiting: nothing was approved.
    expect((await waiting(server)).viewer.canDecide).toBe(true);
  });

  it('sends one review upstream when the same approval arrives many times at once', async () => {
    const server = await start();
    await waiting(server);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        decide(server, 'alex-kim', { token: tokenOf('alex-kim') }),
      ),
    );
    const statuses = responses.map(r => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
    expect(reviewPosts()).toHaveLength(1);
    for (const r of responses.filter(x => x.status === 409)) {
      expect(r.body.conflict.decidedBy).toBe('user:default/alex-kim');
    }
  });

  it('answers 409 with what happened when the run was approved in GitHub meanwhile', async () => {
    const server = await start();
    const item = await waiting(server);
    const direct = await fetch(
      `${sandbox.githubUrl}/repos/${sandbox.owner}/${sandbox.repo}/actions/runs/${item.runId}/pending_deployments`,
      {
        method: 'POST',
        headers: {
          authorization: `token ${tokenOf('alex-kim')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          environment_ids: [item.environmentId],
          state: 'approved',
          comment: 'Approved in GitHub',
        }),
      },
    );
    expect(direct.status).toBe(200);
    const response = await decide(server, 'alex-kim', {
      token: tokenOf('alex-kim'),
    });
    expect(response.status).toBe(409);
    expect(response.body.conflict.reason).toBe('no-longer-waiting');
    expect(response.body.error.message).toContain(
      'approved in GitHub by alex-kim',
    );
  });

  it('maps a GitHub failure to a clear message and records nothing as approved', async () => {
    const server = await start();
    await waiting(server);
    sandbox.setFaults([
      {
        source: 'github',
        kind: '5xx',
        status: 503,
        pathPattern: '^/api/v3/user$',
      },
    ]);
    const failed = await decide(server, 'alex-kim', {
      token: tokenOf('alex-kim'),
    });
    expect(failed.status).toBe(502);
    expect(failed.body.error.message).toContain(
      'Nothing was recorded as approved',
    );
    sandbox.clearFaults();
    const rows = await auditRows(server);
    expect(rows.map(r => r.action)).toEqual(['upstream-error']);
    // The claim was given back: a retry goes through.
    const retry = await decide(server, 'alex-kim', {
      token: tokenOf('alex-kim'),
    });
    expect(retry.status).toBe(200);
  });

  it('keeps a hash chain that exposes a changed or removed record', async () => {
    const server = await start();
    for (const who of ['sam-okafor', 'jordan-lee', 'casey-morgan']) {
      await decide(server, who, { token: tokenOf(who) });
    }
    const verify = async () => {
      const response = await request(server)
        .get('/api/lexecon/v1/audit/verify')
        .set(as('casey-morgan'));
      expect(response.status).toBe(200);
      return response.body as AuditVerification;
    };
    expect(await verify()).toMatchObject({ ok: true, checked: 3 });
    const forbidden = await request(server)
      .get('/api/lexecon/v1/audit/verify')
      .set(as('sam-okafor'));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toContain('lexecon.audit.read');

    const [first, second] = await knex('lexecon_audit_log').orderBy('id');
    await knex('lexecon_audit_log')
      .where({ id: second.id })
      .update({ comment: 'LGTM (edited later)' });
    expect(await verify()).toMatchObject({
      ok: false,
      firstBroken: { id: second.id },
    });
    await knex('lexecon_audit_log')
      .where({ id: second.id })
      .update({ comment: second.comment });
    expect((await verify()).ok).toBe(true);
    await knex('lexecon_audit_log').where({ id: first.id }).delete();
    const broken = await verify();
    expect(broken.ok).toBe(false);
    expect(broken.firstBroken?.id).toBe(second.id);
    expect(broken.firstBroken?.reason).toContain('removed');
  });

  it('answers a custom protection rule with the portal App in portal-gate mode', async () => {
    sandboxOptions = { gates: { production: 'custom-rule' } };
    const server = await start({
      approvals: { environments: { production: { mode: 'portal-gate' } } },
    });
    const item = await waiting(server);
    expect(item.mode).toBe('portal-gate');
    expect(item.viewer).toMatchObject({
      canDecide: true,
      needsGithubToken: false,
    });
    const response = await decide(server, 'alex-kim');
    expect(response.status).toBe(200);
    expect(response.body.mode).toBe('portal-gate');
    const posts = reviewPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0].path).toContain('/deployment_protection_rule');
    const sam = await decide(server, 'sam-okafor');
    expect(sam.status).toBe(409);
  });
});
