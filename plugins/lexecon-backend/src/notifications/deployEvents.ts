import { GithubDeploySnapshot } from '../sources/github/types';
import { HelmHistorySnapshot } from '../sources/kubernetes/types';
import { DetectedEvent, entityName, links } from './detectedEvent';

const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);

const isNamed = (environment: string, name: string) =>
  environment.toLowerCase() === name;

/**
 * Staging deploy runs that failed since the previous GitHub snapshot, for the owning team. The
 * first snapshot of an entity only sets the baseline: its history is not news.
 */
export function stagingFailureEvents(input: {
  entityRef: string;
  previous?: GithubDeploySnapshot;
  current: GithubDeploySnapshot;
}): DetectedEvent[] {
  const { entityRef, previous, current } = input;
  if (!previous) return [];
  const events: DetectedEvent[] = [];
  for (const [environment, snapshot] of Object.entries(current.environments)) {
    if (!isNamed(environment, 'staging')) continue;
    const known = new Set(
      (previous.environments[environment]?.runs ?? [])
        .filter(run => run.conclusion && FAILED.has(run.conclusion))
        .map(run => run.id),
    );
    for (const run of snapshot.runs) {
      if (!run.conclusion || !FAILED.has(run.conclusion) || known.has(run.id)) {
        continue;
      }
      const version = current.tags[run.headSha] ?? run.headSha.slice(0, 7);
      events.push({
        kind: 'staging-deploy-failed',
        key: `staging-deploy-failed:${current.repository.slug}:${run.id}`,
        audience: { type: 'owner' },
        payload: {
          title: `${entityName(
            entityRef,
          )} ${version}: the ${environment} deploy failed`,
          description: `${run.workflowName} run ${run.runNumber} ended in ${
            run.conclusion
          }${run.commitTitle ? ` (${run.commitTitle})` : ''}.`,
          link: links.entityTab(entityRef),
        },
      });
    }
  }
  return events;
}

/** Production Helm revisions that are rollbacks, new since the previous snapshot, for the owning team. */
export function rollbackEvents(input: {
  entityRef: string;
  previous?: HelmHistorySnapshot;
  current: HelmHistorySnapshot;
}): DetectedEvent[] {
  const { entityRef, previous, current } = input;
  if (!previous) return [];
  const events: DetectedEvent[] = [];
  for (const [environment, release] of Object.entries(current.environments)) {
    if (!isNamed(environment, 'production')) continue;
    const known = new Set(
      (previous.environments[environment]?.revisions ?? []).map(
        r => r.revision,
      ),
    );
    for (const revision of release.revisions) {
      if (revision.rollbackTo === undefined || known.has(revision.revision)) {
        continue;
      }
      events.push({
        kind: 'production-rolled-back',
        key: `production-rolled-back:${entityRef}:${release.cluster}/${release.namespace}/${release.release}:${revision.revision}`,
        audience: { type: 'owner' },
        payload: {
          title: `${entityName(
            entityRef,
          )}: ${environment} was rolled back to revision ${
            revision.rollbackTo
          }`,
          description: `Helm release ${release.release} in ${release.namespace}: ${revision.description}.`,
          link: links.entityTab(entityRef),
        },
      });
    }
  }
  return events;
}
