import { GithubDeploySnapshot, GithubRunInfo } from '../sources/github/types';
import {
  HelmHistorySnapshot,
  HelmRevisionSnapshot,
} from '../sources/kubernetes/types';
import { mergeDeploymentHistory } from './mergeDeploymentHistory';

const sha = (n: number) => n.toString(16).padStart(40, 'a');

function run(
  id: number,
  headSha: string,
  start: string,
  end: string,
  conclusion = 'success',
): GithubRunInfo {
  return {
    id,
    runNumber: id,
    workflowName: 'Deploy to production',
    displayTitle: 'Deploy',
    event: 'workflow_dispatch',
    status: 'completed',
    conclusion,
    headSha,
    headBranch: 'main',
    commitTitle: `feat: change ${id}`,
    actor: { login: 'maya-chen' },
    createdAt: start,
    runStartedAt: start,
    updatedAt: end,
    htmlUrl: `https://github.example/runs/${id}`,
    approvals: [
      {
        state: 'approved',
        user: { login: 'alex-kim' },
        comment: 'LGTM',
        at: start,
      },
    ],
  };
}

function rev(
  revision: number,
  revSha: string,
  at: string,
  status: string,
  description: string,
): HelmRevisionSnapshot {
  return {
    revision,
    status,
    description,
    namespace: 'lexecon-production',
    deployedAt: at,
    sha: revSha,
    rollbackTo: /^Rollback to (\d+)/.exec(description)
      ? Number(/^Rollback to (\d+)/.exec(description)![1])
      : undefined,
  };
}

function github(runs: GithubRunInfo[]): GithubDeploySnapshot {
  return {
    repository: {
      slug: 'lexecon-ai/lexecon',
      htmlUrl: 'https://github.example/lexecon-ai/lexecon',
    },
    tags: { [sha(1)]: 'v1.0.0', [sha(2)]: 'v1.1.0', [sha(3)]: 'v1.2.0' },
    behind: { production: { of: 'staging', commits: 4 } },
    environments: {
      production: { protected: true, runs, deployments: [] },
    },
  };
}

describe('mergeDeploymentHistory', () => {
  const runs = [
    run(30, sha(3), '2026-11-10T10:00:00Z', '2026-11-10T10:06:00Z', 'failure'),
    run(20, sha(2), '2026-11-05T10:00:00Z', '2026-11-05T10:05:00Z'),
    run(10, sha(1), '2026-11-01T10:00:00Z', '2026-11-01T10:04:00Z'),
  ];

  it('marks a failed deploy that Helm rolled back right away as rolled back, with its target', () => {
    const helm: HelmHistorySnapshot = {
      environments: {
        production: {
          cluster: 'prod',
          namespace: 'lexecon-production',
          release: 'lexecon',
          revisions: [
            rev(
              1,
              sha(1),
              '2026-11-01T10:03:00Z',
              'superseded',
              'Install complete',
            ),
            rev(
              2,
              sha(2),
              '2026-11-05T10:04:00Z',
              'superseded',
              'Upgrade complete',
            ),
            rev(
              3,
              sha(3),
              '2026-11-10T10:05:00Z',
              'failed',
              'Upgrade "lexecon" failed',
            ),
            rev(4, sha(2), '2026-11-10T10:06:00Z', 'deployed', 'Rollback to 2'),
          ],
        },
      },
    };
    const merged = mergeDeploymentHistory(['production'], github(runs), helm);
    expect(merged.records.map(r => [r.version, r.result])).toEqual([
      ['v1.2.0', 'rolled_back'],
      ['v1.1.0', 'success'],
      ['v1.0.0', 'success'],
    ]);
    const failed = merged.records[0];
    expect(failed.rollback).toMatchObject({
      kind: 'automatic',
      toRevision: 2,
      toVersion: 'v1.1.0',
    });
    expect(failed.helm?.revision).toBe(3);
    expect(failed.approval?.user.login).toBe('alex-kim');
    expect(failed.durationSeconds).toBe(360);
    const live = merged.environments[0];
    expect(live.live).toMatchObject({ version: 'v1.1.0', helmRevision: 4 });
    expect(live.commitsBehind).toBe(4);
  });

  it('adds a manual rollback done with helm by hand as its own record', () => {
    const helm: HelmHistorySnapshot = {
      environments: {
        production: {
          cluster: 'prod',
          namespace: 'lexecon-production',
          release: 'lexecon',
          revisions: [
            rev(
              1,
              sha(1),
              '2026-11-01T10:03:00Z',
              'superseded',
              'Install complete',
            ),
            rev(
              2,
              sha(2),
              '2026-11-05T10:04:00Z',
              'superseded',
              'Upgrade complete',
            ),
            rev(3, sha(1), '2026-11-05T15:00:00Z', 'deployed', 'Rollback to 1'),
          ],
        },
      },
    };
    const merged = mergeDeploymentHistory(
      ['production'],
      github(runs.slice(1)),
      helm,
    );
    const manual = merged.records.find(r => r.id === 'production:helm:3');
    expect(manual).toMatchObject({
      version: 'v1.0.0',
      result: 'success',
      rollback: { kind: 'manual', toRevision: 1, toVersion: 'v1.0.0' },
      sources: ['kubernetes'],
    });
    expect(merged.environments[0].live?.version).toBe('v1.0.0');
  });

  it('shows GitHub history alone when Helm data is missing, with the live version from GitHub', () => {
    const merged = mergeDeploymentHistory(
      ['production'],
      github(runs),
      undefined,
    );
    expect(merged.records).toHaveLength(3);
    expect(merged.records.every(r => r.sources.join() === 'github')).toBe(true);
    expect(merged.environments[0].live?.version).toBe('v1.1.0');
  });

  it('shows a run waiting on the environment gate as waiting', () => {
    const waiting = {
      ...run(40, sha(4), '2026-11-12T10:00:00Z', '2026-11-12T10:00:00Z'),
      status: 'waiting',
      conclusion: null,
      approvals: [],
    };
    const merged = mergeDeploymentHistory(
      ['production'],
      github([waiting, ...runs]),
      undefined,
    );
    expect(merged.records[0]).toMatchObject({
      result: 'waiting',
      version: sha(4).slice(0, 7),
    });
    expect(merged.records[0].finishedAt).toBeUndefined();
  });
});
