import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { DeploymentsPage } from '@internal/plugin-lexecon-common';
import request from 'supertest';
import { userEntity } from '../__fixtures__/entities';
import {
  as,
  AUDITOR,
  ENTITY_PATH,
  poll,
  tokenOf,
  useApprovalsBackend,
} from './__testUtils__/approvalsBackend';
import { APPROVALS_TEST_DATABASES } from './__testUtils__/migratedDatabase';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const RELEASE_MANAGERS = 'group:default/release-managers';
const REASON = 'Hotfix for the ledger outage; coverage report is late';

/** A release manager whose GitHub account is a required reviewer of production. */
const releaseManager: Entity = {
  ...userEntity('release-manager', 'alex-kim'),
  relations: [{ type: 'memberOf', targetRef: RELEASE_MANAGERS }],
};

describe.each(databases.eachSupportedId())(
  'approving before anything else happens, on %s',
  databaseId => {
    const portal = useApprovalsBackend(databases, databaseId);

    it('asks GitHub nothing, refreshes nothing and keeps the comment out of the trail when an auditor decides', async () => {
      // A run the portal has never read: deciding it as an approver would read GitHub.
      const { runId } = portal.sandbox.createWaitingRun({
        sha: portal.sandbox.world.facts.lastProductionSha,
      });
      const comment = 'auditor-comment-that-must-not-be-stored';
      const before = portal.sandbox.requests().length;
      const response = await portal.decide(AUDITOR, runId, {
        token: tokenOf(AUDITOR),
        comment,
      });
      expect(response.status).toBe(403);
      expect(response.body.error.message).toContain(
        'lexecon.deployment.approve',
      );
      expect(portal.sandbox.requests().slice(before)).toEqual([]);
      const trail = await portal.auditOf(runId);
      expect(trail).toEqual([
        expect.objectContaining({
          action: 'refused',
          actor: `user:default/${AUDITOR}`,
          outcome: response.body.error.message,
        }),
      ]);
      expect(JSON.stringify(trail)).not.toContain(comment);
    });

    it('answers 429 with Retry-After after ten decisions a minute, refusals included', async () => {
      const { runId } = portal.sandbox.createWaitingRun({
        sha: portal.sandbox.world.facts.lastProductionSha,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        statuses.push((await portal.decide('sam-okafor', runId)).status);
      }
      expect(statuses).toEqual(Array(10).fill(403));
      const limited = await portal.decide('sam-okafor', runId);
      expect(limited.status).toBe(429);
      expect(Number(limited.header['retry-after'])).toBeGreaterThan(0);
      expect(limited.body.error.message).toContain('At most 10 decisions');
      expect(await portal.auditOf(runId)).toHaveLength(10);
      // Another person is counted on their own.
      expect((await portal.decide(AUDITOR, runId)).status).toBe(403);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'the readiness gate, end to end on %s',
  databaseId => {
    // The sandbox's releases score about 91: a gate of 95 puts them below it.
    const portal = useApprovalsBackend(databases, databaseId, {
      approvers: ['alex-kim', 'jordan-lee', 'release-manager'],
      users: [releaseManager],
      lexecon: {
        approvals: { readinessGate: 95, overrideGroups: [RELEASE_MANAGERS] },
      },
    });

    const approve = (who: string, runId: number, reason?: string) =>
      request(portal.server)
        .post(`${ENTITY_PATH}/approvals/${runId}/production`)
        .set(as(who))
        .set('x-lexecon-github-token', tokenOf('alex-kim'))
        .send({
          decision: 'approved',
          comment: 'Ship it',
          ...(reason === undefined ? {} : { override: { reason } }),
        });

    it('refuses an approval below the gate without an override, naming the gate, the score and the failing inputs', async () => {
      const { runId, item } = await portal.waitingRun({ at: 'live' });
      expect(item.readiness).toMatchObject({ gate: 95, passesGate: false });
      expect(item.gate).toEqual({
        passes: false,
        overrideRequired: true,
        viewerCanOverride: false,
        overrideGroups: [RELEASE_MANAGERS],
      });
      const refused = await approve('alex-kim', runId);
      expect(refused.status).toBe(409);
      const failing = item.readiness!.failing;
      expect(failing.length).toBeGreaterThan(0);
      expect(refused.body.conflict).toEqual({
        reason: 'below-readiness-gate',
        readiness: { score: item.readiness!.score, gate: 95, failing },
      });
      expect(refused.body.error.message).toContain(
        `scores ${item.readiness!.score} against the readiness gate of 95`,
      );
      const ci = item.readiness!.inputs.find(i => i.key === 'ci')!;
      expect(refused.body.error.message).toContain(`CI pass rate ${ci.score}`);
      const outsider = await approve('alex-kim', runId, REASON);
      expect(outsider.status).toBe(403);
      expect(outsider.body.error.message).toContain(
        `only members of ${RELEASE_MANAGERS} may override the readiness gate`,
      );
      expect(portal.reviewPosts(runId)).toEqual([]);

      // Rejecting never needs an override.
      const rejected = await request(portal.server)
        .post(`${ENTITY_PATH}/approvals/${runId}/production`)
        .set(as('alex-kim'))
        .set('x-lexecon-github-token', tokenOf('alex-kim'))
        .send({ decision: 'rejected', comment: 'Not below the gate' });
      expect(rejected.status).toBe(200);
    });

    it('asks for a reason of at least 20 characters', async () => {
      const { runId } = await portal.waitingRun({ at: 'live' });
      const short = await approve('release-manager', runId, 'Hotfix');
      expect(short.status).toBe(400);
      expect(short.body.error.message).toContain('override.reason');
      expect(short.body.error.message).toContain('at least 20 characters');
    });

    it('lets a release manager override with a reason, recorded as an exception and shown on the deploy', async () => {
      const { runId } = await portal.waitingRun({ at: 'live' });
      const item = await portal.item('release-manager', runId);
      expect(item.gate.viewerCanOverride).toBe(true);
      const response = await approve('release-manager', runId, REASON);
      expect(response.status).toBe(200);
      expect(portal.githubReviews(runId)).toEqual([
        expect.objectContaining({ state: 'approved', user: 'alex-kim' }),
      ]);
      const [exception, decision] = await portal.auditOf(runId);
      expect(decision).toMatchObject({
        action: 'decision',
        id: response.body.auditId,
      });
      expect(exception).toMatchObject({
        action: 'gate-exception',
        actor: 'user:default/release-manager',
        exception: {
          kind: 'readiness-override',
          by: 'user:default/release-manager',
          reason: REASON,
          score: item.readiness!.score,
          gate: 95,
          failingInputs: item.readiness!.failing,
          auditId: exception.id,
        },
      });
      expect((await portal.verify()).ok).toBe(true);

      const deploy = await poll(async () => {
        const page = await request(portal.server)
          .get(`${ENTITY_PATH}/deployments?environment=production&limit=5`)
          .set(as('alex-kim'));
        return (page.body as DeploymentsPage).items.find(
          d => d.runId === runId && d.result === 'success',
        );
      }, `the production deploy of run ${runId}`);
      expect(deploy.exceptions).toEqual([exception.exception]);
    });
  },
);
