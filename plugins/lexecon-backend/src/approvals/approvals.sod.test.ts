import { TestDatabases } from '@backstage/backend-test-utils';
import { userEntity } from '../__fixtures__/entities';
import { tokenOf, useApprovalsBackend } from './__testUtils__/approvalsBackend';
import { APPROVALS_TEST_DATABASES } from './__testUtils__/migratedDatabase';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const TRIGGERED =
  'You triggered this deploy; segregation of duties requires someone else to approve production';
const NO_IDENTITY =
  'Your catalog user has no github.com/user-login annotation, so the portal cannot tell whether this change is yours';

describe.each(databases.eachSupportedId())(
  'who may decide, end to end on %s',
  databaseId => {
    const portal = useApprovalsBackend(databases, databaseId, {
      // akim and jlee are the release approvers again, with logins spelled as their SSO has them.
      approvers: ['alex-kim', 'jordan-lee', 'akim', 'jlee', 'no-login'],
      users: [
        userEntity('akim', 'Alex-Kim'),
        userEntity('jlee', 'Jordan-Lee'),
        userEntity('priya-nair', 'priya-nair'),
      ],
    });

    it('refuses a release approver who triggered the run, in the inbox and when deciding', async () => {
      const { runId } = await portal.waitingRun({
        actor: 'alex-kim',
        at: 'head',
      });
      for (const who of ['alex-kim', 'akim']) {
        const { viewer } = await portal.item(who, runId);
        expect(viewer.canDecide).toBe(false);
        expect(viewer.reasons).toEqual([
          { code: 'triggered-run', message: TRIGGERED },
        ]);
      }
      const response = await portal.decide('alex-kim', runId, {
        token: tokenOf('alex-kim'),
      });
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(TRIGGERED);
      // The portal refused it, not GitHub's own self-review rule.
      expect(portal.reviewPosts(runId)).toEqual([]);
      expect(await portal.auditOf(runId)).toEqual([
        expect.objectContaining({
          action: 'refused',
          actor: 'user:default/alex-kim',
          githubLogin: 'alex-kim',
          outcome: TRIGGERED,
        }),
      ]);
    });

    it('names every reason of the person who triggered the seeded run', async () => {
      const runId = portal.sandbox.world.facts.waitingRunId;
      expect(portal.sandbox.world.facts.waitingRunTriggeredBy).toBe(
        'priya-nair',
      );
      const { viewer } = await portal.item('priya-nair', runId);
      expect(viewer.reasons.map(r => r.code)).toEqual([
        'missing-permission',
        'not-reviewer',
        'triggered-run',
      ]);
    });

    it('recognises an author whose login differs in case from GitHub’s', async () => {
      const { runId, item } = await portal.waitingRun({ at: 'head' });
      const own = (item.changeSet?.commits ?? []).filter(
        c => c.author?.login === 'jordan-lee',
      );
      expect(own.length).toBeGreaterThan(0);
      const message = `You authored ${
        own.length
      } of the commits in this change set (${own
        .slice(0, 3)
        .map(c => c.shortSha)
        .join(', ')}); segregation of duties requires someone else to approve`;
      const { viewer } = await portal.item('jlee', runId);
      expect(viewer).toMatchObject({
        canDecide: false,
        githubLogin: 'Jordan-Lee',
      });
      expect(viewer.reasons).toEqual([{ code: 'own-change', message }]);
      const response = await portal.decide('jlee', runId, {
        token: tokenOf('jordan-lee'),
      });
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(message);
      expect(portal.reviewPosts(runId)).toEqual([]);
    });

    it('lets a reviewer whose login differs in case from GitHub’s decide with their own token', async () => {
      const { runId } = await portal.waitingRun({ at: 'live' });
      expect((await portal.item('akim', runId)).viewer).toEqual({
        canDecide: true,
        githubLogin: 'Alex-Kim',
        needsGithubToken: true,
        reasons: [],
      });
      const response = await portal.decide('akim', runId, {
        token: tokenOf('alex-kim'),
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        decidedBy: 'user:default/akim',
        githubLogin: 'Alex-Kim',
      });
      expect(portal.githubReviews(runId)).toEqual([
        expect.objectContaining({ state: 'approved', user: 'alex-kim' }),
      ]);
    });

    it('refuses a person whose catalog user has no GitHub login', async () => {
      const { runId } = await portal.waitingRun({ at: 'head' });
      const { viewer } = await portal.item('no-login', runId);
      expect(viewer).toEqual({
        canDecide: false,
        needsGithubToken: true,
        reasons: [{ code: 'no-github-identity', message: NO_IDENTITY }],
      });
      const response = await portal.decide('no-login', runId, {
        token: tokenOf('alex-kim'),
      });
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(NO_IDENTITY);
      expect(portal.reviewPosts(runId)).toEqual([]);
      const [refusal] = await portal.auditOf(runId);
      expect(refusal).toMatchObject({
        action: 'refused',
        actor: 'user:default/no-login',
        outcome: NO_IDENTITY,
      });
      expect(refusal).not.toHaveProperty('githubLogin');
    });
  },
);
