import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import request from 'supertest';
import { Approvals } from '../approvals/createApprovals';
import { AuditLog } from '../audit/AuditLog';
import { lexeconApiEntity } from '../__fixtures__/entities';
import {
  decidingPermissions,
  PermissionQuery,
  readableOnly,
} from '../__fixtures__/permissions';
import { DeploymentHistoryService } from '../service/DeploymentHistoryService';
import { ReliabilityService } from '../service/ReliabilityService';
import { SnapshotReader } from '../snapshots/SnapshotReader';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { createRouter } from './createRouter';

const otherEntity: Entity = {
  ...lexeconApiEntity,
  metadata: { ...lexeconApiEntity.metadata, name: 'billing-api' },
};
const API = 'component:default/lexecon-api';
const BILLING = 'component:default/billing-api';
const entityPath = '/v1/entities/default/component/lexecon-api';
const billingPath = '/v1/entities/default/component/billing-api';
const auth = { Authorization: mockCredentials.user.header() };

/** The router over fakes that record every call that would reach upstream or the store. */
async function setup(decide: (query: PermissionQuery) => boolean) {
  const calls: string[] = [];
  // Records the entity each call is for: a target, or a decision's `{ target }`.
  const refOf = (arg: unknown) => {
    const value = arg as { entityRef?: string; target?: { entityRef: string } };
    return value?.entityRef ?? value?.target?.entityRef;
  };
  const called =
    <T>(name: string, value: T) =>
    async (arg: unknown) => {
      calls.push(`${name} ${refOf(arg)}`);
      return value;
    };
  const deployments = {
    getOverview: called('getOverview', { status: 'ok', sources: [] }),
    listDeployments: called('listDeployments', {
      section: { status: 'ok', sources: [] },
      items: [],
      totalCount: 0,
    }),
    getChangelog: called('getChangelog', {}),
  } as unknown as DeploymentHistoryService;
  const refresher = {
    refreshInBackground: (target: { entityRef: string }) => {
      calls.push(`refreshInBackground ${target.entityRef}`);
    },
  } as unknown as SnapshotRefresher;
  const approvals = {
    identity: { viewer: async () => ({ credentials: mockCredentials.user() }) },
    pending: {
      inbox: async (covered: Array<{ target: { entityRef: string } }>) => {
        calls.push(`inbox ${covered.map(c => c.target.entityRef).join(',')}`);
        return { items: [], sources: [], generatedAt: '' };
      },
    },
    workflow: { decide: called('decide', {}) },
  } as unknown as Approvals;
  const router = await createRouter({
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.none(),
    }),
    auth: mockServices.auth(),
    permissions: decidingPermissions(decide),
    catalog: catalogServiceMock({ entities: [lexeconApiEntity, otherEntity] }),
    logger: mockServices.logger.mock(),
    deployments,
    refresher,
    approvals,
    audit: { append: async () => undefined } as unknown as AuditLog,
    reader: {
      readMany: async () => [],
    } as unknown as SnapshotReader,
    reliability: {
      getReliability: called('getReliability', {
        sections: { flags: {}, sla: {}, health: {} },
      }),
    } as unknown as ReliabilityService,
    refreshMinIntervalMs: 30_000,
  });
  const app = express().use(router).use(mockErrorHandler());
  return { app, calls };
}

describe('createRouter permissions', () => {
  const readRoutes: Array<
    [string, (app: express.Express, path?: string) => request.Test]
  > = [
    [
      'overview',
      (app, path = entityPath) => request(app).get(`${path}/overview`),
    ],
    [
      'reliability',
      (app, path = entityPath) => request(app).get(`${path}/reliability`),
    ],
    [
      'sections',
      (app, path = entityPath) =>
        request(app).get(`${path}/sections?include=sla`),
    ],
    [
      'deployments',
      (app, path = entityPath) => request(app).get(`${path}/deployments`),
    ],
    [
      'changelog',
      (app, path = entityPath) =>
        request(app).get(`${path}/deployments/production:run:42/changelog`),
    ],
    [
      'entity approvals',
      (app, path = entityPath) => request(app).get(`${path}/approvals`),
    ],
    [
      'a decision',
      (app, path = entityPath) =>
        request(app)
          .post(`${path}/approvals/42/production`)
          .send({ decision: 'approved', comment: 'ok' }),
    ],
  ];

  it.each(readRoutes)(
    'refuses %s without the read permission on the entity, before anything is read or fetched',
    async (_name, call) => {
      const { app, calls } = await setup(readableOnly([]));
      const response = await call(app).set(auth);
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        `Missing permission lexecon.entity.read on ${API}`,
      );
      expect(calls).toEqual([]);
    },
  );

  it.each(readRoutes)(
    'serves %s with the read permission on that entity, and refuses it for another',
    async (_name, call) => {
      const { app, calls } = await setup(readableOnly([API]));
      const response = await call(app).set(auth);
      expect(response.status).toBe(200);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatch(new RegExp(`${API}$`));
      const other = await call(app, billingPath).set(auth);
      expect(other.status).toBe(403);
      expect(other.body.error.message).toBe(
        `Missing permission lexecon.entity.read on ${BILLING}`,
      );
      expect(calls).toHaveLength(1);
    },
  );

  it('refuses a section that is not declared, naming the ones there are', async () => {
    const { app, calls } = await setup(() => true);
    const response = await request(app)
      .get(`${entityPath}/sections?include=sla,costs`)
      .set(auth);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(
      'must list sections among deployments, approvals, flags, sla, health',
    );
    expect(calls).toEqual([]);
  });

  it('refuses a refresh without the refresh permission and starts none', async () => {
    const { app, calls } = await setup(
      q => q.permission !== 'lexecon.entity.refresh',
    );
    const response = await request(app).post(`${entityPath}/refresh`).set(auth);
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      `Missing permission lexecon.entity.refresh on ${API}`,
    );
    expect(calls).toEqual([]);
  });

  it('queues a refresh with the refresh permission', async () => {
    const { app, calls } = await setup(() => true);
    const response = await request(app).post(`${entityPath}/refresh`).set(auth);
    expect(response.status).toBe(202);
    expect(calls).toEqual([`refreshInBackground ${API}`]);
  });

  it('builds the portal-wide inbox from the entities the caller may read, and from no other', async () => {
    const onlyApi = await setup(readableOnly([API]));
    await request(onlyApi.app).get('/v1/approvals').set(auth).expect(200);
    expect(onlyApi.calls).toEqual([`inbox ${API}`]);

    const both = await setup(() => true);
    await request(both.app).get('/v1/approvals').set(auth).expect(200);
    expect(both.calls).toEqual([`inbox ${API},${BILLING}`]);

    const none = await setup(readableOnly([]));
    await request(none.app).get('/v1/approvals').set(auth).expect(200);
    expect(none.calls).toEqual(['inbox ']);
  });
});
