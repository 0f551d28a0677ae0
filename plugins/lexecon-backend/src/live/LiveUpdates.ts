import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApprovalDecision,
  LIVE_APPROVALS_CHANNEL,
  LIVE_ONCALL_CHANNEL,
  liveEntityChannel,
  ONCALL_SOURCES,
  RunDecidedMessage,
  SnapshotChangedMessage,
  WaitingRunsChangedMessage,
} from '@internal/plugin-lexecon-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import { JsonObject } from '@backstage/types';
import { SnapshotChange } from '../snapshots/SnapshotRefresher';
import { GithubApprovalsSnapshot } from '../sources/github/types';

/**
 * Tells open pages that data they show changed, through Backstage signals (the events service
 * carries them to every replica's open connections). Called only after a write changed stored
 * data, so a page view, or a refresh that found nothing new, publishes nothing.
 */
export class LiveUpdates {
  constructor(
    private readonly options: {
      signals: SignalsService;
      logger: LoggerService;
    },
  ) {}

  /** The entity's tab always; the inbox and the on-call board when they show that source. */
  async snapshotChanged(change: SnapshotChange): Promise<void> {
    const { entityRef } = change.target;
    const changed: SnapshotChangedMessage = {
      kind: 'snapshot-changed',
      entityRef,
      source: change.source,
    };
    const signals: Array<{ channel: string; message: JsonObject }> = [
      { channel: liveEntityChannel(entityRef), message: changed },
    ];
    if (ONCALL_SOURCES.includes(change.source)) {
      signals.push({ channel: LIVE_ONCALL_CHANNEL, message: changed });
    }
    if (change.source === 'github-approvals') {
      const message: WaitingRunsChangedMessage = {
        kind: 'waiting-runs-changed',
        entityRef,
        stoppedWaiting: stoppedWaiting(
          change.previous as GithubApprovalsSnapshot | undefined,
          change.data as GithubApprovalsSnapshot,
        ),
      };
      signals.push({ channel: LIVE_APPROVALS_CHANNEL, message });
    }
    await Promise.all(signals.map(s => this.publish(s.channel, s.message)));
  }

  /** A decision recorded here: whoever has the run open elsewhere is told at once. */
  async runDecided(decided: {
    entityRef: string;
    runId: number;
    environment: string;
    decision: ApprovalDecision;
  }): Promise<void> {
    const message: RunDecidedMessage = { kind: 'run-decided', ...decided };
    await this.publish(LIVE_APPROVALS_CHANNEL, message);
  }

  /** Never fails the write it follows: a page that misses a signal is only as stale as before. */
  private async publish(channel: string, message: JsonObject) {
    try {
      await this.options.signals.publish({
        recipients: { type: 'broadcast' },
        channel,
        message,
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not publish the live update on ${channel}: ${
          (error as Error).message
        }`,
      );
    }
  }
}

/** The waiting runs of `previous` that `current` no longer lists. */
function stoppedWaiting(
  previous: GithubApprovalsSnapshot | undefined,
  current: GithubApprovalsSnapshot,
): Array<{ runId: number; environment: string }> {
  const key = (r: { runId: number; environment: string }) =>
    `${r.runId}|${r.environment}`;
  const waiting = new Set((current.pending ?? []).map(key));
  return (previous?.pending ?? [])
    .filter(r => !waiting.has(key(r)))
    .map(r => ({ runId: r.runId, environment: r.environment }));
}
