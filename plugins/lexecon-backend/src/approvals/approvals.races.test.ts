import { TestDatabases } from '@backstage/backend-test-utils';
import type { Response } from 'supertest';
import { userEntity } from '../__fixtures__/entities';
import {
  poll,
  tokenOf,
  useApprovalsBackend,
} from './__testUtils__/approvalsBackend';
import { APPROVALS_TEST_DATABASES } from './__testUtils__/migratedDatabase';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const REPOSITORY = 'lexecon-ai/lexecon';
const NOTHING_RECORDED = 'Nothing was recorded as approved.';
/** Past the file's claimExpiry of 1 minute, short of the default 2 minutes. */
const ABANDONED_AGE_MS = 90_000;

/** Splits answers to simultaneous decisions into the one that went through and the rest. */
function outcome(responses: Response[]) {
  const winners = responses.filter(r => r.status === 200);
  expect(winners).toHaveLength(1);
  const losers = responses.filter(r => r !== winners[0]);
  expect(losers.map(r => r.status)).toEqual(losers.map(() => 409));
  return { winner: winners[0].body, losers: losers.map(r => r.body) };
}

describe.each(databases.eachSupportedId())(
  'simultaneous and failed decisions on %s',
  databaseId => {
    const portal = useApprovalsBackend(databases, databaseId, {
      approvers: ['alex-kim', 'jordan-lee', 'lena-fischer'],
      users: [userEntity('lena-fischer', 'lena-fischer')],
      // Shorter than the default 2 minutes: a claim 90 s old is abandoned only if this is read.
      lexecon: { approvals: { claimExpiry: { minutes: 1 } } },
      // A third release approver, so that three different people can race.
      seed: world =>
        world.teams
          .find(t => t.slug === 'release-approvers')
          ?.members.push('lena-fischer'),
    });
    const reviewers = ['alex-kim', 'jordan-lee', 'lena-fischer'];

    afterEach(() => portal.sandbox.clearFaults());

    it('gives the claim back when GitHub fails the review itself, and a retry reaches GitHub once', async () => {
      const { runId } = await portal.waitingRun({ at: 'live' });
      portal.sandbox.setFaults([
        {
          source: 'github',
          kind: '5xx',
          status: 503,
          method: 'POST',
          pathPattern: `/actions/runs/${runId}/pending_deployments`,
          times: 1,
        },
      ]);
      const failed = await portal.decide('alex-kim', runId, {
        token: tokenOf('alex-kim'),
      });
      expect(failed.status).toBe(502);
      expect(failed.body.error.message).toBe(
        `GitHub failed with 503. ${NOTHING_RECORDED} Try again in a moment.`,
      );
      // The review reached GitHub (after the claim) and failed there.
      expect(portal.reviewPosts(runId).map(r => r.status)).toEqual([503]);
      expect(await portal.claimRow(runId)).toBeUndefined();
      expect(portal.githubReviews(runId)).toEqual([]);
      expect(await portal.auditOf(runId)).toEqual([
        expect.objectContaining({
          action: 'upstream-error',
          actor: 'user:default/alex-kim',
          decision: 'approved',
          outcome: failed.body.error.message,
          upstreamStatus: 503,
        }),
      ]);
      expect((await portal.item('jordan-lee', runId)).viewer.canDecide).toBe(
        true,
      );

      const retry = await portal.decide('alex-kim', runId, {
        token: tokenOf('alex-kim'),
      });
      expect(retry.status).toBe(200);
      expect(portal.reviewPosts(runId).map(r => r.status)).toEqual([503, 200]);
      expect(portal.githubReviews(runId)).toEqual([
        expect.objectContaining({ state: 'approved', user: 'alex-kim' }),
      ]);
      expect((await portal.auditOf(runId)).map(r => r.action)).toEqual([
        'decision',
        'upstream-error',
      ]);
    });

    it('sends one review when different approvers decide at once, tells the others who decided, and keeps the chain intact', async () => {
      const { runId } = await portal.waitingRun({ at: 'live' });
      const racers = [...reviewers, ...reviewers];
      const { winner, losers } = outcome(
        await Promise.all(
          racers.map(who => portal.decide(who, runId, { token: tokenOf(who) })),
        ),
      );
      expect(reviewers.map(r => `user:default/${r}`)).toContain(
        winner.decidedBy,
      );
      expect(losers.map(l => l.conflict.decidedBy)).toEqual(
        losers.map(() => winner.decidedBy),
      );
      for (const loser of losers) {
        expect(loser.error.message).toContain(winner.decidedBy);
      }
      expect(portal.reviewPosts(runId)).toHaveLength(1);
      expect(portal.githubReviews(runId)).toEqual([
        expect.objectContaining({
          state: 'approved',
          user: winner.githubLogin,
        }),
      ]);
      const trail = await portal.auditOf(runId);
      expect(trail.filter(r => r.action === 'decision')).toHaveLength(1);
      expect(trail.filter(r => r.action === 'refused')).toHaveLength(5);
      const verification = await portal.verify();
      expect(verification.ok).toBe(true);
      expect(verification.firstBroken).toBeUndefined();
      expect(verification.checked).toBe(
        Number(
          (await portal.knex('lexecon_audit_log').count({ n: '*' }).first())?.n,
        ),
      );
    });

    it('lets exactly one of an approval and a rejection sent at once through', async () => {
      const { runId } = await portal.waitingRun({ at: 'live' });
      const [approve, reject] = await Promise.all([
        portal.decide('alex-kim', runId, { token: tokenOf('alex-kim') }),
        portal.decide('jordan-lee', runId, {
          token: tokenOf('jordan-lee'),
          decision: 'rejected',
          comment: 'Error budget is spent',
        }),
      ]);
      const { winner, losers } = outcome([approve, reject]);
      const [loser] = losers;
      // Whether the loser arrived while the winner's review was in flight or after it landed.
      expect(['in-progress', 'already-decided']).toContain(
        loser.conflict.reason,
      );
      expect(loser.conflict).toEqual(
        loser.conflict.reason === 'in-progress'
          ? { reason: 'in-progress', decidedBy: winner.decidedBy }
          : {
              reason: 'already-decided',
              decision: winner.decision,
              decidedBy: winner.decidedBy,
              decidedAt: winner.decidedAt,
            },
      );
      expect(portal.reviewPosts(runId)).toHaveLength(1);
      expect(portal.githubReviews(runId)).toEqual([
        expect.objectContaining({
          state: winner.decision,
          user: winner.githubLogin,
        }),
      ]);
      const run = portal.sandbox.world.runs.find(r => r.id === runId);
      expect(run?.conclusion).toBe(
        winner.decision === 'approved' ? 'success' : 'failure',
      );
      expect(await portal.claimRow(runId)).toMatchObject({
        state: winner.decision,
        actor: winner.decidedBy,
      });
      expect((await portal.verify()).ok).toBe(true);
    });

    it('tells a second approver who is deciding while GitHub has not answered the first, and frees the run when GitHub times out', async () => {
      const { runId } = await portal.waitingRun({ at: 'live' });
      portal.sandbox.setFaults([
        {
          source: 'github',
          kind: 'timeout',
          method: 'POST',
          pathPattern: `/actions/runs/${runId}/pending_deployments`,
          times: 1,
        },
      ]);
      const first = portal.decide('alex-kim', runId, {
        token: tokenOf('alex-kim'),
      });
      // `first` is sent once awaited: start it, then wait until its review is held upstream.
      const firstDone = first.then(r => r);
      await poll(
        async () => portal.reviewPosts(runId).find(r => r.fault === 'timeout'),
        "alex-kim's review held by GitHub",
      );
      const claim = await portal.claimRow(runId);
      expect(claim).toMatchObject({
        state: 'in-progress',
        actor: 'user:default/alex-kim',
      });

      const second = await portal.decide('jordan-lee', runId, {
        token: tokenOf('jordan-lee'),
      });
      expect(second.status).toBe(409);
      expect(second.body.conflict).toEqual({
        reason: 'in-progress',
        decidedBy: 'user:default/alex-kim',
      });
      expect(second.body.error.message).toBe(
        `user:default/alex-kim is deciding on this deploy right now (since ${claim.started_at})`,
      );

      const timedOut = await firstDone;
      expect(timedOut.status).toBe(504);
      expect(timedOut.body.error.message).toBe(
        `GitHub did not answer within 2s. ${NOTHING_RECORDED} Check the run in GitHub before trying again.`,
      );
      expect(await portal.claimRow(runId)).toBeUndefined();
      const retry = await portal.decide('jordan-lee', runId, {
        token: tokenOf('jordan-lee'),
      });
      expect(retry.status).toBe(200);
      expect(portal.githubReviews(runId)).toEqual([
        expect.objectContaining({ state: 'approved', user: 'jordan-lee' }),
      ]);
    });

    describe('a claim left behind by a replica that stopped mid-decision', () => {
      const leftBehind = (runId: number, ageMs: number) => {
        const startedAt = new Date(Date.now() - ageMs).toISOString();
        return portal
          .knex('lexecon_approval_decisions')
          .insert({
            claim_id: 'replica-that-stopped',
            repository: REPOSITORY,
            run_id: runId,
            environment: 'production',
            state: 'in-progress',
            actor: 'user:default/jordan-lee',
            github_login: 'jordan-lee',
            started_at: startedAt,
            decided_at: null,
          })
          .then(() => startedAt);
      };

      it('holds the run for its owner while it is recent', async () => {
        const { runId } = await portal.waitingRun({ at: 'live' });
        const startedAt = await leftBehind(runId, 30_000);
        const response = await portal.decide('alex-kim', runId, {
          token: tokenOf('alex-kim'),
        });
        expect(response.status).toBe(409);
        expect(response.body.error.message).toBe(
          `user:default/jordan-lee is deciding on this deploy right now (since ${startedAt})`,
        );
        expect(portal.reviewPosts(runId)).toEqual([]);
        expect(await portal.claimRow(runId)).toMatchObject({
          state: 'in-progress',
          actor: 'user:default/jordan-lee',
          started_at: startedAt,
        });
        expect((await portal.auditOf(runId)).map(r => r.action)).toEqual([
          'refused',
        ]);
      });

      it('names its owner when their review reached GitHub before their decision was recorded', async () => {
        const { runId, item } = await portal.waitingRun({ at: 'live' });
        await leftBehind(runId, 30_000);
        // What the stopped replica sent for jordan-lee: the review reached GitHub.
        expect(await portal.approveInGithub(item, 'jordan-lee')).toBe(200);
        const response = await portal.decide('alex-kim', runId, {
          token: tokenOf('alex-kim'),
        });
        expect(response.status).toBe(409);
        expect(response.body.conflict).toEqual({
          reason: 'in-progress',
          decidedBy: 'user:default/jordan-lee',
        });
      });

      it('is taken over once older than lexecon.approvals.claimExpiry, and the trail names whose claim it was', async () => {
        const { runId } = await portal.waitingRun({ at: 'live' });
        const startedAt = await leftBehind(runId, ABANDONED_AGE_MS);
        const response = await portal.decide('alex-kim', runId, {
          token: tokenOf('alex-kim'),
        });
        expect(response.status).toBe(200);
        expect(await portal.claimRow(runId)).toMatchObject({
          state: 'approved',
          actor: 'user:default/alex-kim',
          github_login: 'alex-kim',
        });
        expect(portal.reviewPosts(runId).map(r => r.status)).toEqual([200]);
        const [decision, recovered] = await portal.auditOf(runId);
        expect(decision).toMatchObject({
          action: 'decision',
          actor: 'user:default/alex-kim',
        });
        // Written before the review went out: it comes first in the chain.
        expect(recovered).toMatchObject({
          action: 'claim-recovered',
          actor: 'user:default/alex-kim',
          decision: 'approved',
          abandonedClaim: {
            actor: 'user:default/jordan-lee',
            githubLogin: 'jordan-lee',
            startedAt,
          },
          outcome: `Took over the decision user:default/jordan-lee (@jordan-lee) started at ${startedAt} and never finished (its claim expired), before anything was sent to GitHub`,
        });
        expect(recovered.id).toBeLessThan(decision.id);
        expect((await portal.verify()).ok).toBe(true);
      });

      it("is settled from GitHub when its review got there: recorded as its holder's, 409, and no second review", async () => {
        const { runId, item } = await portal.waitingRun({ at: 'live' });
        const startedAt = await leftBehind(runId, ABANDONED_AGE_MS);
        // What the stopped replica sent for jordan-lee reached GitHub before the replica died.
        expect(await portal.approveInGithub(item, 'jordan-lee')).toBe(200);

        const response = await portal.decide('alex-kim', runId, {
          token: tokenOf('alex-kim'),
        });
        expect(response.status).toBe(409);
        const row = await portal.claimRow(runId);
        expect(row).toMatchObject({
          state: 'approved',
          actor: 'user:default/jordan-lee',
          github_login: 'jordan-lee',
          started_at: startedAt,
        });
        expect(response.body.conflict).toEqual({
          reason: 'already-decided',
          decision: 'approved',
          decidedBy: 'user:default/jordan-lee',
          decidedAt: row.decided_at,
        });
        expect(response.body.error.message).toBe(
          `This deploy was already approved by user:default/jordan-lee: their decision, started at ${startedAt}, was interrupted before the portal recorded it, but GitHub has their review (by jordan-lee). Nothing was sent again`,
        );
        // Only the review that got there: the portal sent none.
        expect(portal.reviewPosts(runId)).toHaveLength(1);
        expect(portal.githubReviews(runId)).toEqual([
          expect.objectContaining({ state: 'approved', user: 'jordan-lee' }),
        ]);
        const trail = await portal.auditOf(runId);
        expect(trail.map(r => [r.action, r.actor])).toEqual([
          ['refused', 'user:default/alex-kim'],
          ['decision-reconciled', 'user:default/jordan-lee'],
          ['claim-recovered', 'user:default/alex-kim'],
        ]);
        expect(trail[1]).toMatchObject({
          decision: 'approved',
          githubLogin: 'jordan-lee',
          at: row.decided_at,
          abandonedClaim: {
            actor: 'user:default/jordan-lee',
            githubLogin: 'jordan-lee',
            startedAt,
          },
          outcome: `The decision user:default/jordan-lee (@jordan-lee) started at ${startedAt} was interrupted, but its review reached GitHub: approved by jordan-lee. Recorded as theirs; nothing was sent again`,
        });
        expect(trail[0].outcome).toBe(response.body.error.message);
        expect((await portal.verify()).ok).toBe(true);

        const again = await portal.decide('lena-fischer', runId, {
          token: tokenOf('lena-fischer'),
        });
        expect(again.status).toBe(409);
        expect(again.body.conflict).toMatchObject({
          reason: 'already-decided',
          decidedBy: 'user:default/jordan-lee',
        });
        expect(portal.reviewPosts(runId)).toHaveLength(1);
      });

      it('is let go when the run stopped waiting without its review, and the caller is told what happened', async () => {
        const { runId, item } = await portal.waitingRun({ at: 'live' });
        await leftBehind(runId, ABANDONED_AGE_MS);
        // Someone else approved on GitHub's page; the stopped replica's review never arrived.
        expect(await portal.approveInGithub(item, 'alex-kim')).toBe(200);

        // alex-kim has spent his 10 decisions a minute in this file.
        const response = await portal.decide('lena-fischer', runId, {
          token: tokenOf('lena-fischer'),
        });
        expect(response.status).toBe(409);
        expect(response.body.conflict).toMatchObject({
          reason: 'no-longer-waiting',
        });
        expect(response.body.error.message).toBe(
          `Run ${runId} is no longer waiting for production: it was approved in GitHub by alex-kim`,
        );
        expect(await portal.claimRow(runId)).toBeUndefined();
        expect(portal.githubReviews(runId)).toHaveLength(1);
        expect((await portal.auditOf(runId)).map(r => r.action)).toEqual([
          'refused',
          'claim-recovered',
        ]);
      });
    });
  },
);
