import { z } from 'zod';
import { CostAnomaly, CostProvider, CostTemplateRow } from './cost';

/**
 * A service's row on the portfolio page: its section's status as the Cost card words it, with
 * `partial` when one of its cost providers failed while another still has data.
 */
export type CostPortfolioStatus = 'ok' | 'stale' | 'partial' | 'error';

/**
 * One provider's cost of one component this month, so the page can filter by provider and
 * component and add the figures up again.
 */
export interface CostPortfolioCell {
  provider: CostProvider;
  component: string;
  monthToDate: number;
  /** The component's baseline from this provider's facts, prorated to the days reported. */
  expectedToDate?: number;
  /** The monthly baseline (median of the last complete months). */
  baseline?: number;
  /** The forecast to month end. */
  forecast?: number;
  /** The baseline for this month's days, the forecast's delta is taken against it. */
  forecastBaseline?: number;
  /**
   * Whether the service's Total counts it: a Kubernetes allocation (OpenCost) divides a bill
   * already counted, so beside a bill it is shown on its own, never added to it.
   */
  inTotal: boolean;
}

export interface CostPortfolioRow {
  entityRef: string;
  name: string;
  title: string;
  status: CostPortfolioStatus;
  message?: string;
  /** The oldest "data as of" of its providers (ISO 8601). */
  fetchedAt?: string;
  currency?: string;
  /** The Total row of the Cost Analysis Template; absent while there is no analysis. */
  total?: CostTemplateRow;
  cells: CostPortfolioCell[];
}

/** An open anomaly of one of the services listed. */
export interface CostPortfolioAnomaly extends CostAnomaly {
  entityRef: string;
  title: string;
  currency?: string;
}

/**
 * `GET /v1/costs/portfolio`: every service the caller may read that has a cost source, ranked by
 * its forecast against its baseline (the Total's delta), highest first.
 */
export interface CostPortfolio {
  rows: CostPortfolioRow[];
  anomalies: CostPortfolioAnomaly[];
  /** The providers and components present in the rows' cells, sorted. */
  providers: CostProvider[];
  components: string[];
}

export const COST_PROVIDERS: readonly CostProvider[] = [
  'aws',
  'gcp',
  'opencost',
];

/** `GET /v1/costs/daily-facts.csv`'s filters. */
export const costDailyFactsQuerySchema = z
  .object({
    provider: z
      .enum(COST_PROVIDERS as [CostProvider, ...CostProvider[]])
      .optional(),
    component: z.string().min(1).max(200).optional(),
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')
      // zod refines even after the regex failed, so an unparseable text reaches this too.
      .refine(day => {
        const date = new Date(`${day}T00:00:00Z`);
        return !isNaN(date.getTime()) && date.toISOString().startsWith(day);
      }, 'must be a day of the calendar')
      .optional(),
  })
  .strict();

export type CostDailyFactsQuery = z.infer<typeof costDailyFactsQuerySchema>;

export const COST_DAILY_FACTS_CSV_COLUMNS = [
  'entity',
  'provider',
  'component',
  'day',
  'amount',
  'currency',
  'estimated',
] as const;

export const COST_DAILY_FACTS_CSV_FILENAME = 'lexecon-daily-costs.csv';

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. A text beginning
 * with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so a spreadsheet shows it
 * instead of running it as a formula (OWASP's CSV injection); numbers are written as they are, so
 * a negative amount stays a number.
 */
export function csvField(value: string | number | boolean | undefined) {
  if (value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Lines joined with CRLF, as RFC 4180 has them, ending with one. */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | boolean | undefined>>,
) {
  return [header, ...rows]
    .map(cells => cells.map(csvField).join(','))
    .map(line => `${line}\r\n`)
    .join('');
}
