import {
  ComponentDailyCosts,
  CostAnalysisNote,
  DailyCostFact,
  EntityCostAnalysis,
  StoredProviderCosts,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { AwsCostInsightStore } from './AwsCostInsightStore';
import { CostAcknowledgementStore } from './CostAcknowledgementStore';
import { analyseCosts } from './costAnalysis';
import { dayOf } from './planCostFetch';
import { EntityCostDeps, readEntityCosts } from './readEntityCosts';

/**
 * What the analysis would also read if the portal stored it; said in the response rather than
 * shown as "none", since no anomaly from AWS is not the same as AWS reporting none.
 */
const AWS_ANOMALIES_NOT_READ: CostAnalysisNote = {
  about: 'aws-anomalies',
  message:
    "AWS Cost Anomaly Detection's anomalies (GetAnomalies) are not read here: the anomalies shown are the portal's own detector's",
};

const NOT_STORED: CostAnalysisNote[] = [
  {
    about: 'provider-forecast',
    message:
      "Cost Explorer's forecast (GetCostForecast) is not stored yet: forecasts are the portal's own, with their interval",
  },
  {
    about: 'unit-cost',
    message:
      "The service's daily decision counts are not stored yet, so there is no cost per 1,000 decisions",
  },
  {
    about: 'utilisation',
    message:
      'Workload utilisation and unused resources are not read by this view yet: opportunities are commitment candidates only',
  },
];

export interface CostAnalysisDeps extends EntityCostDeps {
  /** AWS's own anomalies, as the aws-cost source stored them. */
  insights?: Pick<AwsCostInsightStore, 'anomalies'>;
  /** People's acknowledgements: the newest makes an anomaly no longer open. */
  acknowledgements?: Pick<CostAcknowledgementStore, 'list'>;
}

function dailyFacts(components: ComponentDailyCosts[]): DailyCostFact[] {
  return components.flatMap(({ component, provider, currency, days }) =>
    days.map(d => ({ ...d, component, provider, currency })),
  );
}

/** The oldest provider's last complete day: no day up to it will be revised by any of them. */
function lastCompleteDayOf(providers: StoredProviderCosts[]) {
  const days = providers
    .map(p => p.lastCompleteDay)
    .filter((d): d is string => d !== undefined)
    .sort();
  return days[0];
}

/**
 * The Cost card of one entity: `analyseCosts` over the facts `/costs` serves, with its states, so
 * a page view costs no billed request either.
 */
export async function readEntityCostAnalysis(
  deps: CostAnalysisDeps,
  target: EntityTarget,
): Promise<EntityCostAnalysis> {
  // One instant for both reads, so "today" cannot move between them at midnight.
  const now = deps.now?.() ?? new Date();
  const [{ data, ...section }, awsAnomalies, acknowledgements] =
    await Promise.all([
      readEntityCosts({ ...deps, now: () => now }, target),
      deps.insights?.anomalies(target.entityRef),
      deps.acknowledgements?.list(target.entityRef),
    ]);
  if (!data) return section;
  const today = dayOf(now.getTime());
  const facts = dailyFacts(data.components);
  const lastCompleteDay = lastCompleteDayOf(data.providers);
  return {
    ...section,
    data: {
      from: data.from,
      today,
      lastCompleteDay,
      providers: data.providers,
      ...(facts.length && lastCompleteDay
        ? {
            analysis: analyseCosts({
              facts,
              today,
              lastCompleteDay,
              awsAnomalies,
              acknowledgements: acknowledgements?.map(a => a.acknowledgement),
            }),
          }
        : {}),
      notes: awsAnomalies
        ? NOT_STORED
        : [AWS_ANOMALIES_NOT_READ, ...NOT_STORED],
    },
  };
}
