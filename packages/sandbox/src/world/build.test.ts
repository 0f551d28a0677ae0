import { createHash } from 'node:crypto';
import { buildObservability } from '../observability/seed';
import { buildWorld } from './build';

const NOW = new Date('2026-11-20T15:00:00Z');

describe('buildWorld', () => {
  it('is deterministic for the same seed clock', () => {
    expect(JSON.stringify(buildWorld(NOW))).toEqual(
      JSON.stringify(buildWorld(new Date(NOW))),
    );
    expect(buildWorld(new Date('2026-11-21T15:00:00Z')).now).not.toEqual(
      buildWorld(NOW).now,
    );
  });

  it('seeds the Lexecon API exactly as before the portfolio existed', () => {
    // Digests of the world and observability JSON the backend tests, the browser tests and the
    // bench were written against (taken before the portfolio and scale mode were added; the
    // repository profile is new, so it is left out). The world's digest was taken again when
    // one older release became approved by jordan-lee, who wrote part of it (issue 16), and the
    // observability digest with it (its incidents follow the releases).
    const sha256 = (value: unknown) =>
      createHash('sha256').update(JSON.stringify(value)).digest('hex');
    const world = buildWorld(NOW);
    const { profile: _profile, ...seeded } = world;
    expect(sha256(seeded)).toBe(
      'fe570f6e8299be40c103f247656a04b6cdb0f1a44cbafa9c8532f65530fab6ac',
    );
    expect(sha256(buildObservability(world))).toBe(
      '69fc1de9159f015836206878e4f1adaac2260078eb63a5a8cf378bdf6333ac02',
    );
  });

  it('seeds ~90 days of history with consistent facts', () => {
    const w = buildWorld(NOW);
    expect(w.commits.length).toBeGreaterThan(70);
    expect(w.commits.length).toBeLessThan(130);
    const first = Date.parse(w.commits[0].date);
    expect(Date.parse(w.now) - first).toBeLessThan(91 * 86_400_000);
    for (const c of w.commits) expect(c.sha).toMatch(/^[0-9a-f]{40}$/);

    // run ids increase with creation time
    for (let i = 1; i < w.runs.length; i++) {
      expect(w.runs[i].id).toBeGreaterThan(w.runs[i - 1].id);
      expect(Date.parse(w.runs[i].createdAt)).toBeGreaterThanOrEqual(
        Date.parse(w.runs[i - 1].createdAt),
      );
    }
    const prod = w.runs.filter(r => r.workflowFile === 'deploy-prod.yml');
    expect(prod.length).toBeGreaterThan(15);
    expect(prod.filter(r => r.status === 'waiting')).toHaveLength(1);
    expect(prod.filter(r => r.conclusion === 'failure')).toHaveLength(1);
    for (const r of prod.filter(x => x.status === 'completed')) {
      expect(r.approvals).toHaveLength(1);
      expect(r.approvals[0].user).not.toEqual(r.actor);
      expect(['alex-kim', 'jordan-lee']).toContain(r.approvals[0].user);
    }

    const waiting = w.runs.find(r => r.id === w.facts.waitingRunId)!;
    expect(waiting.headSha).toEqual(w.facts.latestStagingSha);
    expect(Date.parse(w.now) - Date.parse(waiting.createdAt)).toBe(40 * 60_000);

    const prodHelm = w.helm['lexecon-production'];
    expect(prodHelm.filter(r => r.status === 'deployed')).toHaveLength(1);
    expect(prodHelm[prodHelm.length - 1].status).toBe('deployed');
    expect(prodHelm.filter(r => r.status === 'failed')).toHaveLength(1);
    const rollbacks = prodHelm.filter(r =>
      r.description.startsWith('Rollback to'),
    );
    expect(rollbacks.map(r => r.revision)).toEqual([
      w.facts.autoRollback.rollbackRevision,
      w.facts.manualRollback.revision,
    ]);
    expect(w.facts.autoRollback.failedRevision).toBe(
      w.facts.autoRollback.rollbackRevision - 1,
    );
    expect(w.facts.autoRollback.rolledBackTo).toBe(
      w.facts.autoRollback.failedRevision - 1,
    );
    const staging = w.helm['lexecon-staging'];
    expect(staging).toHaveLength(20);
    expect(staging.filter(r => r.status === 'deployed')).toHaveLength(1);

    // only the newest deployment per environment is still 'success'
    for (const env of ['staging', 'production']) {
      const active = w.deployments.filter(
        d =>
          d.environment === env &&
          d.statuses[d.statuses.length - 1].state === 'success',
      );
      expect(active).toHaveLength(1);
    }
  });

  it.each([
    '2026-11-20T15:00:00Z',
    '2026-04-01T10:00:00Z',
    '2026-01-06T08:00:00Z',
    '2027-03-15T23:30:00Z',
  ])(
    'seeds one release about three weeks before %s approved in GitHub by jordan-lee, who wrote part of it',
    now => {
      const w = buildWorld(new Date(now));
      const { runId, approver, version } = w.facts.selfApproved;
      expect(approver).toBe('jordan-lee');
      const run = w.runs.find(r => r.id === runId)!;
      expect(run).toMatchObject({ version, conclusion: 'success' });
      expect(run.approvals.map(a => a.user)).toEqual(['jordan-lee']);
      const ageDays =
        (Date.parse(now) - Date.parse(run.createdAt)) / 86_400_000;
      expect(ageDays).toBeGreaterThan(14);
      expect(ageDays).toBeLessThan(35);
      // The change set: after the last successful production release before it, up to its sha.
      const production = w.runs
        .filter(
          r =>
            r.workflowFile === 'deploy-prod.yml' &&
            r.conclusion === 'success' &&
            r.createdAt < run.createdAt,
        )
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      const base = production[production.length - 1];
      const from = w.commits.findIndex(c => c.sha === base.headSha);
      const to = w.commits.findIndex(c => c.sha === run.headSha);
      const authors = w.commits.slice(from + 1, to + 1).map(c => c.authorLogin);
      expect(authors).toContain('jordan-lee');
    },
  );
});
