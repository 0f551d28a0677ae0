import { SourceId, SourceState } from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { StoredSnapshot } from '../snapshots/SnapshotStore';
import { SnapshotRefresher } from './SnapshotRefresher';

const LABELS: Partial<Record<SourceId, string>> = {
  github: 'GitHub',
  kubernetes: 'Kubernetes',
  'github-approvals': 'GitHub',
};

export function sourceLabel(id: SourceId): string {
  return LABELS[id] ?? id;
}

/** The status of one source's snapshot for an entity: ok, stale, error or not-configured. */
export function describeSourceState(
  refresher: SnapshotRefresher,
  target: EntityTarget,
  id: SourceId,
  snapshot: StoredSnapshot | undefined,
  options: { staleAfterMs: number; now: Date },
): SourceState {
  const source = refresher.source(id);
  const reason = source
    ? source.notConfiguredReason(target)
    : {
        message: `The ${id} source is not enabled in this backend`,
        missingAnnotations: [],
      };
  if (reason) {
    return {
      source: id,
      status: 'not-configured',
      message: reason.message,
      missingAnnotations: reason.missingAnnotations,
    };
  }
  if (!snapshot) {
    return {
      source: id,
      status: 'error',
      message: `The first fetch from ${sourceLabel(
        id,
      )} is still running; try again in a moment`,
    };
  }
  const base = {
    source: id,
    fetchedAt: snapshot.fetchedAt?.toISOString(),
    attemptedAt: snapshot.attemptedAt.toISOString(),
  };
  if (!snapshot.hasData) {
    return { ...base, status: 'error', message: snapshot.error };
  }
  if (snapshot.error) {
    return { ...base, status: 'stale', message: snapshot.error };
  }
  if (
    snapshot.fetchedAt &&
    options.now.getTime() - snapshot.fetchedAt.getTime() > options.staleAfterMs
  ) {
    return {
      ...base,
      status: 'stale',
      message: `${sourceLabel(
        id,
      )} data has not been refreshed since ${snapshot.fetchedAt.toISOString()}`,
    };
  }
  return { ...base, status: 'ok' };
}

export function delay(ms: number) {
  return new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
}
