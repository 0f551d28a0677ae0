import { TestDatabases } from '@backstage/backend-test-utils';
import { useApprovalsBackend } from './__testUtils__/approvalsBackend';
import { APPROVALS_TEST_DATABASES } from './__testUtils__/migratedDatabase';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

describe.each(databases.eachSupportedId())(
  'approvals in portal-gate mode on %s',
  databaseId => {
    const portal = useApprovalsBackend(databases, databaseId, {
      approvers: ['alex-kim', 'jordan-lee', 'no-login'],
      sandbox: { gates: { production: 'custom-rule' } },
      lexecon: {
        approvals: { environments: { production: { mode: 'portal-gate' } } },
      },
    });

    it('answers the custom protection rule with the portal App, naming the person', async () => {
      const { runId, item } = await portal.waitingRun({ at: 'live' });
      expect(item.mode).toBe('portal-gate');
      expect((await portal.item('alex-kim', runId)).viewer).toEqual({
        canDecide: true,
        githubLogin: 'alex-kim',
        needsGithubToken: false,
        reasons: [],
      });
      const response = await portal.decide('alex-kim', runId, {
        comment: 'Staging healthy',
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        mode: 'portal-gate',
        decidedBy: 'user:default/alex-kim',
      });
      expect(portal.reviewPosts(runId).map(r => [r.path, r.status])).toEqual([
        [
          `/api/v3/repos/${portal.sandbox.owner}/${portal.sandbox.repo}/actions/runs/${runId}/deployment_protection_rule`,
          204,
        ],
      ]);
      expect(portal.githubReviews(runId)).toEqual([
        expect.objectContaining({
          state: 'approved',
          user: 'lexecon-portal[bot]',
          comment:
            'Staging healthy\n\nApproved in the Lexecon portal by user:default/alex-kim (@alex-kim)',
        }),
      ]);
      const [decision] = await portal.auditOf(runId);
      expect(decision).toMatchObject({
        action: 'decision',
        mode: 'portal-gate',
        upstreamStatus: 204,
      });
      const late = await portal.decide('jordan-lee', runId);
      expect(late.status).toBe(409);
      expect(late.body.conflict).toMatchObject({
        reason: 'already-decided',
        decidedBy: 'user:default/alex-kim',
      });
    });

    it('refuses an author of the change set, as in github-reviewers mode', async () => {
      const { runId } = await portal.waitingRun({ at: 'head' });
      const { viewer } = await portal.item('jordan-lee', runId);
      expect(viewer.canDecide).toBe(false);
      expect(viewer.reasons.map(r => r.code)).toEqual(['own-change']);
      const response = await portal.decide('jordan-lee', runId);
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(viewer.reasons[0].message);
      expect(portal.reviewPosts(runId)).toEqual([]);
    });

    it('refuses a person without a GitHub login, whose own changes cannot be told apart', async () => {
      const { runId } = await portal.waitingRun({ at: 'live' });
      const { viewer } = await portal.item('no-login', runId);
      expect(viewer.reasons.map(r => r.code)).toEqual(['no-github-identity']);
      const response = await portal.decide('no-login', runId);
      expect(response.status).toBe(403);
      expect(portal.reviewPosts(runId)).toEqual([]);
    });

    it('gives the claim back when the App’s review fails, so that a retry goes through', async () => {
      const { runId } = await portal.waitingRun({ at: 'live' });
      portal.sandbox.setFaults([
        {
          source: 'github',
          kind: '5xx',
          status: 500,
          pathPattern: '/deployment_protection_rule',
          times: 1,
        },
      ]);
      const failed = await portal.decide('alex-kim', runId);
      expect(failed.status).toBe(502);
      expect(failed.body.error.message).toBe(
        'GitHub failed with 500. Nothing was recorded as approved. Try again in a moment.',
      );
      expect(await portal.claimRow(runId)).toBeUndefined();
      expect(portal.githubReviews(runId)).toEqual([]);
      const retry = await portal.decide('alex-kim', runId);
      expect(retry.status).toBe(200);
      expect(portal.reviewPosts(runId).map(r => r.status)).toEqual([500, 204]);
      expect((await portal.auditOf(runId)).map(r => r.action)).toEqual([
        'decision',
        'upstream-error',
      ]);
    });
  },
);
