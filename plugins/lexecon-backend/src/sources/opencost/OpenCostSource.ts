import { CostFactStore } from '../../cost/CostFactStore';
import { addDays } from '../../cost/calendar';
import { KubernetesAllocationStore } from '../../cost/KubernetesAllocationStore';
import {
  costWindow,
  dayOf,
  DayRange,
  planCostFetch,
} from '../../cost/planCostFetch';
import { EntityTarget } from '../../EntityTarget';
import {
  annotationMissing,
  NotConfigured,
  SnapshotSource,
  UpstreamError,
} from '../types';
import {
  OPENCOST_PROVIDER,
  serviceAllocationDay,
  ServiceAllocationDay,
} from './allocationFacts';
import { OpenCostClient } from './OpenCostClient';
import { OpenCostConfig } from './opencostConfig';

/** Days one allocation query asks for: a month of daily sets stays a response of a few MB. */
export const DAYS_PER_QUERY = 31;

/** Days before today an empty answer may still mean "not priced yet" rather than "nothing ran". */
const RECENT_DAYS = 2;

const isEmpty = (day: ServiceAllocationDay) =>
  day.workloads.length === 0 && day.idle === 0;

/** What one scheduled read did; the facts themselves are in the stores. */
export interface OpenCostRun {
  window: DayRange;
  /** The days read this time (missing ones, and ones OpenCost had not finished). */
  ranges: DayRange[];
  requests: number;
}

/** A range cut into pieces of at most `days` days. */
export function chunks(range: DayRange, days: number): DayRange[] {
  const pieces: DayRange[] = [];
  for (let from = range.from; from < range.to; from = addDays(from, days)) {
    const to = addDays(from, days);
    pieces.push({ from, to: to < range.to ? to : range.to });
  }
  return pieces;
}

/**
 * OpenCost as a source: brings the entity's stored Kubernetes cost up to date, by component
 * (with the other providers' facts), per workload (requests, use, cost) and its share of idle,
 * reading only the days the store lacks. Fetched by its daily schedule only, never for a page view.
 */
export class OpenCostSource implements SnapshotSource<OpenCostRun> {
  readonly id = 'opencost';
  readonly scheduledOnly = true;
  private readonly client?: OpenCostClient;

  constructor(
    private readonly options: {
      config?: OpenCostConfig;
      upstream: { timeoutMs: number; retries: number };
      facts: CostFactStore;
      allocations: KubernetesAllocationStore;
      now?: () => Date;
      fetch?: typeof fetch;
      sleep?: (ms: number) => Promise<void>;
    },
  ) {
    if (options.config) {
      this.client = new OpenCostClient({
        baseUrl: options.config.baseUrl,
        ...options.upstream,
        fetch: options.fetch,
        sleep: options.sleep,
      });
    }
  }

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.opencostNamespaces) return annotationMissing(this.id);
    if (!this.client) {
      return {
        message:
          'OpenCost is not configured: set lexecon.opencost.baseUrl to its API (port 9003)',
        missingAnnotations: [],
      };
    }
    return undefined;
  }

  async fetch(target: EntityTarget): Promise<OpenCostRun> {
    const { client, options } = this;
    const namespaces = target.opencostNamespaces;
    const reason = this.notConfiguredReason(target);
    if (!client || !options.config || !namespaces || reason) {
      throw new UpstreamError(
        this.id,
        reason?.message ?? 'OpenCost is not configured',
      );
    }
    const { currency } = options.config;
    const today = dayOf((options.now?.() ?? new Date()).getTime());
    const plan = planCostFetch({
      today,
      stored: await options.facts.storedDays(
        target.entityRef,
        OPENCOST_PROVIDER,
        costWindow(today).from,
      ),
    });
    // OpenCost may not have priced the last days yet: empty, they are asked for again tomorrow.
    const recent = addDays(today, -RECENT_DAYS);
    let requests = 0;
    for (const range of plan.ranges) {
      for (const piece of chunks(range, DAYS_PER_QUERY)) {
        requests += 2;
        const sets = await client.dailyAllocations(
          piece.from,
          piece.to,
          namespaces,
        );
        const days = sets
          .filter(set => set.day >= piece.from && set.day < piece.to)
          .map(set => serviceAllocationDay(set, namespaces, currency));
        const at = options.now?.() ?? new Date();
        await options.allocations.save(
          target.entityRef,
          OPENCOST_PROVIDER,
          currency,
          days,
        );
        await options.facts.save(
          target.entityRef,
          OPENCOST_PROVIDER,
          {
            days: days.map(d => ({
              day: d.day,
              estimated: d.estimated || (isEmpty(d) && d.day >= recent),
            })),
            facts: days.flatMap(d => d.facts),
          },
          at,
        );
      }
    }
    return { window: plan.window, ranges: plan.ranges, requests };
  }
}
