import { attributeAwsAnomalies } from '../../cost/attributeAwsAnomalies';
import { AwsCostInsightStore } from '../../cost/AwsCostInsightStore';
import { CostFactStore } from '../../cost/CostFactStore';
import { addDays } from '../../cost/calendar';
import {
  costWindow,
  dayOf,
  DayRange,
  planCostFetch,
} from '../../cost/planCostFetch';
import { RequestBudget, RequestBudgetState } from '../../cost/RequestBudget';
import { EntityTarget } from '../../EntityTarget';
import {
  annotationMissing,
  NotConfigured,
  SnapshotSource,
  UpstreamError,
} from '../types';
import { AwsCostConfig } from './awsCostConfig';
import {
  CostExplorerClient,
  CostExplorerError,
  CostExplorerPage,
  DailyComponentCost,
} from './CostExplorerClient';

/** The component of costs whose resources lack the component tag. */
export const UNTAGGED_COMPONENT = 'untagged';

const PROVIDER = 'aws';
/** Cost Anomaly Detection keeps anomalies this long. */
const ANOMALY_DAYS = 90;

/** What one scheduled read did; the facts themselves are in the CostFactStore. */
export interface AwsCostRun {
  window: DayRange;
  /** The days read this time (missing ones, and estimated ones not read yet today). */
  ranges: DayRange[];
  /** Billed requests made this time. */
  requests: number;
  budget: RequestBudgetState;
  /** AWS's anomalies found to be the service's, when they were read this time (once a day). */
  anomalies?: number;
  /** Rightsizing recommendations, when they were read this time (once a day). */
  recommendations?: number;
}

/**
 * AWS Cost Explorer as a source: brings the entity's stored daily cost by component up to date,
 * reading only the days the store lacks or holds as estimated, one billed page at a time within
 * the day's request budget. Fetched by its daily schedule only, never for a page view.
 */
export class CostExplorerSource implements SnapshotSource<AwsCostRun> {
  readonly id = 'aws-cost';
  readonly scheduledOnly = true;
  private readonly client?: CostExplorerClient;

  constructor(
    private readonly options: {
      config?: AwsCostConfig;
      facts: CostFactStore;
      /** Where AWS's anomalies and rightsizing go; without it, daily costs only are read. */
      insights?: AwsCostInsightStore;
      budget: RequestBudget;
      now?: () => Date;
    },
  ) {
    if (options.config) {
      this.client = new CostExplorerClient(options.config.client);
    }
  }

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.awsCostTags) return annotationMissing(this.id);
    if (!this.client) {
      return {
        message:
          'AWS Cost Explorer is not configured: set lexecon.aws.costExplorer (credentials come from the AWS default provider chain)',
        missingAnnotations: [],
      };
    }
    return undefined;
  }

  async fetch(target: EntityTarget): Promise<AwsCostRun> {
    const { client, options } = this;
    const tags = target.awsCostTags;
    if (!client || !options.config || !tags) {
      throw new UpstreamError(
        this.id,
        this.notConfiguredReason(target)!.message,
      );
    }
    const cap = options.config.maxRequestsPerDay;
    const today = dayOf((options.now?.() ?? new Date()).getTime());
    const plan = planCostFetch({
      today,
      stored: await options.facts.storedDays(
        target.entityRef,
        PROVIDER,
        costWindow(today).from,
      ),
    });
    let requests = 0;
    const take = async (waiting: string) => {
      if (!(await options.budget.take(PROVIDER, today, cap))) {
        throw new UpstreamError(
          this.id,
          `The AWS Cost Explorer request cap of ${cap} a day (lexecon.aws.costExplorer.maxRequestsPerDay) is used up for ${today} (UTC): ${waiting} not read yet; the first run after midnight UTC reads them`,
        );
      }
      requests++;
    };
    for (const range of plan.ranges) {
      const pages = client.dailyCostPages(tags, range.from, range.to);
      let unread = range.from;
      for (let more = true; more; ) {
        await take(`the days from ${unread} on are`);
        const next = await pages.next().catch(this.asUpstreamError);
        if (next.done) break;
        await options.facts.save(
          target.entityRef,
          PROVIDER,
          { days: next.value.days, facts: next.value.rows.map(toFact) },
          options.now?.() ?? new Date(),
        );
        const lastDay = next.value.days[next.value.days.length - 1]?.day;
        if (lastDay) unread = addDays(lastDay, 1);
        more = next.value.more;
      }
    }
    const { insights } = options;
    const readToday = async (
      store: AwsCostInsightStore,
      kind: 'anomalies' | 'rightsizing',
    ) => {
      const at = await store.readAt(target.entityRef, kind);
      return at !== undefined && dayOf(at.getTime()) === today;
    };
    const readAll = async <T>(
      pages: AsyncGenerator<CostExplorerPage<T>>,
      waiting: string,
    ) => {
      const items: T[] = [];
      for (let more = true; more; ) {
        await take(waiting);
        const next = await pages.next().catch(this.asUpstreamError);
        if (next.done) break;
        items.push(...next.value.items);
        more = next.value.more;
      }
      return items;
    };
    /**
     * Anomalies and rightsizing cover the whole account: the day's first service reads them for
     * all, the others take theirs from that read, so they cost two reads a day, not two a service.
     */
    const accountWide = async <T>(
      store: AwsCostInsightStore,
      kind: 'anomalies' | 'rightsizing',
      read: () => Promise<T[]>,
    ): Promise<T[]> => {
      const held = await store.accountRead<T>(kind, today);
      if (held) return held;
      const items = await read();
      await store.saveAccountRead(
        kind,
        today,
        items,
        options.now?.() ?? new Date(),
      );
      return items;
    };
    let anomalies: number | undefined;
    if (insights && !(await readToday(insights, 'anomalies'))) {
      const from = addDays(today, -ANOMALY_DAYS);
      const reports = await accountWide(insights, 'anomalies', () =>
        readAll(client.anomalyPages(from, today), 'the cost anomalies are'),
      );
      const found = attributeAwsAnomalies(
        reports,
        await options.facts.facts(target.entityRef, addDays(from, -30)),
      );
      await insights.saveAnomalies(
        target.entityRef,
        found,
        options.now?.() ?? new Date(),
      );
      anomalies = found.length;
    }
    let recommendations: number | undefined;
    if (insights && !(await readToday(insights, 'rightsizing'))) {
      const all = await accountWide(insights, 'rightsizing', () =>
        readAll(
          client.rightsizingPages(),
          'the rightsizing recommendations are',
        ),
      );
      const found = all.filter(r => r.services?.some(v => tags.includes(v)));
      await insights.saveRightsizing(
        target.entityRef,
        found,
        options.now?.() ?? new Date(),
      );
      recommendations = found.length;
    }
    return {
      window: plan.window,
      ranges: plan.ranges,
      requests,
      budget: await options.budget.state(PROVIDER, today, cap),
      ...(anomalies !== undefined && { anomalies }),
      ...(recommendations !== undefined && { recommendations }),
    };
  }

  private readonly asUpstreamError = (error: unknown): never => {
    throw error instanceof CostExplorerError
      ? new UpstreamError(this.id, error.message)
      : error;
  };

  /** Closes the SDK's connections. */
  destroy(): void {
    this.client?.destroy();
  }
}

function toFact(row: DailyComponentCost) {
  return {
    day: row.day,
    component: row.component ?? UNTAGGED_COMPONENT,
    provider: PROVIDER,
    amount: row.amount,
    currency: row.unit,
    estimated: row.estimated,
  } as const;
}
