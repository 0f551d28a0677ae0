import { z } from 'zod';
import { toCsv } from './costPortfolio';
import {
  ChangeFailureRate,
  DeploymentFrequency,
  DoraBand,
  Figure,
  FlakyJobs,
  JobDurations,
  LeadTimeForChanges,
  ReadinessTrend,
  RollbackFrequency,
  TimeToRestore,
  Trend,
  WeeklyPoint,
} from './delivery';
import { SectionSummary } from './types';

/** The windows the delivery views offer, in days. */
export const DELIVERY_WINDOWS = ['30d', '90d', '180d'] as const;
export type DeliveryWindow = (typeof DELIVERY_WINDOWS)[number];

/** `?window=30d|90d|180d&environment=production`. */
export const deliveryQuerySchema = z
  .object({
    window: z.enum(DELIVERY_WINDOWS).default('90d'),
    environment: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9._-]+$/, 'is not an environment name')
      .default('production'),
  })
  .strict();
export type DeliveryQuery = z.infer<typeof deliveryQuerySchema>;

export const deliveryPortfolioQuerySchema = deliveryQuerySchema;

/** The four DORA keys, in the order the views show them. */
export const DORA_KEYS = [
  'deploymentFrequency',
  'leadTime',
  'changeFailureRate',
  'timeToRestore',
] as const;
export type DoraKey = (typeof DORA_KEYS)[number];

/** One key as the card and the portfolio show it: its figure and its last 12 ISO weeks. */
export interface DoraKeyFigure {
  figure: Figure;
  /** Oldest first; the last is the week in progress. */
  weekly: WeeklyPoint[];
}

/** Sparkline length: the last 12 ISO weeks (UTC). */
export const DELIVERY_SPARKLINE_WEEKS = 12;

/** Why the CI figures are absent until the CI run store is read by the views. */
export const CI_RUNS_NOT_READ = 'CI runs are not read yet';

export interface CiHealth {
  /** Passed of the last 10 runs (latest attempt each). */
  passRate: Figure;
  /** p50 of every job's duration over the window. */
  buildDuration: Figure;
  durations: JobDurations[];
  flaky: FlakyJobs;
}

/** A fact a figure names by id, with enough to list it and link it upstream. */
export interface DeliveryFactRef {
  id: string;
  kind: 'deploy' | 'incident' | 'readiness';
  /** When it took effect (deploy finished, incident started, readiness measured). */
  at: string;
  title: string;
  /** A deploy's result, an incident's resolution, a reading's score. */
  detail?: string;
  url?: string;
}

export interface DeliveryMetrics {
  keys: Record<DoraKey, DoraKeyFigure>;
  deploymentFrequency: DeploymentFrequency;
  leadTime: LeadTimeForChanges;
  changeFailureRate: ChangeFailureRate;
  timeToRestore: TimeToRestore;
  rollbacks: RollbackFrequency;
  ci: CiHealth;
  readiness: ReadinessTrend;
  coverage: Trend;
  /** Every fact a figure above names, by id. */
  facts: Record<string, DeliveryFactRef>;
}

/** `GET /v1/entities/:namespace/:kind/:name/delivery`. */
export interface EntityDelivery extends SectionSummary {
  entityRef: string;
  window: DeliveryWindow;
  environment: string;
  from: string;
  to: string;
  /** Absent when no source behind the deploys has data. */
  data?: DeliveryMetrics;
}

export interface DeliveryPortfolioRow extends Omit<SectionSummary, 'sources'> {
  entityRef: string;
  name: string;
  title: string;
  keys?: Record<DoraKey, DoraKeyFigure>;
  rollbacks?: Figure;
  /** 1 is the best delivery performance; services with no keys come last. */
  rank: number;
}

/** `GET /v1/delivery/portfolio`. */
export interface DeliveryPortfolio {
  window: DeliveryWindow;
  environment: string;
  from: string;
  to: string;
  generatedAt: string;
  services: DeliveryPortfolioRow[];
}

export const DELIVERY_PORTFOLIO_CSV_FILENAME = 'lexecon-delivery.csv';

const BAND_ORDER: readonly DoraBand[] = ['elite', 'high', 'medium', 'low'];

/**
 * The order of the portfolio: the mean band of the keys that have one (elite 0 … low 3), a key
 * without data counting as worse than low, so a service with no history never ranks above one
 * that delivers; ties by name.
 */
export function deliveryScore(
  keys: Record<DoraKey, DoraKeyFigure> | undefined,
) {
  if (!keys) return BAND_ORDER.length;
  const levels = DORA_KEYS.map(key => {
    const band = keys[key].figure.band;
    return band ? BAND_ORDER.indexOf(band) : BAND_ORDER.length;
  });
  return levels.reduce((sum, level) => sum + level, 0) / levels.length;
}

const round = (value: number | undefined, digits: number) =>
  value === undefined ? undefined : Number(value.toFixed(digits));
const hours = (figure: Figure) =>
  round(figure.value === undefined ? undefined : figure.value / 3600, 2);

export const DELIVERY_PORTFOLIO_CSV_COLUMNS = [
  'rank',
  'service',
  'entity_ref',
  'status',
  'deploys_per_day',
  'deployment_frequency_band',
  'lead_time_median_hours',
  'lead_time_band',
  'change_failure_rate_percent',
  'change_failure_rate_band',
  'time_to_restore_median_hours',
  'time_to_restore_band',
  'rollbacks',
] as const;

/** The portfolio as CSV, one row a service in rank order. */
export function deliveryPortfolioCsv(portfolio: DeliveryPortfolio) {
  return toCsv(
    DELIVERY_PORTFOLIO_CSV_COLUMNS,
    portfolio.services.map(row => {
      const figure = (key: DoraKey) => row.keys?.[key].figure;
      const df = figure('deploymentFrequency');
      const lt = figure('leadTime');
      const cfr = figure('changeFailureRate');
      const ttr = figure('timeToRestore');
      return [
        row.rank,
        row.title,
        row.entityRef,
        row.status,
        round(df?.value, 3),
        df?.band,
        lt && hours(lt),
        lt?.band,
        round(cfr?.value, 1),
        cfr?.band,
        ttr && hours(ttr),
        ttr?.band,
        row.rollbacks?.value,
      ];
    }),
  );
}
