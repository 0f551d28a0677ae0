import { BigQuery, BigQueryOptions } from '@google-cloud/bigquery';

export interface BillingExportOptions {
  /** The project the query job runs (and is billed) in; also the table's when `table` is bare. */
  projectId: string;
  /** `dataset.table` or `project.dataset.table` of the standard billing export (or a view of it). */
  table: string;
  /** The dataset's location, e.g. `US` or `EU`; BigQuery finds it when unset. */
  location?: string;
  /** Bytes one query may bill; BigQuery fails a query that would bill more. */
  maximumBytesBilled: number;
  /** The label that names the component, e.g. `component`. */
  componentLabel: string;
  /** Another API root than Google's, e.g. the sandbox's `http://127.0.0.1:7108`. */
  apiEndpoint?: string;
  /**
   * A fixed OAuth access token instead of Application Default Credentials: for the sandbox
   * only (a real token expires within the hour).
   */
  accessToken?: string;
  /** Retries of a failed request (5xx, 429, resets) after the first, with backoff. */
  maxRetries?: number;
  /** The longest wait between retries, in seconds (the library's default is 64). */
  maxRetryDelaySeconds?: number;
  /** Rows in the first page of results; BigQuery's own page size when unset. */
  pageRows?: number;
}

/** One usage day's cost of one component (undefined: rows without the component label). */
export interface DailyBillingCost {
  day: string;
  component?: string;
  currency: string;
  /** Gross cost, before credits. */
  cost: number;
  /** The credits applied (discounts, promotions), negative. */
  credits: number;
}

/** A failed read, with a message a person can act on. */
export class BillingExportError extends Error {}

/**
 * The query: usage days in `[@from, @to)` (UTC), rows carrying one listed `key=value` label for
 * each of the `@label_keys` keys, grouped by day, component label and currency. Credits are
 * summed in a correlated subquery, as a join over both arrays would count costs twice. The
 * partition filter keeps the scan to partitions exported since `@from` (rows of a day are
 * exported that day or later).
 */
function billingQuery(table: string): string {
  return `SELECT
  DATE(usage_start_time) AS day,
  (SELECT value FROM UNNEST(labels) WHERE key = @component_key) AS component,
  currency,
  SUM(cost) AS cost,
  SUM(IFNULL((SELECT SUM(c.amount) FROM UNNEST(credits) AS c), 0)) AS credits
FROM \`${table}\`
WHERE DATE(_PARTITIONTIME) >= @from
  AND usage_start_time >= TIMESTAMP(@from)
  AND usage_start_time < TIMESTAMP(@to)
  AND (SELECT COUNT(DISTINCT l.key) FROM UNNEST(labels) AS l
       WHERE CONCAT(l.key, '=', l.value) IN UNNEST(@labels)) = @label_keys
GROUP BY day, component, currency
ORDER BY day, component, currency`;
}

interface ApiErrorLike {
  code?: number;
  message?: string;
  errors?: Array<{ reason?: string; message?: string }>;
}

/**
 * Reads the GCP billing export through BigQuery with the official client: one parameterised,
 * partition-filtered query per range of days, capped by `maximumBytesBilled`; the client waits
 * for a job jobs.query left incomplete and reads every page of rows.
 */
export class BillingExportClient {
  private readonly bigquery: BigQuery;
  private readonly table: string;

  constructor(private readonly options: BillingExportOptions) {
    const clientOptions: BigQueryOptions = {
      projectId: options.projectId,
      location: options.location,
      apiEndpoint: options.apiEndpoint,
      retryOptions: {
        // The library reads maxRetries 0 as "the default of 3": no retries means no autoRetry.
        autoRetry: options.maxRetries !== 0,
        maxRetries: options.maxRetries,
        maxRetryDelay: options.maxRetryDelaySeconds,
      },
    };
    if (options.accessToken) {
      clientOptions.authClient = staticTokenAuth(options.accessToken);
    }
    this.bigquery = new BigQuery(clientOptions);
    this.table =
      options.table.split('.').length === 2
        ? `${options.projectId}.${options.table}`
        : options.table;
  }

  /**
   * Daily cost per component of the rows carrying the labels (`key=value`; several values of
   * one key are alternatives, different keys must all match), usage days `from` to `to`
   * (exclusive).
   */
  async dailyCosts(
    labels: readonly string[],
    from: string,
    to: string,
  ): Promise<DailyBillingCost[]> {
    const keys = new Set(labels.map(l => l.slice(0, l.indexOf('='))));
    try {
      const [rows] = await this.bigquery.query({
        query: billingQuery(this.table),
        params: {
          // A bare string typed DATE is sent without its value: the client wants a BigQueryDate.
          from: BigQuery.date(from),
          to: BigQuery.date(to),
          labels: [...labels],
          label_keys: keys.size,
          component_key: this.options.componentLabel,
        },
        types: {
          from: 'DATE',
          to: 'DATE',
          labels: ['STRING'],
          label_keys: 'INT64',
          component_key: 'STRING',
        },
        location: this.options.location,
        maximumBytesBilled: String(this.options.maximumBytesBilled),
        // The first page's size; the client follows pageToken for the rest.
        maxResults: this.options.pageRows,
      });
      return rows.map(toCost);
    } catch (error) {
      throw new BillingExportError(this.describe(error as ApiErrorLike));
    }
  }

  private describe(error: ApiErrorLike): string {
    const reason = error.errors?.[0]?.reason;
    const detail = error.message ?? String(error);
    if (reason === 'bytesBilledLimitExceeded') {
      return `The billing query would bill more than lexecon.gcp.billing.maximumBytesBilled (${this.options.maximumBytesBilled} bytes): ${detail}`;
    }
    if (error.code === 401 || error.code === 403) {
      return `BigQuery refused the backend's credentials (${detail}); it needs roles/bigquery.jobUser on ${this.options.projectId} and roles/bigquery.dataViewer on the billing dataset`;
    }
    if (error.code === 404) {
      return `BigQuery did not find the billing export ${this.table} (lexecon.gcp.billing.projectId, dataset, table, location): ${detail}`;
    }
    return `BigQuery failed reading the billing export: ${detail}`;
  }
}

interface QueryRow {
  day: { value: string } | string;
  component: string | null;
  currency: string;
  cost: number | null;
  credits: number | null;
}

function toCost(row: QueryRow): DailyBillingCost {
  return {
    day: typeof row.day === 'string' ? row.day : row.day.value,
    component: row.component ?? undefined,
    currency: row.currency,
    cost: row.cost ?? 0,
    credits: row.credits ?? 0,
  };
}

type AuthClient = NonNullable<BigQueryOptions['authClient']>;

/**
 * Signs every request with one fixed bearer token. The library authorises a request by asking
 * its auth client for headers only; a full google-auth-library client for a token that never
 * refreshes would add nothing, and that library is the BigQuery client's own (not a dependency).
 */
function staticTokenAuth(token: string): AuthClient {
  const client = {
    getRequestHeaders: async () =>
      new Headers({ authorization: `Bearer ${token}` }),
  };
  return client as unknown as AuthClient;
}
