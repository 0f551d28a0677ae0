import { DecisionCount } from '@internal/plugin-lexecon-common';
import { addDays, daysBetween } from '../../cost/calendar';
import { DecisionCountStore } from '../../cost/DecisionCountStore';
import { dayOf } from '../../cost/planCostFetch';
import { EntityTarget } from '../../EntityTarget';
import { DatadogConfig } from '../../reliabilityConfig';
import { JsonHttpClient } from '../http/JsonHttpClient';
import {
  annotationMissing,
  NotConfigured,
  SnapshotSource,
  UpstreamError,
} from '../types';
import { describeDatadogStatus } from './describeDatadogStatus';

/** Days of counts kept current: the cost per 1,000 decisions shows 30, with room to spare. */
export const DECISION_DAYS = 35;
const DAY_SECONDS = 86_400;

interface MetricQueryAnswer {
  status?: string;
  error?: string;
  series?: Array<{ pointlist?: Array<[number, number | null]> }>;
}

/** What one scheduled read did; the counts themselves are in the store. */
export interface DecisionCountRun {
  query?: string;
  /** The first and last day asked for, when any was missing. */
  from?: string;
  to?: string;
  days: number;
  requests: number;
}

const daySeconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/**
 * Datadog's daily decision count of a service: the metric the operator names
 * (`lexecon.datadog.decisionMetric`), summed per UTC day over the entity's tags, through the
 * metrics query API. A complete day never changes, so only days not stored yet are asked for, in
 * one query; the scheduled read is the only caller, never a page view.
 */
export class DatadogDecisionsSource
  implements SnapshotSource<DecisionCountRun>
{
  readonly id = 'datadog-decisions' as const;
  readonly scheduledOnly = true;
  private readonly client?: JsonHttpClient;

  constructor(
    private readonly options: {
      config?: DatadogConfig;
      /** The count metric, e.g. `lexecon.decisions`; unset, the source is off. */
      metric?: string;
      store: DecisionCountStore;
      upstream: { timeoutMs: number; retries: number };
      now?: () => Date;
      fetch?: typeof fetch;
      sleep?: (ms: number) => Promise<void>;
    },
  ) {
    const { config } = options;
    if (config && options.metric) {
      this.client = new JsonHttpClient({
        source: this.id,
        label: 'Datadog',
        baseUrl: config.baseUrl,
        headers: {
          'DD-API-KEY': config.apiKey,
          'DD-APPLICATION-KEY': config.applicationKey,
        },
        ...options.upstream,
        fetch: options.fetch,
        sleep: options.sleep,
        describeStatus: describeDatadogStatus,
      });
    }
  }

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.datadog) return annotationMissing(this.id);
    if (!this.options.config) {
      return {
        message:
          'Datadog is not configured: set lexecon.datadog.apiKey, lexecon.datadog.applicationKey and lexecon.datadog.site',
        missingAnnotations: [],
      };
    }
    if (!this.client) {
      return {
        message:
          "No decision metric is configured: set lexecon.datadog.decisionMetric to the count metric of the service's decisions",
        missingAnnotations: [],
      };
    }
    return undefined;
  }

  /** `sum:<metric>{<tags>}.as_count().rollup(sum, 86400)`: one point per UTC day. */
  static query(metric: string, tags: readonly string[]): string {
    return `sum:${metric}{${tags.join(
      ',',
    )}}.as_count().rollup(sum, ${DAY_SECONDS})`;
  }

  async fetch(target: EntityTarget): Promise<DecisionCountRun> {
    const { client, options } = this;
    const reason = this.notConfiguredReason(target);
    if (!client || !options.metric || !target.datadog || reason) {
      throw new UpstreamError(
        this.id,
        reason?.message ?? 'Datadog is not configured',
      );
    }
    const today = dayOf((options.now?.() ?? new Date()).getTime());
    const first = addDays(today, -DECISION_DAYS);
    const stored = new Set(
      (await options.store.counts(target.entityRef, first)).map(c => c.day),
    );
    const missing = daysBetween(first, addDays(today, -1)).filter(
      d => !stored.has(d),
    );
    if (!missing.length) return { days: 0, requests: 0 };
    const from = missing[0];
    const to = addDays(today, -1);
    const query = DatadogDecisionsSource.query(
      options.metric,
      target.datadog.sloTags,
    );
    const answer = await client.get<MetricQueryAnswer>(
      '/api/v1/query',
      `the decision counts (${query})`,
      { from: daySeconds(from), to: daySeconds(today) - 1, query },
    );
    if (answer.status === 'error' || !Array.isArray(answer.series)) {
      throw new UpstreamError(
        this.id,
        `Datadog could not answer the decision count query ${query}${
          answer.error ? `: ${answer.error}` : ''
        }`,
      );
    }
    const counts = new Map<string, number>();
    for (const series of answer.series) {
      for (const [ms, value] of series.pointlist ?? []) {
        const day = dayOf(ms);
        if (value === null || day < from || day > to) continue;
        counts.set(day, (counts.get(day) ?? 0) + value);
      }
    }
    const read: DecisionCount[] = [...counts].map(([day, count]) => ({
      day,
      count: Math.round(count),
    }));
    await options.store.save(
      target.entityRef,
      read,
      options.now?.() ?? new Date(),
    );
    return { query, from, to, days: read.length, requests: 1 };
  }
}
