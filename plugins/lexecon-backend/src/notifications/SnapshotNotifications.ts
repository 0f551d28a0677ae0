import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CostAnomaly,
  EvidenceItem,
  SourceId,
} from '@internal/plugin-lexecon-common';
import { DecisionStore } from '../approvals/DecisionStore';
import { EntityTarget } from '../EntityTarget';
import { VerdictChange } from '../evidence/EvidenceStore';
import { SnapshotChange } from '../snapshots/SnapshotRefresher';
import { DatadogSnapshot } from '../sources/datadog/types';
import {
  GithubApprovalsSnapshot,
  GithubDeploySnapshot,
} from '../sources/github/types';
import { HelmHistorySnapshot } from '../sources/kubernetes/types';
import {
  approvalEvents,
  RecordedDecision,
  runsNoLongerWaiting,
} from './approvalEvents';
import { DetectedEvent } from './detectedEvent';
import { rollbackEvents, stagingFailureEvents } from './deployEvents';
import { costAnomalyEvents } from './costEvents';
import { evidenceEvents } from './evidenceEvents';
import { LexeconNotifier } from './LexeconNotifier';
import { NotificationAudiences } from './NotificationAudiences';
import { reliabilityEvents } from './reliabilityEvents';

type Detector = (change: SnapshotChange) => Promise<DetectedEvent[]>;

/** A service's cost anomalies as its Cost card shows them, from the stored facts. */
export interface CostAnomalyReading {
  anomalies: CostAnomaly[];
  currency?: string;
  /** The UTC day the analysis counts as today. */
  today: string;
}

/**
 * Turns each snapshot a refresh stores into notifications: the new snapshot is compared with the
 * one it replaced, by the source's detector, and each event found is sent once to its audience.
 * Page views never notify: they only read snapshots.
 */
export class SnapshotNotifications {
  private readonly detectors: Partial<Record<SourceId, Detector>>;

  constructor(
    private readonly options: {
      notifier: LexeconNotifier;
      audiences: NotificationAudiences;
      decisions: DecisionStore;
      readinessGate: number;
      logger: LoggerService;
      now?: () => Date;
      /** Reads the analysis after a bill is stored; without it, cost anomalies are not told. */
      costAnomalies?: (
        target: EntityTarget,
      ) => Promise<CostAnomalyReading | undefined>;
    },
  ) {
    const costs: Detector = async ({ target }) => {
      const reading = await this.options.costAnomalies?.(target);
      return reading
        ? costAnomalyEvents({ entityRef: target.entityRef, ...reading })
        : [];
    };
    this.detectors = {
      'github-approvals': change => this.approvals(change),
      github: async ({ target, previous, data }) =>
        stagingFailureEvents({
          entityRef: target.entityRef,
          previous: previous as GithubDeploySnapshot | undefined,
          current: data as GithubDeploySnapshot,
        }),
      kubernetes: async ({ target, previous, data }) =>
        rollbackEvents({
          entityRef: target.entityRef,
          previous: previous as HelmHistorySnapshot | undefined,
          current: data as HelmHistorySnapshot,
        }),
      datadog: async ({ target, previous, data }) =>
        reliabilityEvents({
          entityRef: target.entityRef,
          previous: previous as DatadogSnapshot | undefined,
          current: data as DatadogSnapshot,
        }),
      'aws-cost': costs,
      'gcp-billing': costs,
      opencost: costs,
    };
  }

  /** For the refresher: never throws, so a failed notification never fails a refresh. */
  async snapshotStored(change: SnapshotChange): Promise<void> {
    const detect = this.detectors[change.source];
    if (!detect) return;
    try {
      const events = await detect(change);
      for (const event of events) {
        await this.send(change.target.entityRef, event);
      }
    } catch (error) {
      this.options.logger.warn(
        `Notifications of the ${change.source} snapshot of ${
          change.target.entityRef
        } failed: ${(error as Error).message}`,
      );
    }
  }

  /**
   * For the evidence store: the items that turned failing or overdue, to their owners. Never
   * throws, so a failed notification never fails the write that recorded them.
   */
  async verdictsChanged(
    changes: readonly VerdictChange[],
    items: ReadonlyMap<string, EvidenceItem>,
  ): Promise<void> {
    try {
      for (const event of evidenceEvents(changes, items)) {
        await this.send('', event);
      }
    } catch (error) {
      this.options.logger.warn(
        `Notifications of evidence failed: ${(error as Error).message}`,
      );
    }
  }

  private async send(entityRef: string, event: DetectedEvent) {
    const { audience, ...notification } = event;
    const recipients = await this.options.audiences.recipients(
      entityRef,
      audience,
    );
    await this.options.notifier.notify({ ...notification, recipients });
  }

  private async approvals(change: SnapshotChange) {
    const previous = change.previous as GithubApprovalsSnapshot | undefined;
    const current = change.data as GithubApprovalsSnapshot;
    const decisions: Record<string, RecordedDecision> = {};
    for (const run of runsNoLongerWaiting(previous, current)) {
      const row = await this.options.decisions.find({
        repository: current.repository.slug,
        runId: run.runId,
        environment: run.environment,
      });
      if (row) decisions[`${run.runId}:${run.environment}`] = row;
    }
    return approvalEvents({
      entityRef: change.target.entityRef,
      previous,
      current,
      readinessGate: this.options.readinessGate,
      decisions,
      now: this.options.now?.() ?? new Date(),
    });
  }
}
