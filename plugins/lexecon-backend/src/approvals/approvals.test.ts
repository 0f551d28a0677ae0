import { TestDatabases } from '@backstage/backend-test-utils';
import type { DeploymentsPage } from '@internal/plugin-lexecon-common';
import type { SandboxWorld } from '@internal/sandbox';
import request from 'supertest';
import {
  as,
  COMMENT,
  ENTITY_PATH,
  poll,
  tokenOf,
  useApprovalsBackend,
} from './__testUtils__/approvalsBackend';
import { APPROVALS_TEST_DATABASES } from './__testUtils__/migratedDatabase';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The readiness inputs of a run read from the sandbox's raw world data (runs, per-commit results,
 * alerts), combined with the weights and penalties the README documents: CI 40%, coverage 30%,
 * security 20% (100 − 25 per critical − 15 per high − 5 per medium − 1 per low, 0 if the scan
 * failed), quality 10%.
 */
function readinessFromWorld(world: SandboxWorld, runId: number) {
  const run = world.runs.find(r => r.id === runId);
  if (!run) throw new Error(`no run ${runId}`);
  const lastTen = world.runs
    .filter(
      r =>
        r.workflowFile === 'test.yml' &&
        r.status === 'completed' &&
        r.headBranch === run.headBranch,
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 10);
  const passed = lastTen.filter(r => r.conclusion === 'success').length;
  const ci = round1((passed / lastTen.length) * 100);
  const { coverage, quality } = world.commitQuality[run.headSha];
  const open = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const a of world.codeScanningAlerts) {
    if (!a.fixedAt && !a.dismissedAt) open[a.securitySeverity]++;
  }
  for (const a of world.dependabotAlerts) {
    if (!a.fixedAt && !a.dismissedAt) open[a.severity]++;
  }
  const scanFailed = world.runs
    .filter(r => r.headSha === run.headSha)
    .flatMap(r => r.jobs)
    .some(j => j.name === 'security-scan' && j.conclusion !== 'success');
  const security = scanFailed
    ? 0
    : Math.max(
        0,
        100 - 25 * open.critical - 15 * open.high - 5 * open.medium - open.low,
      );
  return {
    passed,
    total: lastTen.length,
    ci,
    coverage: round1(coverage),
    security,
    quality,
    score: round1(
      0.4 * ci + 0.3 * round1(coverage) + 0.2 * security + 0.1 * quality,
    ),
  };
}

describe.each(databases.eachSupportedId())('approvals on %s', databaseId => {
  const portal = useApprovalsBackend(databases, databaseId);
  const seededRun = () => portal.sandbox.world.facts.waitingRunId;

  it('shows the waiting production deploy with its change set, CI, staging and readiness', async () => {
    const item = await portal.item('alex-kim', seededRun());
    expect(item.environment).toBe('production');
    expect(item.mode).toBe('github-reviewers');
    expect(item.version).toBe(portal.sandbox.world.facts.waitingRunVersion);
    expect(item.requiredReviewers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Team', name: 'release-approvers' }),
      ]),
    );
    expect(item.changeSet?.commits.length).toBeGreaterThan(0);
    expect([...(item.changeSet?.authors ?? [])].sort()).toEqual(
      portal.sandbox.world.facts.waitingRunAuthors,
    );
    expect(item.changeSet?.authors).toContain('jordan-lee');
    expect(item.changeSet?.authors).not.toContain('alex-kim');
    expect(item.changeSet?.base?.version).toBe(
      portal.sandbox.world.facts.lastProductionVersion,
    );
    expect(item.ci?.checks.length).toBeGreaterThan(0);
    expect(item.staging?.health).toBe('healthy');
    expect(item.staging?.onStagingSeconds).toBeGreaterThan(0);
    expect(item.expiresAt > item.waitingSince).toBe(true);
    expect(item.warnings).toEqual([]);
  });

  it('scores readiness as the seeded facts give it with the documented weights', async () => {
    const item = await portal.item('alex-kim', seededRun());
    const expected = readinessFromWorld(portal.sandbox.world, seededRun());
    expect(item.readiness?.inputs.map(i => [i.key, i.weight, i.score])).toEqual(
      [
        ['ci', 0.4, expected.ci],
        ['coverage', 0.3, expected.coverage],
        ['security', 0.2, expected.security],
        ['quality', 0.1, expected.quality],
      ],
    );
    expect(item.readiness?.inputs[0].detail).toBe(
      `${expected.passed} of the last ${expected.total} test.yml runs passed`,
    );
    expect(item.readiness?.score).toBe(expected.score);
    expect(item.readiness?.gate).toBe(90);
    expect(item.readiness?.passesGate).toBe(expected.score >= 90);
    // Bands of the README: ≥95 excellent, 90–94 good, 80–89 fair, below 80 poor.
    const bands: Array<[number, string]> = [
      [95, 'excellent'],
      [90, 'good'],
      [80, 'fair'],
      [0, 'poor'],
    ];
    expect(item.readiness?.band).toBe(
      bands.find(([min]) => expected.score >= min)?.[1],
    );
  });

  it('tells each person whether they may decide, and why not', async () => {
    const alex = await portal.item('alex-kim', seededRun());
    expect(alex.viewer).toEqual({
      canDecide: true,
      githubLogin: 'alex-kim',
      needsGithubToken: true,
      reasons: [],
    });
    const jordan = await portal.item('jordan-lee', seededRun());
    expect(jordan.viewer.canDecide).toBe(false);
    expect(jordan.viewer.reasons.map(r => r.code)).toEqual(['own-change']);
    const sam = await portal.item('sam-okafor', seededRun());
    expect(sam.viewer.reasons.map(r => r.code)).toEqual([
      'missing-permission',
      'not-reviewer',
    ]);
    expect(sam.viewer.reasons[0].permission).toBe('lexecon.deployment.approve');
  });

  it('approves through GitHub with the approver token, once, and the history shows it', async () => {
    const { runId, item } = await portal.waitingRun({ at: 'live' });
    const response = await portal.decide('alex-kim', runId, {
      token: tokenOf('alex-kim'),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      decision: 'approved',
      runId,
      environment: 'production',
      version: item.version,
      decidedBy: 'user:default/alex-kim',
      githubLogin: 'alex-kim',
      mode: 'github-reviewers',
    });
    expect(portal.reviewPosts(runId).map(r => r.status)).toEqual([200]);
    expect(portal.githubReviews(runId)).toEqual([
      expect.objectContaining({
        state: 'approved',
        user: 'alex-kim',
        comment: COMMENT,
      }),
    ]);

    const again = await portal.decide('alex-kim', runId, {
      token: tokenOf('alex-kim'),
    });
    expect(again.status).toBe(409);
    expect(again.body.conflict).toEqual({
      reason: 'already-decided',
      decision: 'approved',
      decidedBy: 'user:default/alex-kim',
      decidedAt: response.body.decidedAt,
    });
    expect(again.body.error.message).toBe(
      `This deploy was already approved by user:default/alex-kim at ${response.body.decidedAt}`,
    );
    expect(portal.reviewPosts(runId)).toHaveLength(1);

    const after = await portal.inbox('alex-kim');
    expect(after.items.map(i => i.runId)).not.toContain(runId);

    // The decision triggered a refresh: the production deploy is in the history, approved.
    const deploy = await poll(async () => {
      const page = await request(portal.server)
        .get(`${ENTITY_PATH}/deployments?environment=production&limit=5`)
        .set(as('alex-kim'));
      return (page.body as DeploymentsPage).items.find(
        d => d.runId === runId && d.result === 'success',
      );
    }, `the production deploy of run ${runId}`);
    expect(deploy.approval?.user.login).toBe('alex-kim');
    expect(deploy.approval?.comment).toBe(COMMENT);

    const [refusal, decision] = await portal.auditOf(runId);
    expect(refusal).toMatchObject({
      action: 'refused',
      outcome: again.body.error.message,
    });
    expect(decision).toMatchObject({
      action: 'decision',
      actor: 'user:default/alex-kim',
      githubLogin: 'alex-kim',
      entityRef: 'component:default/lexecon-api',
      runId,
      environment: 'production',
      version: item.version,
      decision: 'approved',
      comment: COMMENT,
      outcome: 'GitHub accepted the approval',
      upstreamStatus: 200,
      mode: 'github-reviewers',
      at: response.body.decidedAt,
    });
    expect(decision.id).toBe(response.body.auditId);
  });

  it('refuses the wrong people before anything reaches GitHub, and records every refusal', async () => {
    const { runId } = await portal.waitingRun({ at: 'head' });
    const sam = await portal.decide('sam-okafor', runId, {
      token: tokenOf('sam-okafor'),
    });
    expect(sam.status).toBe(403);
    expect(sam.body.error.message).toContain('lexecon.deployment.approve');
    const jordan = await portal.decide('jordan-lee', runId, {
      token: tokenOf('jordan-lee'),
    });
    expect(jordan.status).toBe(403);
    expect(jordan.body.error.message).toMatch(/authored .* segregation/);
    const auditor = await portal.decide('casey-morgan', runId, {
      token: tokenOf('casey-morgan'),
    });
    expect(auditor.status).toBe(403);
    const noToken = await portal.decide('alex-kim', runId);
    expect(noToken.status).toBe(401);
    expect(noToken.body.error.message).toContain('Sign in with GitHub');
    const borrowed = await portal.decide('alex-kim', runId, {
      token: tokenOf('jordan-lee'),
    });
    expect(borrowed.status).toBe(403);
    expect(borrowed.body.error.message).toContain('belongs to jordan-lee');
    const noComment = await portal.decide('alex-kim', runId, {
      token: tokenOf('alex-kim'),
      comment: '  ',
    });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.message).toContain('comment');

    expect(portal.reviewPosts(runId)).toEqual([]);
    const rows = await portal.auditOf(runId);
    expect(rows.map(r => [r.action, r.actor])).toEqual([
      ['refused', 'user:default/alex-kim'],
      ['refused', 'user:default/alex-kim'],
      ['refused', 'user:default/casey-morgan'],
      ['refused', 'user:default/jordan-lee'],
      ['refused', 'user:default/sam-okafor'],
    ]);
    expect(rows.map(r => r.outcome)).toEqual(
      [borrowed, noToken, auditor, jordan, sam].map(r => r.body.error.message),
    );
    // The run is still waiting: nothing was approved.
    expect((await portal.item('alex-kim', runId)).viewer.canDecide).toBe(true);
  });

  it('answers 409 with what happened when the run was approved in GitHub meanwhile', async () => {
    const { runId, item } = await portal.waitingRun({ at: 'live' });
    expect(await portal.approveInGithub(item, 'alex-kim')).toBe(200);
    const response = await portal.decide('alex-kim', runId, {
      token: tokenOf('alex-kim'),
    });
    expect(response.status).toBe(409);
    expect(response.body.conflict.reason).toBe('no-longer-waiting');
    expect(response.body.error.message).toContain(
      'approved in GitHub by alex-kim',
    );
  });

  it('maps a failure to read whose token it is to a clear message, and keeps the run open', async () => {
    const { runId } = await portal.waitingRun({ at: 'live' });
    portal.sandbox.setFaults([
      {
        source: 'github',
        kind: '5xx',
        status: 503,
        pathPattern: '^/api/v3/user$',
        times: 1,
      },
    ]);
    const failed = await portal.decide('alex-kim', runId, {
      token: tokenOf('alex-kim'),
    });
    expect(failed.status).toBe(502);
    expect(failed.body.error.message).toBe(
      'GitHub failed with 503. Nothing was recorded as approved. Try again in a moment.',
    );
    expect(portal.reviewPosts(runId)).toEqual([]);
    expect((await portal.auditOf(runId)).map(r => r.action)).toEqual([
      'upstream-error',
    ]);
    const retry = await portal.decide('alex-kim', runId, {
      token: tokenOf('alex-kim'),
    });
    expect(retry.status).toBe(200);
  });
});
