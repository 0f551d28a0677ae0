import {
  Section,
  SECTION_DECLARATIONS,
  SectionId,
  SectionStatus,
  SectionSummary,
  SourceId,
  sourceLabel,
  SourceState,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { SnapshotRefresher } from './SnapshotRefresher';
import { SnapshotStore, StoredSnapshot } from './SnapshotStore';

/** One source's snapshot of one entity, with the state every view words the same way. */
export interface SourceRead<T = unknown> {
  state: SourceState;
  /** The stored data (absent unless asked for, or when no good fetch exists). */
  data?: T;
  /** Equal versions mean equal data (see StoredSnapshot.dataVersion). */
  dataVersion?: string;
}

/**
 * The one read path from snapshots to views. A view never calls upstream: it reads what the
 * schedule stored. A configured source that was never fetched for the entity is fetched once on
 * demand (shared with any other caller through the refresher's single flight), waiting at most
 * `onDemandWaitMs`; the states ok, stale, error and not-configured are worded here only.
 */
export class SnapshotReader {
  constructor(
    private readonly options: {
      store: SnapshotStore;
      refresher: SnapshotRefresher;
      staleAfterMs: number;
      onDemandWaitMs: number;
      now?: () => Date;
    },
  ) {}

  async read<T>(target: EntityTarget, id: SourceId): Promise<SourceRead<T>> {
    const [read] = await this.readMany(target, [id], { withData: true });
    return read as SourceRead<T>;
  }

  /**
   * Reads the source; when the stored data lacks what the caller needs (a run newer than the
   * last refresh), refreshes it once, time-boxed like a first fetch, and reads it again.
   */
  async readUntil<T>(
    target: EntityTarget,
    id: SourceId,
    satisfied: (data: T | undefined) => boolean,
  ): Promise<SourceRead<T>> {
    const first = await this.read<T>(target, id);
    if (satisfied(first.data)) return first;
    await Promise.race([
      this.options.refresher.refreshUntilStored(target, id),
      delay(this.options.onDemandWaitMs),
    ]);
    return this.read<T>(target, id);
  }

  /** Reads several sources of one entity in one query, in the order asked. */
  async readMany(
    target: EntityTarget,
    ids: readonly SourceId[],
    options: { withData: boolean },
  ): Promise<SourceRead[]> {
    const { store, refresher } = this.options;
    const fetchAll = () =>
      ids.length === 1
        ? store.get(target.entityRef, ids[0]).then(s => (s ? [s] : []))
        : store
            .getAll(target.entityRef, options)
            .then(all => all.filter(s => ids.includes(s.source)));
    let snapshots = await fetchAll();
    const neverFetched = ids.filter(
      id =>
        !refresher.notConfiguredReason(target, id) &&
        !refresher.source(id)?.scheduledOnly &&
        !snapshots.some(s => s.source === id),
    );
    if (neverFetched.length) {
      await Promise.race([
        Promise.all(
          neverFetched.map(id => refresher.refreshUntilStored(target, id)),
        ),
        delay(this.options.onDemandWaitMs),
      ]);
      snapshots = await fetchAll();
    }
    return ids.map(id => {
      const snapshot = snapshots.find(s => s.source === id);
      const state = this.describe(target, id, snapshot);
      return {
        state,
        data:
          state.status === 'ok' || state.status === 'stale'
            ? snapshot?.data
            : undefined,
        dataVersion: snapshot?.dataVersion,
      };
    });
  }

  /** The status of one source's snapshot for an entity: ok, stale, error or not-configured. */
  describe(
    target: EntityTarget,
    id: SourceId,
    snapshot: StoredSnapshot | undefined,
  ): SourceState {
    const reason = this.options.refresher.notConfiguredReason(target, id);
    if (reason) {
      return {
        source: id,
        status: 'not-configured',
        message: reason.message,
        missingAnnotations: reason.missingAnnotations,
      };
    }
    const label = sourceLabel(id);
    if (!snapshot) {
      return {
        source: id,
        status: 'error',
        message: this.options.refresher.source(id)?.scheduledOnly
          ? `${label} has not been read for this entity yet: its scheduled refresh reads it`
          : `The first fetch from ${label} is still running; try again in a moment`,
      };
    }
    const times = {
      source: id,
      fetchedAt: snapshot.fetchedAt?.toISOString(),
      attemptedAt: snapshot.attemptedAt.toISOString(),
    };
    if (!snapshot.hasData) {
      return { ...times, status: 'error', message: snapshot.error };
    }
    if (snapshot.error) {
      return {
        ...times,
        status: 'stale',
        message: `Showing the data of ${times.fetchedAt}: ${snapshot.error}`,
      };
    }
    const now = (this.options.now?.() ?? new Date()).getTime();
    if (
      now - (snapshot.fetchedAt?.getTime() ?? 0) >
      this.options.staleAfterMs
    ) {
      return {
        ...times,
        status: 'stale',
        message: `${label} data has not been refreshed since ${times.fetchedAt}`,
      };
    }
    return { ...times, status: 'ok' };
  }
}

/**
 * A section's status from the states of the sources it is built from: not-configured when none
 * is configured, error when none has data, stale when one is stale or failed, else ok. Each
 * problem is named after its source.
 */
export function summariseSection(states: SourceState[]): SectionSummary {
  const configured = states.filter(s => s.status !== 'not-configured');
  if (!configured.length) {
    return {
      status: 'not-configured',
      message: states.map(s => s.message).join('. '),
      missingAnnotations: [
        ...new Set(states.flatMap(s => s.missingAnnotations ?? [])),
      ],
      sources: states,
    };
  }
  const withData = configured.filter(
    s => s.status === 'ok' || s.status === 'stale',
  );
  let status: SectionStatus = 'ok';
  if (!withData.length) status = 'error';
  else if (
    withData.length < configured.length ||
    withData.some(s => s.status === 'stale')
  ) {
    status = 'stale';
  }
  const problems = configured.filter(s => s.status !== 'ok');
  const fetchedAt = withData
    .map(s => s.fetchedAt)
    .filter((t): t is string => Boolean(t))
    .sort()[0];
  return {
    status,
    fetchedAt,
    message: problems.length
      ? problems.map(describeProblem).join(' ')
      : undefined,
    sources: states,
  };
}

/** A section built from one source: its state, and its data when there is any. */
export function singleSourceSection<T>(read: SourceRead<T>): Section<T> {
  return { ...summariseSection([read.state]), data: read.data };
}

/** The source's message, prefixed with its name unless the message already starts with it. */
function describeProblem(state: SourceState) {
  const name = sourceLabel(state.source);
  const message = state.message ?? 'unavailable';
  return message.startsWith(name) ? message : `${name}: ${message}`;
}

export function delay(ms: number) {
  return new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
}

/**
 * The status of every declared section, from the metadata reads of the entity's sources (one
 * `readMany(target, SOURCE_IDS, { withData: false })`): what the overview lists next to the
 * sections it carries in full.
 */
export function sectionSummaries(
  reads: readonly SourceRead[],
): Record<SectionId, SectionSummary> {
  const entries = SECTION_DECLARATIONS.map(section => {
    const sources: readonly SourceId[] = section.sources;
    const states = reads
      .filter(r => sources.includes(r.state.source))
      .map(r => r.state);
    return [section.id, summariseSection(states)] as const;
  });
  return Object.fromEntries(entries) as Record<SectionId, SectionSummary>;
}
