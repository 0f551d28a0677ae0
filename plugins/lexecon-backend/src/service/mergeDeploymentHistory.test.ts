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

describe('mergeDeploymentHistory from GitHub runs', () => {
  const at = (minute: number) =>
    new Date(Date.UTC(2026, 10, 12, 10, minute)).toISOString();
  const only = (...runs: GithubRunInfo[]) =>
    mergeDeploymentHistory(['production'], github(runs), undefined).records;

  it('names the result of a run from its status and conclusion', () => {
    const result = (status: string, conclusion: string | null) =>
      only({ ...run(1, sha(1), at(0), at(5)), status, conclusion })[0];
    expect(result('completed', 'success')).toMatchObject({
      result: 'success',
      finishedAt: at(5),
      durationSeconds: 300,
    });
    expect(result('completed', 'failure').result).toBe('failed');
    expect(result('completed', 'timed_out').result).toBe('failed');
    expect(result('completed', 'cancelled').result).toBe('cancelled');
    expect(result('completed', 'skipped').result).toBe('cancelled');
    expect(result('completed', 'action_required').result).toBe('waiting');
    expect(result('action_required', null).result).toBe('waiting');
    expect(result('waiting', null).result).toBe('waiting');
    for (const status of ['in_progress', 'queued']) {
      const running = result(status, null);
      expect(running.result).toBe('in_progress');
      expect(running).not.toHaveProperty('finishedAt', expect.anything());
      expect(running).not.toHaveProperty('durationSeconds', expect.anything());
    }
  });

  it('shows who triggered the run, its latest review, and times it from its start', () => {
    const rerun: GithubRunInfo = {
      ...run(2, sha(2), at(0), at(7)),
      runStartedAt: at(3),
      triggeringActor: { login: 'sam-ortiz' },
      approvals: [
        { state: 'rejected', user: { login: 'alex-kim' } },
        { state: 'approved', user: { login: 'jordan-lee' }, comment: 'ok' },
      ],
    };
    expect(only(rerun)[0]).toMatchObject({
      id: 'production:run:2',
      environment: 'production',
      sha: sha(2),
      shortSha: sha(2).slice(0, 7),
      tag: 'v1.1.0',
      version: 'v1.1.0',
      commitTitle: 'feat: change 2',
      triggeredBy: { login: 'sam-ortiz' },
      approval: { state: 'approved', user: { login: 'jordan-lee' } },
      startedAt: at(3),
      durationSeconds: 240,
      workflowName: 'Deploy to production',
      runId: 2,
      runUrl: 'https://github.example/runs/2',
      sources: ['github'],
    });
    const queuedOnly = { ...run(3, sha(3), at(0), at(2)) };
    delete queuedOnly.runStartedAt;
    expect(only(queuedOnly)[0]).toMatchObject({
      triggeredBy: { login: 'maya-chen' },
      startedAt: at(0),
      durationSeconds: 120,
    });
    // A run GitHub reports as updated before it started has taken no time, not negative time.
    expect(only({ ...run(4, sha(4), at(5), at(4)) })[0].durationSeconds).toBe(
      0,
    );
    // Runs into an environment without required reviewers carry no approvals at all.
    for (const approvals of [[], undefined]) {
      expect(
        only({ ...run(5, sha(4), at(0), at(1)), approvals })[0].approval,
      ).toBeUndefined();
    }
  });

  it('links a run to the deployment it created, else to a deployment of its commit made within ten minutes of the run', () => {
    const deployment = (
      id: number,
      of: string,
      createdAt: string,
      runId?: number,
    ) => ({
      id,
      sha: of,
      environment: 'production',
      createdAt,
      runId,
    });
    const snapshot = github([
      run(10, sha(1), at(0), at(20)),
      run(11, sha(2), at(30), at(40)),
      run(12, sha(3), at(30), at(40)),
      run(13, sha(4), at(60), at(65)),
    ]);
    snapshot.environments.production.deployments = [
      deployment(900, sha(9), at(45), 10),
      deployment(901, sha(2), at(20)),
      deployment(902, sha(3), at(19)),
      deployment(903, sha(3), at(50)),
      deployment(904, sha(4), at(76)),
      deployment(905, sha(1), at(5)),
    ];
    const { records } = mergeDeploymentHistory(
      ['production'],
      snapshot,
      undefined,
    );
    const deploymentOf = (runId: number) =>
      records.find(r => r.runId === runId)?.deploymentId;
    expect(deploymentOf(10)).toBe(900);
    expect(deploymentOf(11)).toBe(901);
    expect(deploymentOf(12)).toBe(903);
    expect(deploymentOf(13)).toBeUndefined();
  });
});

describe('mergeDeploymentHistory with Helm revisions', () => {
  const at = (minute: number) =>
    new Date(Date.UTC(2026, 10, 12, 10, minute)).toISOString();
  const helmOf = (revisions: HelmRevisionSnapshot[]): HelmHistorySnapshot => ({
    environments: {
      production: {
        cluster: 'prod',
        namespace: 'lexecon-production',
        release: 'lexecon',
        revisions,
      },
    },
  });
  const merge = (runs: GithubRunInfo[], revisions: HelmRevisionSnapshot[]) =>
    mergeDeploymentHistory(['production'], github(runs), helmOf(revisions));

  it('joins a revision to the nearest run of its commit, within ten minutes of the run', () => {
    const { records } = merge(
      [
        run(23, sha(4), at(200), at(205)),
        run(22, sha(3), at(100), at(105)),
        run(24, sha(2), at(25), at(35)),
        run(21, sha(2), at(20), at(40)),
        run(20, sha(2), at(0), at(30)),
      ],
      [
        // Within the windows of runs 24, 21 and 20: nearest to the start of 21.
        rev(1, sha(2), at(21), 'superseded', 'Upgrade complete'),
        // Run 21 has its revision; before the window of 24.
        rev(2, sha(2), at(12), 'superseded', 'Upgrade complete'),
        rev(3, sha(3), at(115), 'superseded', 'Upgrade complete'),
        rev(4, sha(4), at(216), 'superseded', 'Upgrade complete'),
        rev(5, sha(4), at(189), 'superseded', 'Upgrade complete'),
        rev(6, sha(4), at(190), 'superseded', 'Upgrade complete'),
        {
          ...rev(7, sha(1), at(300), 'deployed', 'Upgrade complete'),
          sha: undefined,
        },
      ],
    );
    const byId = Object.fromEntries(
      records.map(r => [r.id, [r.sources.join('+'), r.helm?.revision]]),
    );
    expect(byId).toEqual({
      'production:run:20': ['github+kubernetes', 2],
      'production:run:21': ['github+kubernetes', 1],
      'production:run:22': ['github+kubernetes', 3],
      'production:run:23': ['github+kubernetes', 6],
      'production:run:24': ['github', undefined],
      'production:helm:4': ['kubernetes', 4],
      'production:helm:5': ['kubernetes', 5],
      'production:helm:7': ['kubernetes', 7],
    });
  });

  it('marks a failed revision rolled back within 15 minutes as rolled back, and any other rollback as manual', () => {
    const merged = merge(
      [
        run(61, sha(4), at(110), at(112)),
        run(44, sha(3), at(35), at(42), 'failure'),
      ],
      [
        rev(1, sha(1), at(0), 'superseded', 'Install complete'),
        rev(2, sha(2), at(10), 'failed', 'Upgrade "lexecon" failed'),
        rev(3, sha(1), at(25), 'superseded', 'Rollback to 1'),
        rev(4, sha(3), at(40), 'failed', 'Upgrade "lexecon" failed'),
        rev(5, sha(1), at(50), 'superseded', 'Rollback to 1'),
        rev(6, sha(3), at(55), 'superseded', 'Rollback to 4'),
        rev(7, sha(2), at(90), 'failed', 'Upgrade "lexecon" failed'),
        rev(8, sha(3), at(106), 'deployed', 'Rollback to 6'),
      ],
    );
    expect(
      merged.records.map(r => [r.id, r.result, r.rollback ?? null]),
    ).toEqual([
      ['production:run:61', 'success', null],
      [
        'production:helm:8',
        'success',
        { kind: 'manual', toRevision: 6, toVersion: 'v1.2.0', at: at(106) },
      ],
      ['production:helm:7', 'failed', null],
      [
        'production:helm:6',
        'success',
        { kind: 'manual', toRevision: 4, toVersion: 'v1.2.0', at: at(55) },
      ],
      [
        'production:run:44',
        'rolled_back',
        { kind: 'automatic', toRevision: 1, toVersion: 'v1.0.0', at: at(50) },
      ],
      [
        'production:helm:2',
        'rolled_back',
        { kind: 'automatic', toRevision: 1, toVersion: 'v1.0.0', at: at(25) },
      ],
      ['production:helm:1', 'success', null],
    ]);
    expect(merged.records[6]).toMatchObject({
      tag: 'v1.0.0',
      version: 'v1.0.0',
    });
    expect(merged.environments[0].live).toEqual({
      version: 'v1.2.0',
      sha: sha(3),
      since: at(106),
      result: 'success',
      deploymentId: 'production:helm:8',
      helmRevision: 8,
    });
  });

  it('keeps a rollback apart from the run of the commit it returns to, when the target revision is no longer in the history', () => {
    const merged = merge(
      [run(2, sha(2), at(10), at(14), 'failure'), run(1, sha(1), at(0), at(4))],
      [
        rev(2, sha(2), at(13), 'failed', 'Upgrade "lexecon" failed'),
        rev(3, sha(1), at(14), 'deployed', 'Rollback to 1'),
      ],
    );
    expect(
      merged.records.map(r => [r.id, r.sources.join('+'), r.result]),
    ).toEqual([
      ['production:run:2', 'github+kubernetes', 'rolled_back'],
      ['production:run:1', 'github', 'success'],
    ]);
    expect(merged.records[0].rollback).toEqual({
      kind: 'automatic',
      toRevision: 1,
      toVersion: undefined,
      at: at(14),
    });
    expect(merged.environments[0].live).toEqual({
      version: 'v1.0.0',
      sha: sha(1),
      since: at(14),
      result: 'success',
      deploymentId: '',
      helmRevision: 3,
    });
  });

  it('treats a rollback whose previous revision is no longer in the history as manual', () => {
    const { records } = merge(
      [],
      [rev(5, sha(1), at(10), 'deployed', 'Rollback to 3')],
    );
    expect(records).toEqual([
      expect.objectContaining({
        id: 'production:helm:5',
        result: 'success',
        rollback: {
          kind: 'manual',
          toRevision: 3,
          toVersion: undefined,
          at: at(10),
        },
      }),
    ]);
  });

  it('takes the live version from the newest successful deploy while an upgrade is pending', () => {
    const merged = merge(
      [run(2, sha(2), at(0), at(5))],
      [
        rev(1, sha(2), at(4), 'superseded', 'Upgrade complete'),
        rev(2, sha(9), at(50), 'superseded', 'Upgrade complete'),
        rev(3, sha(3), at(60), 'pending-upgrade', 'Preparing upgrade'),
      ],
    );
    expect(merged.environments[0].live).toMatchObject({
      deploymentId: 'production:helm:2',
      since: at(50),
      helmRevision: 2,
    });
  });

  it('shows a revision without a run by its tag, short sha, app version or number, and its Helm status', () => {
    const untagged = '5f0c1a2'.padEnd(40, '0');
    const bare = (revision: number, status: string) => ({
      revision,
      status,
      description: 'Upgrade complete',
      namespace: 'lexecon-production',
    });
    const merged = mergeDeploymentHistory(
      ['production'],
      undefined,
      helmOf([
        rev(1, untagged, at(0), 'superseded', 'Install complete'),
        { ...bare(2, 'superseded'), deployedAt: at(10) },
        { ...bare(3, 'failed'), appVersion: '2.4.0', deployedAt: at(20) },
        { ...bare(4, 'pending-upgrade'), firstDeployedAt: at(30) },
        bare(5, 'superseded'),
        { ...bare(6, 'deployed'), deployedAt: at(40) },
      ]),
    );
    expect(
      merged.records.map(r => ({
        id: r.id,
        sha: r.sha,
        shortSha: r.shortSha,
        tag: r.tag,
        version: r.version,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        result: r.result,
        sources: r.sources,
        helm: r.helm?.revision,
      })),
    ).toEqual([
      {
        id: 'production:helm:6',
        sha: '',
        shortSha: '',
        tag: undefined,
        version: 'revision 6',
        startedAt: at(40),
        finishedAt: at(40),
        result: 'success',
        sources: ['kubernetes'],
        helm: 6,
      },
      expect.objectContaining({
        id: 'production:helm:4',
        version: 'revision 4',
        startedAt: at(30),
        result: 'in_progress',
      }),
      expect.objectContaining({
        id: 'production:helm:3',
        sha: '',
        version: '2.4.0',
        result: 'failed',
      }),
      expect.objectContaining({
        id: 'production:helm:2',
        version: 'revision 2',
      }),
      expect.objectContaining({
        id: 'production:helm:1',
        sha: untagged,
        shortSha: '5f0c1a2',
        tag: undefined,
        version: '5f0c1a2',
        result: 'success',
      }),
      expect.objectContaining({
        id: 'production:helm:5',
        startedAt: new Date(0).toISOString(),
      }),
    ]);
    expect(merged.environments).toEqual([
      {
        environment: 'production',
        live: {
          version: 'revision 6',
          sha: '',
          since: at(40),
          result: 'success',
          deploymentId: 'production:helm:6',
          helmRevision: 6,
        },
      },
    ]);
  });

  it('takes the live version from the newest deployed revision, with the run that deployed it', () => {
    const merged = merge(
      [
        run(30, sha(3), at(20), at(25)),
        {
          ...run(20, sha(2), at(10), at(15)),
          triggeringActor: { login: 'sam-ortiz' },
        },
        run(10, sha(1), at(0), at(5)),
      ],
      [
        // Helm can leave an older revision marked deployed; the newest one is what runs.
        rev(1, sha(1), at(4), 'deployed', 'Install complete'),
        rev(2, sha(2), at(14), 'deployed', 'Upgrade complete'),
        rev(3, sha(3), at(24), 'failed', 'Upgrade "lexecon" failed'),
      ],
    );
    expect(merged.environments[0].live).toEqual({
      version: 'v1.1.0',
      sha: sha(2),
      since: at(14),
      result: 'success',
      deploymentId: 'production:run:20',
      helmRevision: 2,
      triggeredBy: { login: 'sam-ortiz' },
    });
  });

  it('names the live version by its app version when the automatic rollback that deployed it has no sha', () => {
    const merged = merge(
      [],
      [
        rev(1, sha(1), at(0), 'superseded', 'Install complete'),
        rev(2, sha(2), at(10), 'failed', 'Upgrade "lexecon" failed'),
        {
          ...rev(3, sha(1), at(12), 'deployed', 'Rollback to 1'),
          sha: undefined,
          appVersion: '1.0.0',
        },
      ],
    );
    expect(merged.environments[0].live).toEqual({
      version: '1.0.0',
      sha: '',
      since: at(12),
      result: 'success',
      deploymentId: '',
      helmRevision: 3,
    });
  });
});

describe('mergeDeploymentHistory across environments', () => {
  const at = (minute: number) =>
    new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();

  it('without Helm, takes the live version from the newest successful run, and has none without one', () => {
    const merged = mergeDeploymentHistory(
      ['production'],
      github([
        run(3, sha(3), at(20), at(26), 'failure'),
        run(2, sha(2), at(10), at(15)),
        run(1, sha(1), at(0), at(5)),
      ]),
      undefined,
    );
    expect(merged.environments[0].live).toEqual({
      version: 'v1.1.0',
      sha: sha(2),
      since: at(15),
      result: 'success',
      deploymentId: 'production:run:2',
      helmRevision: undefined,
      triggeredBy: { login: 'maya-chen' },
    });
    const failedOnly = mergeDeploymentHistory(
      ['production'],
      github([run(3, sha(3), at(20), at(26), 'failure')]),
      undefined,
    );
    expect(failedOnly.environments[0].live).toBeUndefined();
  });

  it('lists the deploys of every environment newest first, and sums up each environment in order', () => {
    const snapshot = github([
      run(12, sha(2), at(30), at(35)),
      run(11, sha(1), at(10), at(15)),
    ]);
    snapshot.environments.staging = {
      protected: false,
      htmlUrl: 'https://github.example/lexecon-ai/lexecon/deployments/staging',
      runs: [run(22, sha(2), at(20), at(25)), run(21, sha(1), at(0), at(5))],
      deployments: [],
    };
    const helm: HelmHistorySnapshot = {
      environments: {
        production: {
          cluster: 'prod',
          namespace: 'lexecon-production',
          release: 'lexecon',
          revisions: [rev(1, sha(9), at(40), 'deployed', 'Upgrade complete')],
        },
      },
    };
    const merged = mergeDeploymentHistory(
      ['staging', 'production', 'qa'],
      snapshot,
      helm,
    );
    expect(merged.records.map(r => r.id)).toEqual([
      'production:helm:1',
      'production:run:12',
      'staging:run:22',
      'production:run:11',
      'staging:run:21',
    ]);
    expect(merged.environments).toEqual([
      {
        environment: 'staging',
        htmlUrl:
          'https://github.example/lexecon-ai/lexecon/deployments/staging',
        live: expect.objectContaining({ deploymentId: 'staging:run:22' }),
      },
      {
        environment: 'production',
        htmlUrl: undefined,
        live: expect.objectContaining({ deploymentId: 'production:helm:1' }),
        commitsBehind: 4,
        behindOf: 'staging',
      },
      { environment: 'qa', htmlUrl: undefined, live: undefined },
    ]);
  });
});
