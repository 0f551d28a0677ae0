import { EntityTarget } from '../../EntityTarget';
import { SnapshotStore } from '../../snapshots/SnapshotStore';
import { GithubDeploySnapshot } from '../../sources/github/types';
import { GithubDeploymentList } from './checkCompleteness';

const DAY_MS = 86_400_000;

/**
 * GitHub's production deployments of each service as the github source stored them (it reads
 * `GET /repos/{owner}/{repo}/deployments?environment=<production>` on every refresh, for the
 * `historyDays` before the read), or why they cannot stand for GitHub's list over [from, to):
 * never read, a service without a repository, a window starting before what the read covers, or
 * a last read that failed before the window's end.
 */
export async function readDeploymentLists(
  snapshots: SnapshotStore,
  services: readonly EntityTarget[],
  window: { from: string; to: string; historyDays: number },
): Promise<GithubDeploymentList[]> {
  return Promise.all(
    services.map(async (service): Promise<GithubDeploymentList> => {
      const { entityRef } = service;
      if (!service.github) {
        return {
          entityRef,
          unreadable:
            'the service names no GitHub repository, so GitHub has no deployment list to check against',
        };
      }
      const production = service.environments[service.environments.length - 1];
      const stored = await snapshots.get<GithubDeploySnapshot>(
        entityRef,
        'github',
      );
      if (!stored?.hasData || !stored.data || !stored.fetchedAt) {
        return {
          entityRef,
          unreadable: `GitHub’s deployments have not been read${
            stored?.error ? `: ${stored.error}` : ' yet'
          }`,
        };
      }
      const fetchedAt = stored.fetchedAt.getTime();
      const coveredFrom = new Date(fetchedAt - window.historyDays * DAY_MS)
        .toISOString()
        .slice(0, 10);
      if (window.from < coveredFrom) {
        return {
          entityRef,
          unreadable: `GitHub’s deployments are read for the ${window.historyDays} days before each read (lexecon.historyDays): the last read covers from ${coveredFrom}, after the window’s start`,
        };
      }
      if (stored.error && fetchedAt < Date.parse(window.to)) {
        return {
          entityRef,
          unreadable: `the last read of GitHub failed (${
            stored.error
          }); the stored list ends at ${stored.fetchedAt.toISOString()}, before the window’s end`,
        };
      }
      const environment = stored.data.environments[production];
      if (!environment) {
        return {
          entityRef,
          unreadable: `GitHub’s deployments to ${production} were not part of the last read`,
        };
      }
      return { entityRef, deployments: environment.deployments };
    }),
  );
}
