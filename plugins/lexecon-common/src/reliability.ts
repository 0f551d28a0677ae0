import { Section, SourceState } from './types';

/** One strategy of a flag in one environment, summarised for people. */
export interface FlagStrategy {
  name: string;
  /** e.g. "gradual rollout 25%", "on for everyone", "tenantId in acme, globex". */
  summary: string;
  rolloutPercent?: number;
  disabled: boolean;
}

export interface FlagEnvironmentState {
  environment: string;
  enabled: boolean;
  strategies: FlagStrategy[];
  /** "off", or the enabled strategies summarised, e.g. "gradual rollout 25%". */
  summary: string;
}

/** One audit event of a flag: who changed what, when. */
export interface FlagChange {
  id: number;
  featureName: string;
  /** Unleash event type, e.g. `feature-environment-enabled`. */
  type: string;
  environment?: string;
  createdBy: string;
  createdAt: string;
  /** e.g. "enabled in production", "rollout 10% → 25% in production". */
  description: string;
}

export interface FeatureFlag {
  name: string;
  description?: string;
  type: string;
  stale: boolean;
  createdAt?: string;
  environments: FlagEnvironmentState[];
  lastChange?: FlagChange;
  /** Newest first. */
  history: FlagChange[];
  /** The flag's page in Unleash. */
  url?: string;
}

export interface FeatureFlagsOverview {
  project: string;
  environments: string[];
  flags: FeatureFlag[];
}

/** SLA status of the month so far. */
export type SlaStatus = 'exceeding' | 'at-risk' | 'breached';

/**
 * When an SLA that is still met counts as at risk. Burn rate is the share of the month's error
 * budget used divided by the share of the month gone: above 1 the budget runs out before the
 * month ends.
 */
export const SLA_THRESHOLDS = {
  /** Burn rate above which the month is at risk. */
  atRiskBurnRate: 1,
  /** Error budget left (percent) below which the month is at risk. */
  atRiskBudgetRemainingPercent: 25,
};

export function slaStatus(input: {
  uptimePercent: number;
  targetPercent: number;
  errorBudgetRemainingPercent: number;
  burnRate: number;
}): SlaStatus {
  if (input.uptimePercent < input.targetPercent) return 'breached';
  if (
    input.burnRate > SLA_THRESHOLDS.atRiskBurnRate ||
    input.errorBudgetRemainingPercent <
      SLA_THRESHOLDS.atRiskBudgetRemainingPercent
  ) {
    return 'at-risk';
  }
  return 'exceeding';
}

export interface SlaMonth {
  /** `YYYY-MM` (UTC). */
  month: string;
  uptimePercent: number;
  met: boolean;
}

/** A deploy, production flag change or incident, for "what changed". */
export interface ChangeEvent {
  kind: 'deploy' | 'flag' | 'incident';
  at: string;
  entityRef: string;
  title: string;
  detail?: string;
  by?: string;
  environment?: string;
  url?: string;
}

export interface SlaIncident {
  id: string;
  publicId: number;
  title: string;
  severity: string;
  state: string;
  startedAt: string;
  resolvedAt?: string;
  timeToResolveSeconds?: number;
  customerImpactSeconds?: number;
  /** The incident's page in Datadog. */
  url?: string;
  /** The newest deploy or production flag change within the change window before the start. */
  precededBy?: ChangeEvent;
}

export interface MonitorState {
  id: number;
  name: string;
  /** Datadog overall state: OK, Alert, Warn, No Data. */
  state: string;
  alerting: boolean;
  since?: string;
  runbookUrl?: string;
  priority?: number;
  /** The monitor's page in Datadog. */
  url?: string;
}

export interface SlaOverview {
  /** `url`: the SLO's page in Datadog. */
  slo: { id: string; name: string; targetPercent: number; url?: string };
  monthToDate: {
    from: string;
    to: string;
    uptimePercent: number;
    downtimeSeconds: number;
    /** Of the whole month's budget at the target. */
    errorBudgetRemainingPercent: number;
    burnRate: number;
    status: SlaStatus;
  };
  /** Oldest first: the last 12 complete months. */
  months: SlaMonth[];
  /** Newest first. */
  incidents: SlaIncident[];
  /** Alerting first. */
  monitors: MonitorState[];
  changeWindowMinutes: number;
}

export interface HealthComponent {
  name: string;
  status: string;
  latencyMs?: number;
}

export interface ServiceHealth {
  url: string;
  status: string;
  ready: boolean;
  live: boolean;
  uptimeSeconds?: number;
  checkedAt: string;
  components: HealthComponent[];
}

export interface Reliability {
  entityRef: string;
  sections: {
    flags: Section<FeatureFlagsOverview>;
    sla: Section<SlaOverview>;
    health: Section<ServiceHealth>;
  };
}

export interface OnCallService {
  entityRef: string;
  title: string;
  sla: Omit<Section<never>, 'data'> & {
    data?: SlaOverview['monthToDate'] & { targetPercent: number };
  };
  alertingMonitors: MonitorState[];
  activeIncidents: number;
  health?: { status: string; checkedAt: string };
  /**
   * Unleash and health sources of this service that failed or are stale, so a gap in the
   * timeline or a missing health value is explained. Datadog's state is in `sla`.
   */
  notices: SourceState[];
}

export interface OnCallIncident extends SlaIncident {
  entityRef: string;
}

export interface OnCallBoard {
  generatedAt: string;
  /** Riskiest first: breached, then fastest budget burn, then alerting. */
  services: OnCallService[];
  activeIncidents: OnCallIncident[];
  /** The last 24 hours, newest first. */
  timeline: ChangeEvent[];
}
