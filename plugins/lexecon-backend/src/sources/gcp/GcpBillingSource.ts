import { CostFactStore } from '../../cost/CostFactStore';
import { addDays, daysBetween } from '../../cost/calendar';
import {
  costWindow,
  dayOf,
  DayRange,
  planCostFetch,
} from '../../cost/planCostFetch';
import { EntityTarget } from '../../EntityTarget';
import { UNTAGGED_COMPONENT } from '../aws/CostExplorerSource';
import {
  annotationMissing,
  NotConfigured,
  SnapshotSource,
  UpstreamError,
} from '../types';
import {
  BillingExportClient,
  BillingExportError,
  BillingExportOptions,
  DailyBillingCost,
} from './BillingExportClient';

const PROVIDER = 'gcp';

/**
 * Days before today the export may still change: Google gives no delivery guarantee and rows of
 * a day keep arriving for a few days, so these are stored as estimated and read again daily.
 */
export const UNSETTLED_DAYS = 3;

/** What one scheduled read did; the facts themselves are in the CostFactStore. */
export interface GcpBillingRun {
  window: DayRange;
  /** The days read this time (missing ones, and unsettled ones not read yet today). */
  ranges: DayRange[];
  /** Queries run (each bills at least 10 MiB). */
  queries: number;
}

/**
 * The GCP billing export (through BigQuery) as a source: brings the entity's stored daily cost by
 * component, net of credits, up to date, querying only the days the store lacks or holds as
 * unsettled. Fetched by its daily schedule only, never for a page view.
 */
export class GcpBillingSource implements SnapshotSource<GcpBillingRun> {
  readonly id = 'gcp-billing';
  readonly scheduledOnly = true;
  private readonly client?: BillingExportClient;

  constructor(
    private readonly options: {
      config?: BillingExportOptions;
      facts: CostFactStore;
      now?: () => Date;
    },
  ) {
    if (options.config) this.client = new BillingExportClient(options.config);
  }

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.gcpBillingLabels) return annotationMissing(this.id);
    if (!this.client) {
      return {
        message:
          'The GCP billing export is not configured: set lexecon.gcp.billing (projectId, dataset, table; credentials come from Application Default Credentials)',
        missingAnnotations: [],
      };
    }
    return undefined;
  }

  async fetch(target: EntityTarget): Promise<GcpBillingRun> {
    const { client, options } = this;
    const labels = target.gcpBillingLabels;
    if (!client || !labels) {
      throw new UpstreamError(
        this.id,
        this.notConfiguredReason(target)!.message,
      );
    }
    const now = () => options.now?.() ?? new Date();
    const today = dayOf(now().getTime());
    const plan = planCostFetch({
      today,
      stored: await options.facts.storedDays(
        target.entityRef,
        PROVIDER,
        costWindow(today).from,
      ),
    });
    const unsettledFrom = addDays(today, -UNSETTLED_DAYS);
    for (const range of plan.ranges) {
      const costs = await client
        .dailyCosts(labels, range.from, range.to)
        .catch(error => {
          throw error instanceof BillingExportError
            ? new UpstreamError(this.id, error.message)
            : error;
        });
      await options.facts.save(
        target.entityRef,
        PROVIDER,
        {
          days: daysBetween(range.from, addDays(range.to, -1)).map(day => ({
            day,
            estimated: day >= unsettledFrom,
          })),
          facts: costs.map(cost => toFact(cost, cost.day >= unsettledFrom)),
        },
        now(),
      );
    }
    return {
      window: plan.window,
      ranges: plan.ranges,
      queries: plan.ranges.length,
    };
  }
}

function toFact(cost: DailyBillingCost, estimated: boolean) {
  return {
    day: cost.day,
    component: cost.component ?? UNTAGGED_COMPONENT,
    provider: PROVIDER,
    amount: cost.cost + cost.credits,
    currency: cost.currency,
    estimated,
    credits: cost.credits,
  } as const;
}
