/**
 * Delivery and CI health (issue 14): the facts the metrics are computed from, as the backend's
 * snapshots hold them, and the figures computed from them. Every figure names the facts behind it
 * so a view can open the deploys, runs or incidents it counts.
 *
 * Time: every timestamp is ISO 8601; weekly buckets are ISO 8601 weeks in UTC (Monday 00:00 UTC to
 * the next Monday 00:00 UTC), whatever the viewer's time zone, so two viewers see the same weeks.
 */

/** A performance level of the DORA report's software delivery clusters. */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/** A deploy as far as the metrics care: finished, with its outcome. */
export type DeployOutcome = 'success' | 'failure' | 'rolled-back';

/**
 * One finished deploy to one environment, from a `DeploymentRecord` (`id`, `environment`,
 * `version`, `sha`, `startedAt`, `finishedAt`; `failed` → `failure`, `rolled_back` → `rolled-back`)
 * and the change set it shipped. Deploys still running, waiting or cancelled are no facts.
 */
export interface DeployFact {
  /** The `DeploymentRecord` id, e.g. `production:run:123`. */
  id: string;
  environment: string;
  version: string;
  sha: string;
  startedAt: string;
  finishedAt?: string;
  result: DeployOutcome;
  /**
   * `rollback`: a manual rollback (`DeploymentRecord.rollback.kind === 'manual'`): it ships no
   * change and says the change deploy before it was bad. Absent: a change.
   */
  kind?: 'change' | 'rollback';
  /**
   * The commits the deploy shipped (its change set: base..head), with their author dates; empty
   * for a redeploy of the same commit. Absent when the change set was not read: its lead time is
   * then unknown, never taken as zero.
   */
  commits?: Array<{ sha: string; authoredAt?: string }>;
  /** Without `commits`: why GitHub could not give the change set, when it was asked. */
  changeSetUnknown?: string;
  /** With `rolled-back`: when Helm put the previous version back (`DeploymentRecord.rollback.at`). */
  rolledBackAt?: string;
}

/** A production incident, from Datadog (`SlaIncident`). */
export interface IncidentFact {
  id: string;
  title?: string;
  startedAt: string;
  /** Absent while the incident is open. */
  resolvedAt?: string;
  url?: string;
}

/** One step of a CI job, as GitHub's jobs endpoint reports it. */
export interface CiStepFact {
  name: string;
  /** success, failure, skipped, cancelled, ... */
  conclusion: string | null;
  startedAt?: string;
  completedAt?: string;
}

export interface CiJobFact {
  name: string;
  conclusion: string | null;
  startedAt?: string;
  completedAt?: string;
  steps: CiStepFact[];
}

/**
 * One attempt of one CI workflow run: GitHub re-runs keep the run id and raise `attempt`, so a
 * run retried three times is four facts with the same `runId`.
 */
export interface CiRunFact {
  runId: number;
  attempt: number;
  workflow: string;
  headSha: string;
  /** success, failure, cancelled, timed_out, skipped, ...; null while running. */
  conclusion: string | null;
  /** When this attempt started (GitHub's `run_started_at`; a re-run starts later). */
  createdAt: string;
  url?: string;
  jobs: CiJobFact[];
}

/** The readiness score of one commit when it was measured (from `ReadinessScore`). */
export interface ReadinessFact {
  sha: string;
  measuredAt: string;
  /** 0–100. */
  score: number;
  gate: number;
  /** Statement coverage in percent, when reported. */
  coveragePercent?: number;
}

/** Open security alerts (code scanning and Dependabot) counted at one time. */
export interface SecurityAlertsFact {
  /** An id for the reading, e.g. the commit sha it was read for. */
  id: string;
  at: string;
  critical: number;
  high: number;
  medium: number;
  low: number;
}

/** The half-open interval `[from, to)` the figures cover. */
export interface MetricWindow {
  from: string;
  to: string;
}

export type FigureUnit =
  | 'deploys/day'
  | 'deploys/week'
  | 'count'
  | 'seconds'
  | 'percent'
  | 'score';

/**
 * One number with what it rests on. No facts, no number: `value` is then absent and `noData`
 * says why, so an empty history never reads as 0% failures and an elite band.
 */
export interface Figure {
  value?: number;
  unit: FigureUnit;
  /** The DORA band, for the four keys only, and only with a value. */
  band?: DoraBand;
  noData?: string;
  /** How many facts the value was computed from. */
  samples: number;
  /** Ids of the deploys, incidents, runs (`<runId>:<attempt>`) or readings behind the value. */
  factIds: string[];
}

/** One ISO week (UTC) of a trend. */
export interface WeeklyPoint {
  /** ISO week, e.g. `2026-W48`. */
  week: string;
  /** Monday 00:00 UTC. */
  weekStart: string;
  /** Absent when the week has nothing to compute it from. */
  value?: number;
  factIds: string[];
}

/** Why a production deploy counts as a failed change. */
export type ChangeFailureCause = 'failed' | 'rolled-back' | 'incident';

export interface ChangeFailure {
  deployId: string;
  version: string;
  causes: ChangeFailureCause[];
  /** Incidents that started within the configured window after the deploy. */
  incidentIds: string[];
  /** With `rolled-back` by hand: the rollback deploy. */
  rollbackDeployId?: string;
}

export interface DeploymentFrequency {
  /** Successful change deploys per day over the window; banded. */
  perDay: Figure;
  perWeek: Figure;
  /** Successful change deploys per ISO week. */
  weekly: WeeklyPoint[];
}

export interface LeadTimeForChanges {
  /** Seconds from the change set's first commit to the deploy finishing; banded. */
  median: Figure;
  p90: Figure;
  /** The median per ISO week. */
  weekly: WeeklyPoint[];
  /** Successful deploys with no lead time: no commits, or none with a date. */
  excluded: Array<{ deployId: string; reason: string }>;
}

export interface ChangeFailureRate {
  /** Failed changes over all change deploys, in percent; banded. */
  rate: Figure;
  failures: ChangeFailure[];
  weekly: WeeklyPoint[];
}

export interface TimeToRestore {
  /** Seconds from an incident's start to its resolution (median); banded. */
  incidents: Figure;
  /** Seconds from a failed deploy to the next good one (median); banded. */
  failedDeploys: Figure;
  /** Incidents and failed deploys not restored yet. */
  open: string[];
}

export interface RollbackFrequency {
  /** Automatic and manual rollbacks in the window. */
  count: Figure;
  perWeek: Figure;
  weekly: WeeklyPoint[];
}

export interface CiPassRate {
  /** Passed of the last 10 completed runs (latest attempt each) up to the window's end. */
  lastTen: Figure;
  /** Passed of the runs started each ISO week, in percent. */
  weekly: WeeklyPoint[];
}

/** p50 and p90 of a job's or step's duration in seconds. */
export interface DurationSpread {
  name: string;
  p50: Figure;
  p90: Figure;
}

export interface JobDurations extends DurationSpread {
  workflow: string;
  steps: DurationSpread[];
}

/** A job that failed on a commit and passed when the same commit's run was tried again. */
export interface FlakyJob {
  workflow: string;
  job: string;
  headSha: string;
  /** The attempts (`<runId>:<attempt>`) the job failed in before it passed. */
  failedAttemptIds: string[];
  passedAttemptId: string;
  /** When the passing attempt started. */
  at: string;
}

export interface FlakyJobs {
  count: Figure;
  jobs: FlakyJob[];
  weekly: WeeklyPoint[];
}

/** A value read per commit over time (readiness score, coverage, open security alerts). */
export interface Trend {
  /** The newest reading in the window. */
  latest: Figure;
  /** The newest reading of each ISO week: where the week ended. */
  weekly: WeeklyPoint[];
}

export interface ReadinessTrend extends Trend {
  /** The gate of the newest reading, to draw the trend against. */
  gate?: number;
}

export interface SecurityAlertsTrend extends Trend {
  /** The newest reading by severity. */
  latestBySeverity?: Pick<
    SecurityAlertsFact,
    'critical' | 'high' | 'medium' | 'low'
  >;
}

/** A DORA threshold: values on the good side of `limit` are in `band`. */
export interface DoraThreshold {
  band: Exclude<DoraBand, 'low'>;
  limit: number;
  /** Whether a value equal to `limit` is in `band`. */
  inclusive: boolean;
}

export interface DoraScale {
  unit: FigureUnit;
  /** `higher`: larger values are better (deploy frequency); `lower`: smaller are. */
  better: 'higher' | 'lower';
  /** Best band first; a value past every limit is `low`. */
  thresholds: DoraThreshold[];
}

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * The DORA performance levels of the 2023 Accelerate State of DevOps Report (DORA / Google
 * Cloud, "How do you compare?", software delivery performance table). We follow 2023 rather than
 * 2024 because 2024's change failure rates are not ordered (medium 10% below high 20%), so they
 * cannot band a single value. Translation to limits:
 * - deploy frequency: elite "on demand" = more than once a day; high "between once per day and
 *   once per week"; medium "between once per week and once per month" (month = 30 days); below
 *   that low (2023's low cluster overlaps medium; anything under medium is low);
 * - change lead time: elite "less than one day"; high "between one day and one week"; medium
 *   "between one week and one month"; longer is low;
 * - change failure rate: the clusters' 5%, 10%, 15% as upper limits; above 15% is low (64%);
 * - failed deployment recovery time: elite "less than one hour"; high "less than one day";
 *   medium "between one day and one week"; longer is low ("between one month and six months").
 */
export const DORA_SCALES = {
  deploymentFrequency: {
    unit: 'deploys/day',
    better: 'higher',
    thresholds: [
      { band: 'elite', limit: 1, inclusive: false },
      { band: 'high', limit: 1 / 7, inclusive: true },
      { band: 'medium', limit: 1 / 30, inclusive: true },
    ],
  },
  leadTime: {
    unit: 'seconds',
    better: 'lower',
    thresholds: [
      { band: 'elite', limit: DAY, inclusive: false },
      { band: 'high', limit: 7 * DAY, inclusive: true },
      { band: 'medium', limit: 30 * DAY, inclusive: true },
    ],
  },
  changeFailureRate: {
    unit: 'percent',
    better: 'lower',
    thresholds: [
      { band: 'elite', limit: 5, inclusive: true },
      { band: 'high', limit: 10, inclusive: true },
      { band: 'medium', limit: 15, inclusive: true },
    ],
  },
  timeToRestore: {
    unit: 'seconds',
    better: 'lower',
    thresholds: [
      { band: 'elite', limit: HOUR, inclusive: false },
      { band: 'high', limit: DAY, inclusive: false },
      { band: 'medium', limit: 7 * DAY, inclusive: true },
    ],
  },
} satisfies Record<string, DoraScale>;

/** The DORA report whose levels `DORA_SCALES` holds, for the views to name. */
export const DORA_REPORT = 'Accelerate State of DevOps Report 2023 (DORA)';
