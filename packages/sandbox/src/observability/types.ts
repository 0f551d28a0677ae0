/** Flags, SLOs, monitors, incidents and health of the seeded services (Unleash, Datadog, /health). */

export interface FlagStrategyRecord {
  id: string;
  name: 'default' | 'flexibleRollout' | 'userWithId' | 'remoteAddress';
  parameters: Record<string, string>;
  constraints: Array<{
    contextName: string;
    operator: string;
    values: string[];
  }>;
  disabled: boolean;
}

export interface FlagEnvironmentRecord {
  name: string;
  type: 'development' | 'test' | 'production';
  enabled: boolean;
  strategies: FlagStrategyRecord[];
  lastSeenAt?: string;
}

export interface FlagRecord {
  name: string;
  description: string;
  type: 'release' | 'operational' | 'kill-switch' | 'experiment';
  createdAt: string;
  stale: boolean;
  environments: FlagEnvironmentRecord[];
}

export interface FlagEventRecord {
  id: number;
  type: string;
  createdAt: string;
  createdBy: string;
  createdByUserId: number;
  environment: string | null;
  project: string;
  featureName: string;
  data: unknown;
  preData: unknown;
}

/** A period of customer-visible unavailability, which the availability SLO counts. */
export interface DowntimeWindow {
  start: number;
  end: number;
}

export interface IncidentRecord {
  id: string;
  publicId: number;
  title: string;
  severity: 'SEV-1' | 'SEV-2' | 'SEV-3' | 'SEV-4';
  state: 'active' | 'stable' | 'resolved';
  service: string;
  /** Epoch ms. */
  created: number;
  detected: number;
  resolved?: number;
  customerImpactStart?: number;
  customerImpactEnd?: number;
  declaredBy: string;
}

export interface MonitorRecord {
  id: number;
  name: string;
  type: string;
  query: string;
  message: string;
  tags: string[];
  priority: number;
  overallState: 'OK' | 'Alert' | 'Warn' | 'No Data';
  /** Epoch ms of the last state change. */
  stateChangedAt: number;
  created: number;
}

export interface SloRecord {
  id: string;
  name: string;
  description: string;
  type: 'monitor';
  target: number;
  warning: number;
  timeframe: '30d';
  tags: string[];
  monitorIds: number[];
  created: number;
  service: string;
}

export interface HealthComponentRecord {
  status: 'healthy' | 'degraded' | 'unhealthy';
  latency_ms?: number;
}

/** One service's flags (its Unleash project), SLOs, monitors, incidents and health. */
export interface ObservabilityData {
  now: number;
  unleashProject: string;
  flags: FlagRecord[];
  /** Oldest first; ids increase. */
  flagEvents: FlagEventRecord[];
  slos: SloRecord[];
  downtime: Record<string, DowntimeWindow[]>;
  monitors: MonitorRecord[];
  /** Oldest first. */
  incidents: IncidentRecord[];
  health: {
    startedAt: number;
    components: Record<string, HealthComponentRecord>;
  };
}

/** The Lexecon API's observability, with the facts its story is built around. */
export interface ObservabilityWorld extends ObservabilityData {
  facts: {
    /** The production flag change shortly before the rate-limiter incident. */
    flagChangeBeforeIncident: { featureName: string; at: string };
    rateLimiterIncidentId: string;
    poolIncidentId: string;
    /** The production deploy shortly before the pool-exhaustion incident, when the world has one. */
    deployBeforePoolIncident?: { sha: string; at: string };
    breachedMonth: string;
    activeIncidentId: string;
    alertingMonitorId: number;
  };
}
