import {
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SignalsService,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import type {
  ApprovalsInbox,
  AuditPage,
  AuditRecord,
  AuditVerification,
  PendingApproval,
} from '@internal/plugin-lexecon-common';
import {
  RecordedRequest,
  Sandbox,
  SandboxOptions,
  SandboxWorld,
  startSandbox,
} from '@internal/sandbox';
import { Knex } from 'knex';
import request from 'supertest';
import {
  lexeconApiEntity,
  unannotatedEntity,
  userEntities,
} from '../../__fixtures__/entities';
import { sandboxConfig } from '../../__fixtures__/testConfig';
import { lexeconPlugin } from '../../plugin';

export const ENTITY_PATH =
  '/api/lexecon/v1/entities/default/component/lexecon-api';
export const ENTITY_REF = 'component:default/lexecon-api';
/** The auditor of every harness: reads the trail, decides nothing. */
export const AUDITOR = 'casey-morgan';
export const COMMENT = 'Readiness 92, staging healthy for a day';

export const as = (name: string) => ({
  Authorization: mockCredentials.user.header(`user:default/${name}`),
});
export const tokenOf = (login: string) => `sandbox-token-for-${login}`;

export interface ApprovalsBackendOptions {
  /** Catalog users (by name) granted `lexecon.deployment.approve`; default alex-kim, jordan-lee. */
  approvers?: string[];
  /** Catalog users besides the fixtures' (alex-kim, jordan-lee, sam-okafor, casey-morgan, no-login). */
  users?: Entity[];
  sandbox?: SandboxOptions;
  /** Changes to the seeded world before the portal first reads it. */
  seed?: (world: SandboxWorld) => void;
  /** `lexecon` config over the sandbox defaults. */
  lexecon?: Record<string, unknown>;
  /** Where the plugin publishes its signals (default: the events service). */
  signals?: SignalsService;
}

/**
 * The portal's policy, in small: approvers approve, approvers and the auditor read the audit,
 * everyone reads and refreshes entities.
 */
function policy(approvers: string[]) {
  const refs = approvers.map(a => `user:default/${a}`);
  const readers = [...refs, `user:default/${AUDITOR}`];
  const allowed = (name: string, userRef?: string) => {
    if (name === 'lexecon.deployment.approve') {
      return refs.includes(userRef ?? '');
    }
    if (name === 'lexecon.audit.read') return readers.includes(userRef ?? '');
    return true;
  };
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory(): PermissionsService {
      const answer = (
        requests: ReadonlyArray<{ permission: { name: string } }>,
        credentials: { principal: unknown },
      ) => {
        const userRef = (credentials.principal as { userEntityRef?: string })
          .userEntityRef;
        return requests.map(r => ({
          result: allowed(r.permission.name, userRef)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        }));
      };
      return {
        async authorize(requests, { credentials }) {
          return answer(requests, credentials);
        },
        async authorizeConditional(requests, { credentials }) {
          return answer(requests, credentials);
        },
      } as PermissionsService;
    },
  });
}

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

/**
 * One sandbox and one backend for a whole test file on one database: each test makes its own
 * waiting runs, so tests do not see each other's decisions.
 *
 * Runs that tests approve deploy the commit already live in production (`at: 'live'`): the
 * live version then stays where the seed put it, so later runs of the head of `main` keep their
 * change set (and its authors) whatever the order the tests run in.
 */
export class ApprovalsBackend {
  private started?: {
    sandbox: Sandbox;
    knex: Knex;
    server: Server;
    stop: () => Promise<void>;
  };

  constructor(
    private readonly databases: TestDatabases,
    private readonly databaseId: TestDatabaseId,
    private readonly options: ApprovalsBackendOptions = {},
  ) {}

  get sandbox() {
    return this.ready().sandbox;
  }
  get knex() {
    return this.ready().knex;
  }
  get server() {
    return this.ready().server;
  }

  private ready() {
    if (!this.started) throw new Error('The approvals backend is not started');
    return this.started;
  }

  async start() {
    const sandbox = await startSandbox({
      quiet: true,
      ...this.options.sandbox,
    });
    this.options.seed?.(sandbox.world);
    const knex = await this.databases.init(this.databaseId);
    const backend = await startTestBackend({
      features: [
        lexeconPlugin,
        mockServices.rootConfig.factory({
          data: sandboxConfig(sandbox, this.options.lexecon),
        }),
        mockServices.database.factory({ knex }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: [
            lexeconApiEntity,
            unannotatedEntity,
            ...userEntities,
            ...(this.options.users ?? []),
          ],
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        policy(this.options.approvers ?? ['alex-kim', 'jordan-lee']),
        ...(this.options.signals
          ? [
              createServiceFactory({
                service: signalsServiceRef,
                deps: {},
                factory: () => this.options.signals!,
              }),
            ]
          : []),
      ],
    });
    this.started = {
      sandbox,
      knex,
      server: backend.server,
      stop: async () => {
        await backend.stop();
        await sandbox.stop();
      },
    };
  }

  async stop() {
    await this.started?.stop();
    this.started = undefined;
  }

  async inbox(who: string): Promise<ApprovalsInbox> {
    const response = await request(this.server)
      .get(`${ENTITY_PATH}/approvals`)
      .set(as(who));
    if (response.status !== 200) {
      throw new Error(`inbox answered ${response.status}: ${response.text}`);
    }
    return response.body;
  }

  /** The inbox item of a run as `who` sees it; fails when the run is not waiting. */
  async item(who: string, runId: number): Promise<PendingApproval> {
    const found = (await this.inbox(who)).items.find(i => i.runId === runId);
    if (!found) throw new Error(`run ${runId} is not in ${who}'s inbox`);
    return found;
  }

  decide(
    who: string,
    runId: number,
    options: { token?: string; decision?: string; comment?: string } = {},
  ) {
    const call = request(this.server)
      .post(`${ENTITY_PATH}/approvals/${runId}/production`)
      .set(as(who));
    if (options.token) call.set('x-lexecon-github-token', options.token);
    return call.send({
      decision: options.decision ?? 'approved',
      comment: options.comment ?? COMMENT,
    });
  }

  /** A new release run waiting on production, once the portal shows it in the inbox. */
  async waitingRun(
    options: { actor?: string; at: 'head' | 'live' } = { at: 'head' },
  ): Promise<{ runId: number; item: PendingApproval }> {
    const { runId } = this.sandbox.createWaitingRun({
      actor: options.actor,
      sha:
        options.at === 'live'
          ? this.sandbox.world.facts.lastProductionSha
          : undefined,
    });
    const refresh = await request(this.server)
      .post(`${ENTITY_PATH}/refresh`)
      .set(as(AUDITOR));
    if (refresh.status !== 202) {
      throw new Error(`refresh answered ${refresh.status}: ${refresh.text}`);
    }
    const item = await poll(
      async () =>
        (await this.inbox(AUDITOR)).items.find(i => i.runId === runId),
      `run ${runId} in the inbox`,
    );
    return { runId, item };
  }

  /** Approves a run in GitHub itself, with `login`'s own token, as its web page would. */
  async approveInGithub(item: PendingApproval, login: string): Promise<number> {
    const { githubUrl, owner, repo } = this.sandbox;
    const response = await fetch(
      `${githubUrl}/repos/${owner}/${repo}/actions/runs/${item.runId}/pending_deployments`,
      {
        method: 'POST',
        headers: {
          authorization: `token ${tokenOf(login)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          environment_ids: [item.environmentId],
          state: 'approved',
          comment: 'Approved in GitHub',
        }),
      },
    );
    return response.status;
  }

  /** Reviews of a run that reached the sandbox's GitHub (both modes), faulted ones included. */
  reviewPosts(runId: number): RecordedRequest[] {
    return this.sandbox
      .requests()
      .filter(
        r =>
          r.method === 'POST' &&
          r.path.includes(`/actions/runs/${runId}/`) &&
          /pending_deployments|deployment_protection_rule/.test(r.path),
      );
  }

  /** The reviews the sandbox's GitHub recorded on the run. */
  githubReviews(runId: number) {
    const run = this.sandbox.world.runs.find(r => r.id === runId);
    if (!run) throw new Error(`the sandbox has no run ${runId}`);
    return run.approvals;
  }

  /** The audit trail of one run, newest first, as the auditor reads it. */
  async auditOf(runId: number): Promise<AuditRecord[]> {
    const response = await request(this.server)
      .get('/api/lexecon/v1/audit?limit=500')
      .set(as(AUDITOR));
    if (response.status !== 200) {
      throw new Error(`audit answered ${response.status}: ${response.text}`);
    }
    return (response.body as AuditPage).items.filter(r => r.runId === runId);
  }

  async verify(): Promise<AuditVerification> {
    const response = await request(this.server)
      .get('/api/lexecon/v1/audit/verify')
      .set(as(AUDITOR));
    if (response.status !== 200) {
      throw new Error(`verify answered ${response.status}: ${response.text}`);
    }
    return response.body;
  }

  /** The portal's claim row of a run, straight from the database. */
  claimRow(runId: number) {
    return this.knex('lexecon_approval_decisions')
      .where({ run_id: runId, environment: 'production' })
      .first();
  }
}

/** Starts one ApprovalsBackend for the enclosing describe block and stops it after. */
export function useApprovalsBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options?: ApprovalsBackendOptions,
): ApprovalsBackend {
  const backend = new ApprovalsBackend(databases, databaseId, options);
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  return backend;
}

/** Polls a real condition (a background refresh landing) until it holds, for up to 20 s. */
export async function poll<T>(
  read: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
