import { DeploymentRecord } from '@internal/plugin-lexecon-common';
import { computeReadiness } from '../approvals/readiness';
import { deployFact, incidentFact, readinessFact } from './facts';

const record = (extra: Partial<DeploymentRecord>): DeploymentRecord => ({
  id: 'production:run:7',
  environment: 'production',
  sha: 'abc1234def',
  shortSha: 'abc1234',
  version: 'v1.2.0',
  startedAt: '2026-11-03T10:00:00Z',
  finishedAt: '2026-11-03T10:06:00Z',
  result: 'success',
  sources: ['github'],
  ...extra,
});

describe('deployFact', () => {
  it('keeps the outcome and the change set of a finished deploy', () => {
    expect(
      deployFact(record({ result: 'failed' }), [
        {
          sha: 'c1',
          shortSha: 'c1',
          title: 'Fix',
          authoredAt: '2026-11-02T09:00:00Z',
        },
      ]),
    ).toEqual({
      id: 'production:run:7',
      environment: 'production',
      version: 'v1.2.0',
      sha: 'abc1234def',
      startedAt: '2026-11-03T10:00:00Z',
      finishedAt: '2026-11-03T10:06:00Z',
      result: 'failure',
      commits: [{ sha: 'c1', authoredAt: '2026-11-02T09:00:00Z' }],
    });
  });

  it("marks Helm's automatic rollback with its time and a manual rollback as no change", () => {
    const undone = deployFact(
      record({
        result: 'rolled_back',
        rollback: { kind: 'automatic', at: '2026-11-03T10:08:00Z' },
      }),
    );
    expect(undone?.result).toBe('rolled-back');
    expect(undone?.rolledBackAt).toBe('2026-11-03T10:08:00Z');
    expect(undone?.kind).toBeUndefined();
    const manual = deployFact(
      record({ rollback: { kind: 'manual', toRevision: 41 } }),
    );
    expect(manual?.kind).toBe('rollback');
    expect(manual?.commits).toEqual([]);
  });

  it('leaves out deploys that have not finished or were cancelled', () => {
    for (const result of ['in_progress', 'waiting', 'cancelled'] as const) {
      expect(deployFact(record({ result }))).toBeUndefined();
    }
  });
});

describe('incidentFact', () => {
  it('keeps an open incident open', () => {
    expect(
      incidentFact({
        id: 'inc-1',
        publicId: 1,
        title: 'Checkout errors',
        severity: 'SEV-2',
        state: 'active',
        startedAt: '2026-11-03T11:00:00Z',
      }),
    ).toEqual({
      id: 'inc-1',
      title: 'Checkout errors',
      startedAt: '2026-11-03T11:00:00Z',
    });
  });
});

describe('readinessFact', () => {
  it("takes the score, the gate and the commit's coverage", () => {
    const score = computeReadiness(
      {
        ciRuns: { total: 10, passed: 9, workflow: 'ci.yml' },
        coverage: { percent: 87.4, source: 'codecov' },
      },
      80,
    );
    expect(readinessFact('abc', '2026-11-03T10:00:00Z', score)).toEqual({
      sha: 'abc',
      measuredAt: '2026-11-03T10:00:00Z',
      score: score.score,
      gate: 80,
      coveragePercent: 87.4,
    });
    const noCoverage = computeReadiness({}, 80);
    expect(
      readinessFact('def', '2026-11-03T10:00:00Z', noCoverage).coveragePercent,
    ).toBeUndefined();
  });
});
