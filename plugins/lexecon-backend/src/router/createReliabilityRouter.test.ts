import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { LEXECON_HEALTH_URL_ANNOTATION } from '@internal/plugin-lexecon-common';
import express from 'express';
import request from 'supertest';
import { lexeconApiEntity, unannotatedEntity } from '../__fixtures__/entities';
import {
  decidingPermissions,
  PermissionQuery,
  readableOnly,
} from '../__fixtures__/permissions';
import { ReliabilityService } from '../service/ReliabilityService';
import { createReliabilityRouter } from './createReliabilityRouter';

function onCall(name: string, title: string): Entity {
  return {
    ...lexeconApiEntity,
    metadata: {
      name,
      namespace: 'default',
      title,
      annotations: {
        [LEXECON_HEALTH_URL_ANNOTATION]: `http://127.0.0.1:1/${name}/health`,
      },
    },
  };
}

const PAYMENTS = 'component:default/payments';
const LEDGER = 'component:default/ledger';
const auth = { Authorization: mockCredentials.user.header() };

async function setup(decide: (query: PermissionQuery) => boolean) {
  const calls: string[] = [];
  const reliability = {
    getOnCallBoard: async (
      services: Array<{ target: { entityRef: string }; title: string }>,
    ) => {
      calls.push(
        `getOnCallBoard ${services
          .map(s => `${s.target.entityRef} (${s.title})`)
          .join(', ')}`,
      );
      return { services: [], activeIncidents: [], timeline: [] };
    },
  } as unknown as ReliabilityService;
  const router = await createReliabilityRouter({
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.none(),
    }),
    permissions: decidingPermissions(decide),
    catalog: catalogServiceMock({
      entities: [
        onCall('payments', 'Payments'),
        onCall('ledger', 'Ledger'),
        unannotatedEntity,
      ],
    }),
    reliability,
  });
  return { app: express().use(router).use(mockErrorHandler()), calls };
}

describe('createReliabilityRouter permissions', () => {
  it('puts on the on-call board only the annotated services the caller may read', async () => {
    const both = await setup(() => true);
    await request(both.app).get('/v1/oncall').set(auth).expect(200);
    expect(both.calls).toEqual([
      `getOnCallBoard ${PAYMENTS} (Payments), ${LEDGER} (Ledger)`,
    ]);

    const ledgerOnly = await setup(readableOnly([LEDGER]));
    await request(ledgerOnly.app).get('/v1/oncall').set(auth).expect(200);
    expect(ledgerOnly.calls).toEqual([`getOnCallBoard ${LEDGER} (Ledger)`]);

    const none = await setup(readableOnly([]));
    await request(none.app).get('/v1/oncall').set(auth).expect(200);
    expect(none.calls).toEqual(['getOnCallBoard ']);
  });

  it('needs a signed-in caller for the board', async () => {
    const { app, calls } = await setup(() => true);
    await request(app).get('/v1/oncall').expect(401);
    expect(calls).toEqual([]);
  });
});
