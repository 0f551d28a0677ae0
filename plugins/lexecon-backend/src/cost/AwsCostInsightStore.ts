import {
  AwsCostAnomaly,
  AwsRightsizingRecommendation,
} from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { addDays } from './calendar';
import { timestampOf } from '../database/timestamps';

export type AwsCostReadKind = 'anomalies' | 'rightsizing';

const ACCOUNT_READS = 'lexecon_aws_account_reads';
/** Days an account-wide read is kept. */
const ACCOUNT_READ_DAYS = 7;

/** Rows in a query are written in batches this long (SQLite's bound-parameter limit). */
const BATCH = 50;

const optionalNumber = (value: unknown) =>
  value === null || value === undefined ? undefined : Number(value);

/**
 * What the aws-cost source read besides daily costs: AWS's anomalies mapped to the entity's
 * components and its rightsizing recommendations, each replaced as a whole by a read (AWS keeps
 * anomalies 90 days, so one gone from its answer is gone here too), and when each was read.
 */
export class AwsCostInsightStore {
  constructor(private readonly knex: Knex) {}

  /** When the entity's anomalies or recommendations were last read. */
  async readAt(
    entityRef: string,
    kind: AwsCostReadKind,
  ): Promise<Date | undefined> {
    const row = await this.knex('lexecon_aws_cost_reads')
      .where({ entity_ref: entityRef, kind })
      .first('read_at');
    return row ? timestampOf(row.read_at) : undefined;
  }

  async saveAnomalies(
    entityRef: string,
    anomalies: AwsCostAnomaly[],
    at: Date,
  ): Promise<void> {
    await this.replace(
      'lexecon_aws_cost_anomalies',
      entityRef,
      anomalies.map(a => ({
        entity_ref: entityRef,
        anomaly_id: a.anomalyId,
        component: a.component,
        start_day: a.start,
        end_day: a.end ?? null,
        impact: a.impact,
        actual: a.actual ?? null,
        expected: a.expected ?? null,
        max_score: a.maxScore ?? null,
        root_causes: JSON.stringify(a.rootCauses),
        feedback: a.feedback ?? null,
      })),
      'anomalies',
      at,
    );
  }

  /** The entity's AWS anomalies, newest first. */
  async anomalies(entityRef: string): Promise<AwsCostAnomaly[]> {
    const rows = await this.knex('lexecon_aws_cost_anomalies')
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'start_day', order: 'desc' },
        { column: 'anomaly_id' },
      ]);
    return rows.map(row => ({
      anomalyId: row.anomaly_id,
      component: row.component,
      start: row.start_day,
      ...(row.end_day && { end: row.end_day }),
      impact: Number(row.impact),
      ...(row.actual !== null && { actual: Number(row.actual) }),
      ...(row.expected !== null && { expected: Number(row.expected) }),
      ...(row.max_score !== null && {
        maxScore: optionalNumber(row.max_score),
      }),
      rootCauses: JSON.parse(row.root_causes),
      ...(row.feedback && { feedback: row.feedback }),
    }));
  }

  /** Notes AWS's feedback on one anomaly, as the portal just gave it. */
  async setFeedback(
    entityRef: string,
    anomalyId: string,
    feedback: AwsCostAnomaly['feedback'],
  ): Promise<void> {
    await this.knex('lexecon_aws_cost_anomalies')
      .where({ entity_ref: entityRef, anomaly_id: anomalyId })
      .update({ feedback: feedback ?? null });
  }

  async saveRightsizing(
    entityRef: string,
    recommendations: AwsRightsizingRecommendation[],
    at: Date,
  ): Promise<void> {
    await this.replace(
      'lexecon_aws_rightsizing',
      entityRef,
      recommendations.map(r => ({
        entity_ref: entityRef,
        resource_id: r.resourceId,
        recommendation: JSON.stringify(r),
        monthly_savings: r.monthlySavings,
      })),
      'rightsizing',
      at,
    );
  }

  /** The entity's rightsizing recommendations, largest savings first. */
  async rightsizing(
    entityRef: string,
  ): Promise<AwsRightsizingRecommendation[]> {
    const rows = await this.knex('lexecon_aws_rightsizing')
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'monthly_savings', order: 'desc' },
        { column: 'resource_id' },
      ]);
    return rows.map(row => JSON.parse(row.recommendation));
  }

  /** What one account-wide read of `day` answered, if it was made. */
  async accountRead<T>(
    kind: AwsCostReadKind,
    day: string,
  ): Promise<T[] | undefined> {
    const row = await this.knex(ACCOUNT_READS)
      .where({ kind, day })
      .first('payload');
    return row ? (JSON.parse(row.payload) as T[]) : undefined;
  }

  /**
   * Keeps an account-wide read of `day` for every service to take its share; the first read of a
   * day stays (another replica's equal read changes nothing). Reads older than a week go.
   */
  async saveAccountRead<T>(
    kind: AwsCostReadKind,
    day: string,
    items: T[],
    at: Date,
  ): Promise<void> {
    await this.knex(ACCOUNT_READS)
      .insert({ kind, day, read_at: at, payload: JSON.stringify(items) })
      .onConflict(['kind', 'day'])
      .ignore();
    await this.knex(ACCOUNT_READS)
      .where({ kind })
      .andWhere('day', '<', addDays(day, -ACCOUNT_READ_DAYS))
      .delete();
  }

  /** One transaction: a reader never sees a read half replaced. */
  private async replace(
    table: string,
    entityRef: string,
    rows: Record<string, unknown>[],
    kind: AwsCostReadKind,
    at: Date,
  ): Promise<void> {
    await this.knex.transaction(async trx => {
      await trx(table).where({ entity_ref: entityRef }).delete();
      for (let i = 0; i < rows.length; i += BATCH) {
        await trx(table).insert(rows.slice(i, i + BATCH));
      }
      await trx('lexecon_aws_cost_reads')
        .insert({ entity_ref: entityRef, kind, read_at: at })
        .onConflict(['entity_ref', 'kind'])
        .merge(['read_at']);
    });
  }
}
