import { LoggerService } from '@backstage/backend-plugin-api';
import { SourceId } from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { SnapshotSource, UpstreamError } from '../sources/types';

/**
 * Fetches snapshots from the sources and stores them. Concurrent requests for the same entity
 * and source share one upstream fetch (single flight), whether they come from the scheduler,
 * a webhook or a page view.
 */
export class SnapshotRefresher {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Follow-up refreshes asked for while one was running, by entity and source. */
  private readonly followUps = new Map<string, Promise<void>>();

  constructor(
    private readonly store: SnapshotStore,
    readonly sources: SnapshotSource<unknown>[],
    private readonly logger: LoggerService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  source(id: SourceId) {
    return this.sources.find(s => s.id === id);
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
   * Starts a refresh without waiting for it (webhooks, decisions); never rejects. Upstream just
   * changed, so a refresh already running (which may have read before the change) is followed by
   * one more; any number of events during that run share the one follow-up. `only` limits it
   * to the sources the event can have changed.
   */
  refreshInBackground(target: EntityTarget, only?: readonly SourceId[]): void {
    this.refreshEntity(target, { afterRunning: true, only }).catch(error =>
      this.logger.warn(
        `Background refresh of ${target.entityRef} failed: ${
          (error as Error).message
        }`,
      ),
    );
  }

  /** Resolves once no refresh is running or queued, so that a shutdown lets writes finish. */
  async idle(): Promise<void> {
    while (this.inFlight.size || this.followUps.size) {
      await Promise.allSettled([
        ...this.inFlight.values(),
        ...this.followUps.values(),
      ]);
    }
  }

  refresh(target: EntityTarget, sourceId: SourceId): Promise<void> {
    const key = `${target.entityRef}|${sourceId}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = this.doRefresh(target, sourceId).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, promise);
    return promise;
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

  private async doRefresh(target: EntityTarget, sourceId: SourceId) {
    const source = this.source(sourceId);
    if (!source || source.notConfiguredReason(target)) return;
    const startedAt = this.now();
    try {
      const previous = await this.store.get(target.entityRef, sourceId);
      const data = await source.fetch(target, previous?.data);
      await this.store.saveSuccess(
        target.entityRef,
        sourceId,
        data,
        this.now(),
      );
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
}
