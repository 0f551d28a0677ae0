import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EvidenceControlsResponse } from '@internal/plugin-lexecon-common';
import type { Sandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import request from 'supertest';
import { lexeconPlugin } from '../../plugin';
import {
  decidingPermissionsFactory,
  PermissionQuery,
} from '../../__fixtures__/permissions';
import {
  lexeconApiWithReliability,
  reliabilityConfig,
} from '../../__fixtures__/reliability';
import { sandboxConfig } from '../../__fixtures__/testConfig';

export const EVIDENCE_ENTITY =
  '/api/lexecon/v1/entities/default/component/lexecon-api';
export const EVIDENCE_API = '/api/lexecon/v1/evidence';
export const evidenceAuth = { Authorization: mockCredentials.user.header() };

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

/** Polls a real condition (a stored snapshot showing something), never a fixed sleep. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
) {
  for (let round = 0; round < 80; round++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error('The condition never held');
}

/** The Lexecon backend against the sandbox, with the Lexecon API in the catalog. */
export async function startEvidenceBackend(
  sandbox: Sandbox,
  knex: Knex,
  decide?: (q: PermissionQuery) => boolean,
): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      lexeconPlugin,
      mockServices.rootConfig.factory({
        data: sandboxConfig(sandbox, reliabilityConfig(sandbox)),
      }),
      mockServices.database.factory({ knex }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({
        entities: [lexeconApiWithReliability(sandbox)],
      }),
      ...(decide ? [decidingPermissionsFactory(decide)] : []),
    ],
  });
  return server;
}

/**
 * Reads the deploy history and SLA (a first view fetches them), then asks for a manual refresh,
 * which runs the portal-evidence source on those snapshots and reads GitHub's evidence; waits for
 * both to be stored.
 */
export async function collectEvidence(server: Server) {
  const get = (path: string) => request(server).get(path).set(evidenceAuth);
  await get(`${EVIDENCE_ENTITY}/deployments`).expect(200);
  await get(`${EVIDENCE_ENTITY}/reliability`).expect(200);
  await request(server)
    .post(`${EVIDENCE_ENTITY}/refresh`)
    .set(evidenceAuth)
    .expect(202);
  await until(
    async () =>
      (
        await get(`${EVIDENCE_API}/controls`)
      ).body as EvidenceControlsResponse,
    ({ controls }) =>
      ['cc8.1-change-population', 'cc6.2-admin-count'].every(itemId =>
        controls.some(c => c.items.some(i => i.id === itemId && i.latest)),
      ),
  );
}
