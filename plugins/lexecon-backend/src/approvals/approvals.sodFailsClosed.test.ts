/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRefused"] }] */
import { TestDatabases } from '@backstage/backend-test-utils';
import type {
  Ineligibility,
  PendingApproval,
} from '@internal/plugin-lexecon-common';
import type { CommitSpec, SandboxWorld } from '@internal/sandbox';
import request from 'supertest';
import {
  ApprovalsBackend,
  as,
  AUDITOR,
  COMMENT,
  ENTITY_PATH,
  poll,
  tokenOf,
  useApprovalsBackend,
} from './__testUtils__/approvalsBackend';
import { APPROVALS_TEST_DATABASES } from './__testUtils__/migratedDatabase';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const JORDAN = 'jordan-lee';
const OWN_CHANGE = 'segregation of duties requires someone else to approve';
const CANNOT_CHECK = 'so it cannot check segregation of duties';
const UNREADABLE = `The portal could not read the change set of this deploy, ${CANNOT_CHECK}`;

/** The sandbox's `production`, named as its repository created it. */
const production = (world: SandboxWorld) =>
  world.environments.find(e => e.name.toLowerCase() === 'production')!;

/**
 * Ships the head of `main` (a release run approved in GitHub by alex-kim), so that the next
 * run's change set holds exactly the commits a test pushes after it.
 */
async function shipHead(portal: ApprovalsBackend) {
  const { sandbox } = portal;
  const { runId } = sandbox.createWaitingRun();
  const response = await fetch(
    `${sandbox.githubUrl}/repos/${sandbox.owner}/${sandbox.repo}/actions/runs/${runId}/pending_deployments`,
    {
      method: 'POST',
      headers: {
        authorization: `token ${tokenOf('alex-kim')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        environment_ids: [production(sandbox.world).id],
        state: 'approved',
        comment: 'The previous release',
      }),
    },
  );
  expect(response.status).toBe(200);
}

/**
 * A release of `commits` (pushed after the live version) waiting on production, once the
 * inbox shows it; `rerunBy` re-runs it as someone other than who started it.
 */
async function release(
  portal: ApprovalsBackend,
  commits: CommitSpec[],
  run: { actor?: string; rerunBy?: string } = {},
): Promise<{ runId: number; item: PendingApproval; shas: string[] }> {
  await shipHead(portal);
  const { sandbox } = portal;
  const shas = sandbox.pushCommits(commits).map(sha => sha.slice(0, 7));
  const { runId } = sandbox.createWaitingRun({ actor: run.actor });
  if (run.rerunBy) {
    const record = sandbox.world.runs.find(r => r.id === runId)!;
    record.triggeringActor = run.rerunBy;
    record.runAttempt = 2;
  }
  // Refreshes are limited per person and minute: each release asks as its own release manager.
  const refresh = await request(portal.server)
    .post(`${ENTITY_PATH}/refresh`)
    .set(as(`release-manager-${runId}`));
  expect(refresh.status).toBe(202);
  const item = await poll(
    async () =>
      (await portal.inbox(AUDITOR)).items.find(i => i.runId === runId),
    `run ${runId} in the inbox`,
  );
  return { runId, item, shas };
}

const pullRequestOf = (portal: ApprovalsBackend, shortSha: string) =>
  portal.sandbox.world.commits.find(c => c.sha.startsWith(shortSha))?.prNumber;

/** `who` sees these reasons in the inbox, and the decision is refused with them. */
async function expectRefused(
  portal: ApprovalsBackend,
  who: string,
  item: PendingApproval,
  reasons: Ineligibility[],
) {
  const { viewer } = await portal.item(who, item.runId);
  expect(viewer.reasons).toEqual(reasons);
  expect(viewer.canDecide).toBe(false);
  const response = await request(portal.server)
    .post(
      `${ENTITY_PATH}/approvals/${item.runId}/${encodeURIComponent(
        item.environment,
      )}`,
    )
    .set(as(who))
    .set('x-lexecon-github-token', tokenOf(who))
    .send({ decision: 'approved', comment: COMMENT });
  expect(response.status).toBe(403);
  for (const reason of reasons) {
    expect(response.body.error.message).toContain(reason.message);
  }
  expect(portal.reviewPosts(item.runId)).toEqual([]);
}

describe.each(databases.eachSupportedId())(
  'segregation of duties fails closed, end to end on %s',
  databaseId => {
    const portal = useApprovalsBackend(databases, databaseId);

    afterEach(() => portal.sandbox.clearFaults());

    it('refuses when the change set cannot be read', async () => {
      portal.sandbox.setFaults([
        {
          source: 'github',
          kind: '5xx',
          status: 500,
          pathPattern: '/compare/',
        },
      ]);
      const { item } = await release(portal, [{ title: 'fix: retries' }]);
      expect(item.changeSet).toBeUndefined();
      await expectRefused(portal, 'alex-kim', item, [
        {
          code: 'change-set-unknown',
          message: `${UNREADABLE}: GitHub failed with 500 while reading the change set of lexecon-ai/lexecon; retried and gave up`,
        },
      ]);
    });

    it('refuses when what is live in production cannot be read', async () => {
      portal.sandbox.setFaults([
        {
          source: 'github',
          kind: '5xx',
          status: 500,
          pathPattern: '/deployments',
        },
      ]);
      const { item } = await release(portal, [{ title: 'fix: retries' }]);
      expect(item.changeSet).toBeUndefined();
      await expectRefused(portal, 'alex-kim', item, [
        {
          code: 'change-set-unknown',
          message: `${UNREADABLE}: GitHub failed with 500 while reading the live production deployment of lexecon-ai/lexecon; retried and gave up`,
        },
      ]);
    });

    it('refuses a change set longer than the portal reads', async () => {
      const commits = Array.from({ length: 1001 }, (_, i) => ({
        title: `chore: step ${i}`,
      }));
      const { item } = await release(portal, commits);
      expect(item.changeSet?.totalCommits).toBe(1001);
      await expectRefused(portal, 'alex-kim', item, [
        {
          code: 'change-set-truncated',
          message: `The change set has 1001 commits and the portal reads at most 1000, ${CANNOT_CHECK} on the rest`,
        },
      ]);
    });

    it('reads every commit of a change set longer than one page', async () => {
      const { item, shas } = await release(portal, [
        { title: 'feat: audit export', author: JORDAN },
        ...Array.from({ length: 150 }, (_, i) => ({
          title: `chore: step ${i}`,
        })),
      ]);
      expect(item.changeSet?.commits).toHaveLength(151);
      await expectRefused(portal, JORDAN, item, [
        {
          code: 'own-change',
          message: `You authored 1 of the commits in this change set (${shas[0]}); ${OWN_CHANGE}`,
        },
      ]);
    });

    it('finds a pull request of the approver behind the 30 newest commits', async () => {
      const { item, shas } = await release(portal, [
        {
          title: 'feat: audit export',
          author: 'sam-okafor',
          pullRequest: { author: JORDAN, mergedBy: 'sam-okafor' },
        },
        ...Array.from({ length: 35 }, (_, i) => ({
          title: `chore: step ${i}`,
        })),
      ]);
      await expectRefused(portal, JORDAN, item, [
        {
          code: 'own-change',
          message: `You opened pull request #${pullRequestOf(
            portal,
            shas[0],
          )}; ${OWN_CHANGE}`,
        },
      ]);
    });

    it('refuses everyone when a commit’s author has no linked GitHub account, never reading the name as a login', async () => {
      const { item, shas } = await release(portal, [
        {
          title: 'fix: hotfix from a laptop',
          unlinkedAuthor: { name: 'alex-kim', email: 'alex@laptop.local' },
        },
      ]);
      expect(item.changeSet?.commits[0].author).toBeUndefined();
      const unlinked: Ineligibility = {
        code: 'unlinked-author',
        message: `No GitHub account is linked to the author “alex-kim” of ${shas[0]}; the portal cannot tell whether that is you, ${CANNOT_CHECK}`,
      };
      await expectRefused(portal, JORDAN, item, [unlinked]);
      await expectRefused(portal, 'alex-kim', item, [unlinked]);
    });

    it('counts a co-author named by a Co-authored-by trailer', async () => {
      const { item, shas } = await release(portal, [
        {
          title: 'feat: pairing session',
          coAuthors: [
            {
              name: 'Jordan Lee',
              email: '48213+jordan-lee@users.noreply.github.com',
            },
          ],
        },
      ]);
      await expectRefused(portal, JORDAN, item, [
        {
          code: 'own-change',
          message: `You co-authored 1 of the commits in this change set (${shas[0]}); ${OWN_CHANGE}`,
        },
      ]);
    });

    it('refuses when a co-author’s email maps to no GitHub account', async () => {
      const { item, shas } = await release(portal, [
        {
          title: 'feat: pairing session',
          coAuthors: [{ name: 'Jordan Lee', email: 'jordan@lexecon.ai' }],
        },
      ]);
      await expectRefused(portal, 'alex-kim', item, [
        {
          code: 'unlinked-author',
          message: `No GitHub account is linked to the co-author “Jordan Lee” of ${shas[0]}; the portal cannot tell whether that is you, ${CANNOT_CHECK}`,
        },
      ]);
    });

    it('counts the committer of a commit, but not GitHub’s web-flow', async () => {
      const { item, shas } = await release(portal, [
        { title: 'fix: cherry-picked', committer: JORDAN },
        { title: 'docs: edited on github.com', committer: 'web-flow' },
      ]);
      expect(item.changeSet?.authors).not.toContain('web-flow');
      await expectRefused(portal, JORDAN, item, [
        {
          code: 'own-change',
          message: `You committed 1 of the commits in this change set (${shas[0]}); ${OWN_CHANGE}`,
        },
      ]);
      expect(
        (await portal.item('alex-kim', item.runId)).viewer.reasons,
      ).toEqual([]);
    });

    it('counts who merged a pull request', async () => {
      const { item, shas } = await release(portal, [
        {
          title: 'feat: audit export',
          pullRequest: { author: 'priya-nair', mergedBy: JORDAN },
        },
      ]);
      await expectRefused(portal, JORDAN, item, [
        {
          code: 'own-change',
          message: `You merged pull request #${pullRequestOf(
            portal,
            shas[0],
          )}; ${OWN_CHANGE}`,
        },
      ]);
    });

    it('counts who started a run that someone else re-ran', async () => {
      const { item } = await release(portal, [{ title: 'fix: retries' }], {
        actor: JORDAN,
        rerunBy: 'priya-nair',
      });
      await expectRefused(portal, JORDAN, item, [
        {
          code: 'triggered-run',
          message: `You started this deploy, which priya-nair re-ran; segregation of duties requires someone else to approve production`,
        },
      ]);
    });
  },
);

/** A repository whose production environment was created as `Production`. */
function capitaliseProduction(world: SandboxWorld) {
  const rename = (name: string | undefined) =>
    name === 'production' ? 'Production' : name;
  production(world).name = 'Production';
  for (const d of world.deployments) d.environment = rename(d.environment)!;
  for (const run of world.runs) {
    run.environment = rename(run.environment);
    run.pendingEnvironment = rename(run.pendingEnvironment);
    for (const a of run.approvals) a.environment = rename(a.environment)!;
    for (const job of run.jobs) job.environment = rename(job.environment);
  }
}

describe.each(databases.eachSupportedId())(
  'segregation of duties on an environment named Production, on %s',
  databaseId => {
    const portal = useApprovalsBackend(databases, databaseId, {
      seed: capitaliseProduction,
    });

    it('applies production’s segregation of duties whatever the case of its name', async () => {
      const { item, shas } = await release(portal, [
        { title: 'feat: audit export', author: JORDAN },
      ]);
      expect(item.environment).toBe('Production');
      await expectRefused(portal, JORDAN, item, [
        {
          code: 'own-change',
          message: `You authored 1 of the commits in this change set (${shas[0]}); ${OWN_CHANGE}`,
        },
      ]);
    });
  },
);
