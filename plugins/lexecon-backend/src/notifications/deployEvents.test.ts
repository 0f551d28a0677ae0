import { GithubDeploySnapshot, GithubRunInfo } from '../sources/github/types';
import { HelmHistorySnapshot } from '../sources/kubernetes/types';
import { rollbackEvents, stagingFailureEvents } from './deployEvents';

const ENTITY = 'component:default/lexecon-api';

function run(id: number, conclusion: string | null): GithubRunInfo {
  return {
    id,
    runNumber: id,
    workflowName: 'Deploy to staging',
    displayTitle: 'Deploy',
    event: 'push',
    status: conclusion ? 'completed' : 'in_progress',
    conclusion,
    headSha: `${id}`.padEnd(40, '0'),
    headBranch: 'main',
    createdAt: '2026-11-30T10:00:00Z',
    updatedAt: '2026-11-30T10:05:00Z',
    htmlUrl: `https://github.example/runs/${id}`,
  };
}

function deploys(stagingRuns: GithubRunInfo[]): GithubDeploySnapshot {
  return {
    repository: {
      slug: 'lexecon-ai/lexecon',
      htmlUrl: 'https://github.example',
    },
    environments: {
      staging: { protected: false, runs: stagingRuns, deployments: [] },
      production: {
        protected: true,
        runs: [run(90, 'failure')],
        deployments: [],
      },
    },
    tags: { [run(3, null).headSha]: 'v1.4.7' },
    behind: {},
  };
}

function helm(revisions: Array<[number, number?]>): HelmHistorySnapshot {
  return {
    environments: {
      production: {
        cluster: 'prod',
        namespace: 'lexecon-production',
        release: 'lexecon',
        revisions: revisions.map(([revision, rollbackTo]) => ({
          revision,
          status: 'superseded',
          description: rollbackTo
            ? `Rollback to ${rollbackTo}`
            : 'Upgrade complete',
          namespace: 'lexecon-production',
          rollbackTo,
        })),
      },
    },
  };
}

describe('stagingFailureEvents', () => {
  it('tells the owners of each staging deploy that failed since the previous snapshot, once', () => {
    const previous = deploys([run(1, 'failure'), run(2, 'success')]);
    const current = deploys([
      run(1, 'failure'),
      run(2, 'success'),
      run(3, 'failure'),
      run(4, null),
    ]);
    const events = stagingFailureEvents({
      entityRef: ENTITY,
      previous,
      current,
    });
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'staging-deploy-failed',
        key: 'staging-deploy-failed:lexecon-ai/lexecon:3',
        audience: { type: 'owner' },
        payload: expect.objectContaining({
          title: 'lexecon-api v1.4.7: the staging deploy failed',
          link: '/catalog/default/component/lexecon-api/lexecon',
        }),
      }),
    ]);
  });

  it('takes the first snapshot of a service as its baseline: old failures are not news', () => {
    expect(
      stagingFailureEvents({
        entityRef: ENTITY,
        current: deploys([run(1, 'failure')]),
      }),
    ).toEqual([]);
  });
});

describe('rollbackEvents', () => {
  it('tells the owners of a new production rollback, not of one already known', () => {
    const events = rollbackEvents({
      entityRef: ENTITY,
      previous: helm([[40], [41], [42, 40]]),
      current: helm([[40], [41], [42, 40], [43], [44, 43]]),
    });
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'production-rolled-back',
        key: `production-rolled-back:${ENTITY}:prod/lexecon-production/lexecon:44`,
        audience: { type: 'owner' },
        payload: expect.objectContaining({
          title: 'lexecon-api: production was rolled back to revision 43',
        }),
      }),
    ]);
    expect(
      rollbackEvents({ entityRef: ENTITY, current: helm([[40], [41, 40]]) }),
    ).toEqual([]);
  });
});
