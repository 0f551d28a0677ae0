// The Cost card of one service: every analysis over the same facts and dates.
import {
  AwsCostAnomaly,
  AwsRightsizingRecommendation,
  ComponentForecast,
  ComponentMonthToDate,
  CostAcknowledgement,
  CostAnalysis,
  CostBaseline,
  CostTemplateRow,
  DailyCostFact,
  DecisionCount,
  ProviderForecast,
  UnusedResource,
  WorkloadUtilisation,
} from '@internal/plugin-lexecon-common';
import { kubernetesAllocation } from './allocation';
import { AnomalyOptions, costAnomalies } from './anomalies';
import { costBaseline } from './baseline';
import { addDays } from './calendar';
import { workloadEfficiency } from './efficiency';
import { costForecast, PortalIntervalLevel } from './forecast';
import { monthlyCosts } from './monthlyCosts';
import { monthToDate } from './monthToDate';
import { costOpportunities, OpportunityOptions } from './opportunities';
import { costPerThousandDecisions } from './unitCost';

export interface CostAnalysisInput {
  /** The bill: what the template, baseline, forecast and unit cost add up. */
  facts: DailyCostFact[];
  /**
   * A Kubernetes allocation of the same bill (OpenCost), shown beside it and searched for
   * anomalies, never added to it.
   */
  allocationFacts?: DailyCostFact[];
  /** `YYYY-MM-DD` (UTC). */
  today: string;
  /** The newest day no provider will revise. */
  lastCompleteDay: string;
  baselineMonths?: number;
  providerForecasts?: ProviderForecast[];
  intervalLevel?: PortalIntervalLevel;
  awsAnomalies?: AwsCostAnomaly[];
  acknowledgements?: CostAcknowledgement[];
  anomalyOptions?: Omit<AnomalyOptions, 'awsAnomalies' | 'acknowledgements'>;
  unused?: UnusedResource[];
  utilisation?: WorkloadUtilisation[];
  rightsizing?: AwsRightsizingRecommendation[];
  opportunityOptions?: Omit<
    OpportunityOptions,
    'lastCompleteDay' | 'months' | 'unused' | 'utilisation' | 'rightsizing'
  >;
  /** The service's decisions per day; without them there is no cost per 1,000 decisions. */
  decisions?: DecisionCount[];
  idle?: Array<{ day: string; amount: number }>;
  minimumDecisions?: number;
  /** Days of cost per 1,000 decisions, ending yesterday; default 30. */
  unitCostDays?: number;
}

function row(
  component: string,
  baseline: Pick<CostBaseline['total'], 'monthly' | 'band'>,
  toDate: Pick<ComponentMonthToDate, 'actual' | 'expected'>,
  forecast: Omit<ComponentForecast, 'component'>,
): CostTemplateRow {
  return {
    component,
    baseline: baseline.monthly,
    band: baseline.band,
    monthToDate: toDate.actual,
    expectedToDate: toDate.expected,
    forecast: forecast.monthEnd,
    forecastInterval: forecast.interval,
    forecastMethod: forecast.method,
    delta: forecast.delta,
    deltaPercent: forecast.deltaPercent,
  };
}

/**
 * The Cost Analysis Template (component, baseline, month to date, forecast, delta, with a total)
 * and everything around it, computed from the stored facts with no upstream call.
 */
export function analyseCosts(input: CostAnalysisInput): CostAnalysis {
  const { facts, today, lastCompleteDay } = input;
  const baseline = costBaseline(facts, {
    lastCompleteDay,
    months: input.baselineMonths,
  });
  const toDate = monthToDate(facts, baseline, today);
  const forecast = costForecast(facts, baseline, toDate, {
    today,
    lastCompleteDay,
    providerForecasts: input.providerForecasts,
    intervalLevel: input.intervalLevel,
  });
  const rows = toDate.components.map(c =>
    row(
      c.component,
      baseline.components.find(b => b.component === c.component) ?? {},
      c,
      forecast.components.find(f => f.component === c.component) ?? {},
    ),
  );
  const unitCostDays = input.unitCostDays ?? 30;
  const allocation =
    input.allocationFacts &&
    kubernetesAllocation(facts, input.allocationFacts, {
      today,
      idle: input.idle,
    });
  return {
    currency: baseline.currency,
    rows,
    total: row('Total', baseline.total, toDate.total, forecast.total),
    baseline,
    monthToDate: toDate,
    forecast,
    monthly: monthlyCosts(facts, today),
    anomalies: costAnomalies([...facts, ...(input.allocationFacts ?? [])], {
      ...input.anomalyOptions,
      awsAnomalies: input.awsAnomalies,
      acknowledgements: input.acknowledgements,
    }),
    opportunities: costOpportunities(facts, {
      ...input.opportunityOptions,
      lastCompleteDay,
      months: input.baselineMonths,
      unused: input.unused,
      utilisation: input.utilisation,
      rightsizing: input.rightsizing,
    }),
    efficiency: workloadEfficiency(input.utilisation ?? []),
    ...(input.decisions
      ? {
          unitCost: costPerThousandDecisions(facts, {
            from: addDays(today, -unitCostDays),
            to: addDays(today, -1),
            decisions: input.decisions,
            idle: input.idle,
            minimumDecisions: input.minimumDecisions,
          }),
        }
      : {}),
    ...(allocation ? { allocation } : {}),
  };
}
