import {
  SnapshotChange,
  SnapshotRefresher,
} from '../../snapshots/SnapshotRefresher';
import { SourceId } from '@internal/plugin-lexecon-common';

/** The snapshots the portal-evidence source derives its observations from. */
const DERIVED_FROM: ReadonlySet<SourceId> = new Set<SourceId>([
  'github',
  'github-approvals',
  'kubernetes',
  'unleash',
  'datadog',
]);

/** However many snapshots change at once, the evidence of a service is derived once a minute. */
const MIN_INTERVAL_MS = 60_000;

/**
 * Derived evidence follows what it is derived from: when a deploy history, an approvals inbox,
 * the flags or the SLA of a service change, its change population and observations are derived
 * again within a minute, rather than at the next hourly cycle (a deploy approved by one of its
 * authors shows as an exception the same minute).
 */
export async function followWithDerivedEvidence(
  refresher: SnapshotRefresher,
  change: SnapshotChange,
): Promise<void> {
  if (!DERIVED_FROM.has(change.source)) return;
  refresher.refreshInBackground(change.target, {
    only: ['portal-evidence'],
    minIntervalMs: MIN_INTERVAL_MS,
  });
}
