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
    // repository profile is new, so it is left out).
    const sha256 = (value: unknown) =>
      createHash('sha256').update(JSON.stringify(value)).digest('hex');
    const world = buildWorld(NOW);
    const { profile: _profile, ...seeded } = world;
    expect(sha256(seeded)).toBe(
      'eed220db24b8a940576fc1c39c2620b7273a94a3ac605c2afd4a4e010a401fbd',
    );
    expect(sha256(buildObservability(world))).toBe(
      '6d0b9c75bc6ccba9b168ec9d88c8d7903ff3a3f29eafbb7f354eb8e1034fda83',
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
});
