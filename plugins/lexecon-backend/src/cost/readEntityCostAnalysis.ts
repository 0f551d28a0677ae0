import {
  ComponentDailyCosts,
  CostProvider,
  DecisionCount,
  CostAnalysisNote,
  DailyCostFact,
  EntityCostAnalysis,
  StoredProviderCosts,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { addDays } from './calendar';
import { AwsCostInsightStore } from './AwsCostInsightStore';
import { CostAcknowledgementStore } from './CostAcknowledgementStore';
import { DECISION_DAYS } from '../sources/datadog/DatadogDecisionsSource';
import { analyseCosts } from './costAnalysis';
import { DecisionCountStore } from './DecisionCountStore';
import { KubernetesAllocationStore } from './KubernetesAllocationStore';
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

const PROVIDER_FORECAST_NOT_READ: CostAnalysisNote = {
  about: 'provider-forecast',
  message:
    "Cost Explorer's forecast (GetCostForecast) is not read, as it would cost a billed request per service and component a day: forecasts are the portal's own, with their interval",
};

const UTILISATION_NOT_READ: CostAnalysisNote = {
  about: 'utilisation',
  message:
    'No Kubernetes allocation (OpenCost) is read for this service: there is no workload utilisation, and no oversized workload is looked for',
};

/** Days of workload use an oversized verdict rests on, ending on the last complete day. */
const UTILISATION_DAYS = 30;

/** Why there is no cost per 1,000 decisions, when there is none. */
function unitCostNote(
  deps: CostAnalysisDeps,
  target: EntityTarget,
  decisions: DecisionCount[] | undefined,
): CostAnalysisNote[] {
  const reason = deps.refresher.notConfiguredReason(
    target,
    'datadog-decisions',
  );
  let message: string | undefined;
  if (reason) message = `No cost per 1,000 decisions: ${reason.message}`;
  else if (!deps.decisions) {
    message = 'No cost per 1,000 decisions: decision counts are not read here';
  } else if (!decisions?.length) {
    message =
      "No cost per 1,000 decisions yet: Datadog's decision counts are read by their daily schedule and none is stored";
  }
  return message ? [{ about: 'unit-cost', message }] : [];
}

/** The provider that allocates a cluster's bill rather than billing it. */
const ALLOCATING: CostProvider = 'opencost';

export interface CostAnalysisDeps extends EntityCostDeps {
  /** AWS's own anomalies and rightsizing recommendations, as the aws-cost source stored them. */
  insights?: Pick<AwsCostInsightStore, 'anomalies' | 'rightsizing'>;
  /** Per-workload use and idle shares, as the opencost source stored them. */
  allocations?: Pick<KubernetesAllocationStore, 'utilisation' | 'idle'>;
  /** Decisions per day, as the datadog-decisions source stored them. */
  decisions?: Pick<DecisionCountStore, 'counts'>;
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
 * a page view costs no billed request either. The bill (AWS, GCP) is what the template adds up;
 * a Kubernetes allocation (OpenCost) of that bill is shown beside it, or is the template when it
 * is the only cost read.
 */
export async function readEntityCostAnalysis(
  deps: CostAnalysisDeps,
  target: EntityTarget,
): Promise<EntityCostAnalysis> {
  // One instant for every read, so "today" cannot move between them at midnight.
  const now = deps.now?.() ?? new Date();
  const entityRef = target.entityRef;
  const today = dayOf(now.getTime());
  const decisionsConfigured = !deps.refresher.notConfiguredReason(
    target,
    'datadog-decisions',
  );
  const [
    { data, ...section },
    awsAnomalies,
    rightsizing,
    acknowledgements,
    decisions,
  ] = await Promise.all([
    readEntityCosts({ ...deps, now: () => now }, target),
    deps.insights?.anomalies(entityRef),
    deps.insights?.rightsizing(entityRef),
    deps.acknowledgements?.list(entityRef),
    decisionsConfigured
      ? deps.decisions?.counts(entityRef, addDays(today, -DECISION_DAYS))
      : undefined,
  ]);
  if (!data) return section;
  const all = dailyFacts(data.components);
  const billed = data.providers.filter(p => p.provider !== ALLOCATING);
  const allocating = data.providers.find(p => p.provider === ALLOCATING);
  const bill = all.filter(f => f.provider !== ALLOCATING);
  const allocated = all.filter(f => f.provider === ALLOCATING);
  const billRead = billed.length > 0;
  const facts = billRead ? bill : allocated;
  const lastCompleteDay = lastCompleteDayOf(billRead ? billed : data.providers);
  const allocationDay = allocating?.lastCompleteDay;
  const [utilisation, idle] =
    allocating && deps.allocations
      ? await Promise.all([
          allocationDay
            ? deps.allocations.utilisation(
                entityRef,
                addDays(allocationDay, 1 - UTILISATION_DAYS),
                allocationDay,
              )
            : [],
          deps.allocations.idle(entityRef, data.from),
        ])
      : [undefined, undefined];
  const notes = [
    ...(awsAnomalies ? [] : [AWS_ANOMALIES_NOT_READ]),
    PROVIDER_FORECAST_NOT_READ,
    ...(utilisation ? [] : [UTILISATION_NOT_READ]),
    ...unitCostNote(deps, target, decisions),
  ];
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
              allocationFacts:
                billRead && allocated.length ? allocated : undefined,
              today,
              lastCompleteDay,
              awsAnomalies,
              acknowledgements: acknowledgements?.map(a => a.acknowledgement),
              utilisation,
              rightsizing,
              idle,
              decisions: decisions?.length ? decisions : undefined,
            }),
          }
        : {}),
      notes,
    },
  };
}
