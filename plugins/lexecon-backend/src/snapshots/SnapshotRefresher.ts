import { LoggerService } from '@backstage/backend-plugin-api';
import { SourceId } from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { NotConfigured, SnapshotSource, UpstreamError } from '../sources/types';
import { SnapshotStore } from './SnapshotStore';

/** A refresh stored data that differs from what was stored before it. */
export interface SnapshotChange {
  target: EntityTarget;
  source: SourceId;
  /** The data stored before, if any. */
  previous?: unknown;
  data: unknown;
}

export type SnapshotChangeListener = (change: SnapshotChange) => Promise<void>;

/**
 * Fetches snapshots from the sources and stores them. Concurrent requests for the same entity
 * and source share one upstream fetch (single flight), whether they come from the scheduler,
 * a webhook or a page view.
 */
export class SnapshotRefresher {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Resolves when the running refresh of the key has written (before its listeners run). */
  private readonly stored = new Map<string, Promise<void>>();
  /** Follow-up refreshes asked for while one was running, by entity and source. */
  private readonly followUps = new Map<string, Promise<void>>();
  /** Refreshes asked for too soon after the last fetch, run when the interval is over. */
  private readonly deferred = new Map<string, Promise<void>>();
  private readonly changeListeners: SnapshotChangeListener[] = [];
  private stopped = false;

  constructor(
    private readonly store: SnapshotStore,
    readonly sources: SnapshotSource<unknown>[],
    private readonly logger: LoggerService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Calls `listener` after each write that changed a snapshot's data (not after one that only
   * confirmed it); a refresh resolves once its listeners have, and their failures are logged.
   */
  onSnapshotChanged(listener: SnapshotChangeListener): void {
    this.changeListeners.push(listener);
  }

  source(id: SourceId) {
    return this.sources.find(s => s.id === id);
  }

  /** Why the source cannot read this entity (annotation or config missing), if it cannot. */
  notConfiguredReason(
    target: EntityTarget,
    id: SourceId,
  ): NotConfigured | undefined {
    const source = this.source(id);
    if (!source) {
      return {
        message: `The ${id} source is not enabled in this backend`,
        missingAnnotations: [],
      };
    }
    return source.notConfiguredReason(target);
  }

  /**
   * Refreshes every configured source of the entity, or only those in `only`; failures are
   * recorded, never thrown.
   */
  async refreshEntity(
    target: EntityTarget,
    options: { afterRunning?: boolean; only?: readonly SourceId[] } = {},
  ): Promise<void> {
    await Promise.all(
      this.sources
        .filter(s => !options.only || options.only.includes(s.id))
        .filter(s => !s.notConfiguredReason(target))
        .map(s =>
          options.afterRunning
            ? this.refreshAfterRunning(target, s.id)
            : this.refresh(target, s.id),
        ),
    );
  }

  /**
   * Starts a refresh without waiting for it (manual refresh, webhooks, decisions); never
   * rejects. Upstream just changed, so a refresh already running (which may have read before the
   * change) is followed by one more; any number of events during that run share the one
   * follow-up. `only` limits it to the sources the event can have changed. With `minIntervalMs`,
   * a source fetched less than that long ago is answered from its snapshot now and fetched once
   * when the interval is over, however many requests arrive meanwhile: clicks and webhook storms
   * cannot multiply upstream calls.
   */
  refreshInBackground(
    target: EntityTarget,
    options: { only?: readonly SourceId[]; minIntervalMs?: number } = {},
  ): void {
    this.refreshSoon(target, options).catch(error =>
      this.logger.warn(
        `Background refresh of ${target.entityRef} failed: ${
          (error as Error).message
        }`,
      ),
    );
  }

  private async refreshSoon(
    target: EntityTarget,
    options: { only?: readonly SourceId[]; minIntervalMs?: number },
  ) {
    const minIntervalMs = options.minIntervalMs ?? 0;
    const ids = this.sources
      .filter(s => !options.only || options.only.includes(s.id))
      .filter(s => !s.notConfiguredReason(target))
      .map(s => s.id);
    const last = minIntervalMs
      ? await this.store.getAll(target.entityRef, { withData: false })
      : [];
    await Promise.all(
      ids.map(id => {
        const attemptedAt = last.find(s => s.source === id)?.attemptedAt;
        const waitMs = attemptedAt
          ? attemptedAt.getTime() + minIntervalMs - this.now().getTime()
          : 0;
        return waitMs > 0
          ? this.refreshLater(target, id, waitMs)
          : this.refreshAfterRunning(target, id);
      }),
    );
  }

  private refreshLater(target: EntityTarget, id: SourceId, waitMs: number) {
    const key = `${target.entityRef}|${id}`;
    const queued = this.deferred.get(key);
    if (queued) return queued;
    const later = wait(waitMs).then(() => {
      this.deferred.delete(key);
      return this.stopped ? undefined : this.refreshAfterRunning(target, id);
    });
    this.deferred.set(key, later);
    return later;
  }

  /**
   * For shutdown: starts nothing more (deferred refreshes are dropped; the schedule fetches them
   * after the restart) and resolves once the running ones have written.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** Resolves once no refresh is running or queued behind a running one. */
  async idle(): Promise<void> {
    while (this.inFlight.size || this.followUps.size) {
      await Promise.allSettled([
        ...this.inFlight.values(),
        ...this.followUps.values(),
      ]);
    }
  }

  refresh(target: EntityTarget, sourceId: SourceId): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const key = `${target.entityRef}|${sourceId}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    let markStored = () => {};
    this.stored.set(key, new Promise<void>(resolve => (markStored = resolve)));
    const promise = this.doRefresh(target, sourceId, markStored).finally(() => {
      markStored();
      this.inFlight.delete(key);
      this.stored.delete(key);
    });
    this.inFlight.set(key, promise);
    return promise;
  }

  /**
   * What a page view waits for: the refresh (started, or joined if running) has written its
   * snapshot or its failure. Its listeners (notifications, derived evidence) may still be at
   * work: a view never waits for Slack.
   */
  refreshUntilStored(target: EntityTarget, sourceId: SourceId): Promise<void> {
    const done = this.refresh(target, sourceId);
    return this.stored.get(`${target.entityRef}|${sourceId}`) ?? done;
  }

  private refreshAfterRunning(
    target: EntityTarget,
    sourceId: SourceId,
  ): Promise<void> {
    const key = `${target.entityRef}|${sourceId}`;
    const running = this.inFlight.get(key);
    if (!running) return this.refresh(target, sourceId);
    const queued = this.followUps.get(key);
    if (queued) return queued;
    const followUp = running
      .catch(() => undefined)
      .then(() => {
        this.followUps.delete(key);
        return this.refresh(target, sourceId);
      });
    this.followUps.set(key, followUp);
    return followUp;
  }

  private async doRefresh(
    target: EntityTarget,
    sourceId: SourceId,
    markStored: () => void,
  ) {
    const source = this.source(sourceId);
    if (!source || source.notConfiguredReason(target)) return;
    const startedAt = this.now();
    try {
      const previous = await this.store.get(target.entityRef, sourceId);
      const data = await source.fetch(target, previous?.data);
      const changed = await this.store.saveSuccess(
        target.entityRef,
        sourceId,
        data,
        this.now(),
      );
      markStored();
      if (changed) {
        await this.announce({
          target,
          source: sourceId,
          previous: previous?.data,
          data,
        });
      }
      this.logger.debug(
        `Refreshed ${sourceId} for ${target.entityRef} in ${
          Date.now() - startedAt.getTime()
        }ms`,
      );
    } catch (error) {
      const message =
        error instanceof UpstreamError
          ? error.message
          : `Refreshing ${sourceId} failed: ${(error as Error).message}`;
      this.logger.warn(
        `Refresh of ${sourceId} for ${target.entityRef} failed: ${message}`,
      );
      await this.store
        .saveFailure(target.entityRef, sourceId, message, this.now())
        .catch(saveError =>
          this.logger.error(
            `Could not record the failed refresh of ${sourceId} for ${
              target.entityRef
            }: ${(saveError as Error).message}`,
          ),
        );
    }
  }

  private async announce(change: SnapshotChange) {
    await Promise.all(
      this.changeListeners.map(listener =>
        listener(change).catch(error =>
          this.logger.warn(
            `Could not announce the changed ${change.source} snapshot of ${
              change.target.entityRef
            }: ${(error as Error).message}`,
          ),
        ),
      ),
    );
  }
}

function wait(ms: number) {
  return new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
}
