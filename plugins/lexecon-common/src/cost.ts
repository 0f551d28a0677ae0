import { z } from 'zod';

/**
 * Cost baselines (issue 13): the daily facts the analysis reads, and what it computes from them.
 *
 * Days are `YYYY-MM-DD` in UTC and months `YYYY-MM`; a provider's own day boundaries are its
 * business (Cost Explorer and the BigQuery export both bill in UTC days). Amounts are in the
 * facts' currency; the analysis never converts one currency into another.
 */

export type CostProvider = 'aws' | 'gcp' | 'opencost';

/** One component's cost on one day from one provider. */
export interface DailyCostFact {
  day: string;
  component: string;
  provider: CostProvider;
  amount: number;
  currency: string;
  /** The provider may still revise the amount (Cost Explorer's `Estimated`). */
  estimated: boolean;
  /**
   * Credits (negative: committed use discounts, promotions) already netted into `amount`, where
   * the provider reports them apart (the GCP billing export).
   */
  credits?: number;
}

/** The range ordinary values fall in. */
export interface CostBand {
  low: number;
  high: number;
}

/** A month left out of a baseline, and why. */
export interface ExcludedMonth {
  month: string;
  reason: string;
}

export interface ComponentBaseline {
  component: string;
  /** The median monthly total; absent with `noData`. */
  monthly?: number;
  /**
   * The median of each month's total divided by its day count, so a 28-day February and a 31-day
   * March are compared per day; month to date and the forecast are prorated with it.
   */
  perDay?: number;
  /** The smallest and largest monthly total of the months used. */
  band?: CostBand;
  /** The months the baseline rests on, oldest first, with their totals. */
  months: Array<{ month: string; amount: number }>;
  excluded: ExcludedMonth[];
  noData?: string;
}

export interface CostBaseline {
  currency?: string;
  /** The calendar months considered (the last N that ended by the last complete day), oldest first. */
  window: string[];
  components: ComponentBaseline[];
  /**
   * The sum of the components' baselines, so the table adds up; its band is the sum of the bands
   * (every component at its low, or at its high), wider than any one month's total would be.
   */
  total: { monthly?: number; perDay?: number; band?: CostBand };
  noData?: string;
}

export interface ComponentMonthToDate {
  component: string;
  actual: number;
  /** The baseline's per-day amount times the days covered; absent when the component has none. */
  expected?: number;
  delta?: number;
  /** Absent when the expected amount is 0 or unknown. */
  deltaPercent?: number;
  /** Days covered that the provider may still revise. */
  estimatedDays: number;
  /** Days covered with no fact for the component. */
  missingDays: string[];
}

export interface MonthToDate {
  /** `YYYY-MM`: the month holding "today". */
  month: string;
  /** The last day covered: the newest day with a fact, before today. Absent: no day yet. */
  through?: string;
  days: number;
  daysInMonth: number;
  components: ComponentMonthToDate[];
  total: Omit<ComponentMonthToDate, 'component' | 'missingDays'>;
  noData?: string;
}

/** A provider's forecast for the rest of the month (Cost Explorer's `GetCostForecast`). */
export interface ProviderForecast {
  provider: CostProvider;
  /**
   * The component it forecasts (Cost Explorer filtered on the component tag). It stands for the
   * component only when that provider alone bills the component this month.
   */
  component: string;
  /** First day forecast; the forecast runs to the month's end. */
  from: string;
  mean: number;
  lower: number;
  upper: number;
  /** Percent, e.g. 80. */
  intervalLevel: number;
}

export type ForecastMethod = 'provider' | 'portal';

export interface ComponentForecast {
  component: string;
  method?: ForecastMethod;
  /** The month's actual cost so far plus the expected rest. */
  monthEnd?: number;
  interval?: CostBand;
  intervalLevel?: number;
  /** Against the baseline's per-day amount times the month's days. */
  baseline?: number;
  delta?: number;
  deltaPercent?: number;
  noData?: string;
}

export interface CostForecast {
  month: string;
  /** Days after the days covered, to the month's end. */
  remainingDays: number;
  components: ComponentForecast[];
  /** Sums of the components' figures; the interval sums their bounds (a conservative width). */
  total: Omit<ComponentForecast, 'component' | 'method' | 'noData'>;
  /** Which methods the components used. */
  methods: ForecastMethod[];
}

export type CostAnomalyStatus = 'open' | 'acknowledged';

/** Why a person says an anomaly needs no action (the reasons Cost Insights offers). */
export type CostAcknowledgementReason =
  | 'expected'
  | 'seasonal'
  | 'migration'
  | 'resolved'
  | 'not-applicable';

/** Body of `POST .../cost-anomalies/:anomalyId/acknowledgement`. */
export const costAcknowledgementBodySchema = z
  .object({
    reason: z.enum([
      'expected',
      'seasonal',
      'migration',
      'resolved',
      'not-applicable',
    ]),
    comment: z.string().trim().max(1000).optional(),
  })
  .strict();

/** Path parameter naming an anomaly: AWS's id, or the portal's `portal:<provider>:<component>:<day>`. */
export const costAnomalyIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9:._-]+$/, 'must be an anomaly id');

export interface CostAcknowledgement {
  anomalyId: string;
  reason: CostAcknowledgementReason;
  comment?: string;
  by: string;
  at: string;
}

export interface CostRootCause {
  provider: CostProvider;
  component: string;
  /** AWS's own root cause fields, for anomalies AWS reported. */
  service?: string;
  region?: string;
  linkedAccount?: string;
  usageType?: string;
  /** AWS's `Impact.Contribution`: this cause's share of the impact, in the currency. */
  contribution?: number;
}

/** An anomaly AWS Cost Anomaly Detection reported (`GetAnomalies`), mapped to a component. */
export interface AwsCostAnomaly {
  anomalyId: string;
  component: string;
  start: string;
  /** Absent while AWS still sees it. */
  end?: string;
  /** `Impact.TotalImpact`: actual minus expected. */
  impact: number;
  actual?: number;
  expected?: number;
  maxScore?: number;
  rootCauses: Array<Omit<CostRootCause, 'provider' | 'component'>>;
  /** The answer AWS holds for it (`ProvideAnomalyFeedback`), from the portal or AWS's console. */
  feedback?: AwsAnomalyFeedback;
}

/** AWS's anomaly feedback: the anomaly was a real problem, not one, or planned. */
export type AwsAnomalyFeedback = 'YES' | 'NO' | 'PLANNED_ACTIVITY';

/** An EC2 instance Cost Explorer would resize or stop (`GetRightsizingRecommendation`). */
export interface AwsRightsizingRecommendation {
  resourceId: string;
  instanceName?: string;
  /** The instance's component tag; absent when it has none. */
  component?: string;
  /** The values of the instance's service tag: whose instance it is. */
  services?: string[];
  action: 'modify' | 'terminate';
  currentType?: string;
  /** The default target instance type, with `modify`. */
  targetType?: string;
  monthlyCost: number;
  monthlySavings: number;
  currency: string;
  /** The highest CPU use over AWS's lookback, in percent. */
  maxCpuPercent?: number;
  /** AWS's `FindingReasonCodes`, e.g. CPU_OVER_PROVISIONED. */
  findings: string[];
}

/** Where an acknowledgement's AWS feedback went: sent, failed (stored all the same), or not AWS's. */
export type CostAcknowledgementForwarding =
  /** Stored, AWS not answered yet (or the portal stopped before it answered). */
  | { to: 'aws'; feedback: AwsAnomalyFeedback; outcome: 'pending' }
  | { to: 'aws'; feedback: AwsAnomalyFeedback; outcome: 'sent' }
  | {
      to: 'aws';
      feedback: AwsAnomalyFeedback;
      outcome: 'failed';
      message: string;
    }
  | { to: 'none' };

/** The answer to acknowledging an anomaly: what was stored, and what AWS was told. */
export interface CostAcknowledgementResult {
  acknowledgement: CostAcknowledgement;
  forwarding: CostAcknowledgementForwarding;
}

export interface CostAnomaly {
  /** AWS's `AnomalyId`, or `portal:<provider>:<component>:<start>` for the portal's own. */
  id: string;
  /** Who found it first: AWS's report wins over the portal's for the same component and days. */
  source: 'aws' | 'portal';
  /** Both, when AWS and the portal saw it. */
  detectedBy: Array<'aws' | 'portal'>;
  provider: CostProvider;
  component: string;
  start: string;
  /** Absent while AWS still sees it. */
  end?: string;
  /** The sum of each day's excess over the expected amount. */
  impact: number;
  actual?: number;
  expected?: number;
  /** The highest robust z-score of its days (the portal's), or AWS's `MaxScore`. */
  maxScore?: number;
  rootCauses: CostRootCause[];
  /** Whether a day of it may still be revised by the provider. */
  estimated: boolean;
  status: CostAnomalyStatus;
  acknowledgement?: CostAcknowledgement;
}

export type CostEffort = 'low' | 'medium' | 'high';
export type CostRisk = 'low' | 'medium' | 'high';

/** A resource nobody uses that still costs (an unattached volume, an idle replica). */
export interface UnusedResource {
  id: string;
  kind:
    | 'unattached-volume'
    | 'idle-replica'
    | 'idle-instance'
    | 'idle-load-balancer'
    | 'other';
  component: string;
  provider: CostProvider;
  description: string;
  monthlyCost: number;
  risk?: CostRisk;
  effort?: CostEffort;
}

/** A workload's requests against its use (OpenCost's averages) and what each costs a month. */
export interface WorkloadUtilisation {
  workload: string;
  component: string;
  provider: CostProvider;
  cpu: { requestedCores: number; usedCores: number; monthlyCost: number };
  memory: { requestedBytes: number; usedBytes: number; monthlyCost: number };
}

export type OpportunityKind = 'unused' | 'oversized' | 'commitment';

export interface CostOpportunity {
  id: string;
  kind: OpportunityKind;
  component: string;
  provider: CostProvider;
  title: string;
  /** What the estimate rests on, in words. */
  basis: string;
  monthlySavings: number;
  risk: CostRisk;
  effort: CostEffort;
}

/** Decisions the service made on one UTC day (from Datadog's metrics query). */
export interface DecisionCount {
  day: string;
  count: number;
}

export interface UnitCostDay {
  day: string;
  /** The service's cost that day, idle cost left out. */
  cost?: number;
  decisions?: number;
  /** Cost per 1,000 decisions; absent with `noData`. */
  perThousand?: number;
  /** The cluster's idle cost given to the service that day (OpenCost's `__idle__`), apart. */
  idleCost?: number;
  idlePerThousand?: number;
  estimated: boolean;
  noData?: string;
}

export interface UnitCost {
  days: UnitCostDay[];
  /** Over the days with a figure: their cost over their decisions, per 1,000. */
  overall: { perThousand?: number; idlePerThousand?: number; days: number };
  minimumDecisions: number;
}

/** One line of the Cost Analysis Template: a component, or the total. */
export interface CostTemplateRow {
  component: string;
  baseline?: number;
  band?: CostBand;
  monthToDate: number;
  /** The baseline prorated to the days reported this month. */
  expectedToDate?: number;
  forecast?: number;
  forecastInterval?: CostBand;
  forecastMethod?: ForecastMethod;
  /** The forecast against the baseline for this month's days. */
  delta?: number;
  deltaPercent?: number;
}

/** A component's cost in one calendar month, for the 13-month chart. */
export interface MonthlyComponentCost {
  month: string;
  component: string;
  amount: number;
  /** Some day of it may still be revised. */
  estimated: boolean;
}

/** Efficiency of a workload as OpenCost reports it: use over request, cost-weighted for both. */
export interface WorkloadEfficiency {
  workload: string;
  component: string;
  cpu?: number;
  memory?: number;
  /** Both resources weighted by what each costs. */
  total?: number;
  monthlyCost: number;
}

/**
 * A Kubernetes cost allocation (OpenCost) of this month next to the bill: it divides the cluster's
 * bill among workloads, so it is shown beside the bill's Kubernetes components, never added to them.
 */
export interface KubernetesAllocation {
  provider: CostProvider;
  /** This month's allocated cost per component, up to the newest day the allocation covers. */
  components: Array<{ component: string; monthToDate: number }>;
  monthToDate: number;
  /** The bill's `kubernetes-*` components over the same days, when a bill is read. */
  billedMonthToDate?: number;
  /** The entity's share of the cluster's idle capacity this month (OpenCost's `__idle__`). */
  idleMonthToDate?: number;
  /** The last day counted; absent when no day of this month is over yet. */
  through?: string;
}

/** Everything the Cost card shows for one service. */
export interface CostAnalysis {
  currency?: string;
  rows: CostTemplateRow[];
  total: CostTemplateRow;
  baseline: CostBaseline;
  monthToDate: MonthToDate;
  forecast: CostForecast;
  monthly: MonthlyComponentCost[];
  anomalies: CostAnomaly[];
  opportunities: CostOpportunity[];
  efficiency: WorkloadEfficiency[];
  /** Absent when no decision counts were given. */
  unitCost?: UnitCost;
  /** Absent when no allocation is read, or when the allocation is the only cost (then it is `rows`). */
  allocation?: KubernetesAllocation;
}
