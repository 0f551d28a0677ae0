import {
  GithubApprovalsSnapshot,
  GithubPendingRun,
} from '../sources/github/types';
import { approvalEvents } from './approvalEvents';

const ENTITY = 'component:default/lexecon-api';
const NOW = new Date('2026-12-01T12:00:00Z');
const DAY = 86_400_000;

function pending(
  runId: number,
  options: { waitingDaysAgo?: number; ciPassed?: number } = {},
): GithubPendingRun {
  return {
    runId,
    runUrl: `https://github.example/runs/${runId}`,
    workflowName: 'Deploy to production',
    headSha: 'a'.repeat(40),
    headBranch: 'main',
    createdAt: NOW.toISOString(),
    environment: 'production',
    environmentId: 7,
    waitingSince: new Date(
      NOW.getTime() - (options.waitingDaysAgo ?? 0) * DAY,
    ).toISOString(),
    reviewers: [{ type: 'Team', name: 'release-approvers' }],
    preventSelfReview: true,
    tag: `v1.${runId}`,
    readiness: {
      ciRuns: {
        total: 10,
        passed: options.ciPassed ?? 10,
        workflow: 'test.yml',
      },
      coverage: { percent: 95, source: 'codecov' },
      security: { critical: 0, high: 0, medium: 0, low: 0 },
      quality: { check: 'lint', conclusion: 'success', reported: 100 },
    },
    warnings: [],
  };
}

const snapshot = (runs: GithubPendingRun[]): GithubApprovalsSnapshot => ({
  repository: { slug: 'lexecon-ai/lexecon', htmlUrl: 'https://github.example' },
  pending: runs,
  teams: { 'release-approvers': ['alex-kim', 'jordan-lee'] },
});

const events = (
  previous: GithubApprovalsSnapshot | undefined,
  current: GithubApprovalsSnapshot,
  decisions = {},
) =>
  approvalEvents({
    entityRef: ENTITY,
    previous,
    current,
    readinessGate: 90,
    decisions,
    now: NOW,
  });

describe('approvalEvents', () => {
  it('tells the owners when a waiting release scores below the readiness gate (CI at 50%: 78.5), not when it passes', () => {
    const found = events(
      undefined,
      snapshot([pending(1), pending(2, { ciPassed: 5 })]),
    );
    expect(found.map(e => e.kind)).toEqual([
      'run-waiting',
      'run-waiting',
      'readiness-below-gate',
    ]);
    expect(found[2]).toMatchObject({
      key: 'readiness-below-gate:lexecon-ai/lexecon:2:production',
      audience: { type: 'owner' },
      payload: {
        title: 'lexecon-api v1.2: readiness 78.5 is below the gate of 90',
        link: '/catalog/default/component/lexecon-api/lexecon',
      },
    });
  });

  it('tells whoever was told how a run stopped waiting: decided in the portal, in GitHub, or expired', () => {
    const previous = snapshot([
      pending(1),
      pending(2),
      pending(3, { waitingDaysAgo: 30 }),
    ]);
    const found = events(previous, snapshot([]), {
      '1:production': { state: 'rejected', actor: 'user:default/alex-kim' },
    });
    expect(found.map(e => [e.key, e.payload.title])).toEqual([
      [
        'run-decided:lexecon-ai/lexecon:1:production',
        'lexecon-api v1.1 to production was rejected by user:default/alex-kim',
      ],
      [
        'run-decided:lexecon-ai/lexecon:2:production',
        'lexecon-api v1.2 to production was decided in GitHub',
      ],
      [
        'run-decided:lexecon-ai/lexecon:3:production',
        'lexecon-api v1.3 to production expired: nobody decided within 30 days',
      ],
    ]);
    expect(found[0].audience).toEqual({
      type: 'told-of',
      key: 'run-waiting:lexecon-ai/lexecon:1:production',
    });
  });
});
