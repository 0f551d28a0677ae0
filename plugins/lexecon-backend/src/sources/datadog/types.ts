import {
  MonitorState,
  SlaIncident,
  SlaMonth,
} from '@internal/plugin-lexecon-common';

/** What the Datadog source stores per entity; statuses and links are derived when read. */
export interface DatadogSnapshot {
  slo: { id: string; name: string; targetPercent: number; url?: string };
  monthToDate: { from: string; to: string; uptimePercent: number };
  /** Oldest first: the last 12 complete months. */
  months: SlaMonth[];
  monitors: MonitorState[];
  /** Newest first, without the changes that preceded them. */
  incidents: SlaIncident[];
}
