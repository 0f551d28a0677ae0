import { dayString } from '../aws/costLedger';
import {
  BILLING_DATASET,
  BILLING_PROJECT,
  BILLING_TABLE,
  BillingExport,
  BillingExportRow,
  ROWS_PER_SERVICE_DAY,
} from './billingExport';
import { BigQueryError, invalid, invalidQuery } from './errors';

/** The bytes of the referenced columns one export row scans (billing rows are 1-3 KB whole). */
const BYTES_PER_ROW = 600;
/** BigQuery bills at least 10 MiB per query, rounded up to whole MiB. */
const MIN_BYTES_BILLED = 10 * 1024 * 1024;
const MIB = 1024 * 1024;
/** Where the billing dataset lives. */
export const DATASET_LOCATION = 'US';

export const RESULT_SCHEMA = {
  fields: [
    { name: 'day', type: 'DATE', mode: 'NULLABLE' },
    { name: 'component', type: 'STRING', mode: 'NULLABLE' },
    { name: 'currency', type: 'STRING', mode: 'NULLABLE' },
    { name: 'cost', type: 'FLOAT', mode: 'NULLABLE' },
    { name: 'credits', type: 'FLOAT', mode: 'NULLABLE' },
  ],
};

export type ResultRow = { f: Array<{ v: string | null }> };

export interface BillingQuery {
  from: string;
  to: string;
  /** `key=value` pairs; a row matches with one listed value for each of `labelKeys` keys. */
  labels: string[];
  labelKeys: number;
  componentKey: string;
  maximumBytesBilled?: number;
}

interface QueryParameter {
  name?: string;
  parameterType?: { type?: string; arrayType?: { type?: string } };
  parameterValue?: { value?: string; arrayValues?: Array<{ value?: string }> };
}

/** The parameters the billing query by day and component is written with, and their types. */
const PARAMETERS = {
  from: 'DATE',
  to: 'DATE',
  labels: 'ARRAY<STRING>',
  label_keys: 'INT64',
  component_key: 'STRING',
} as const;

const typeOf = (p: QueryParameter) =>
  p.parameterType?.type === 'ARRAY'
    ? `ARRAY<${p.parameterType.arrayType?.type}>`
    : p.parameterType?.type;

const TABLE_REF = /`([\w-]+)\.([\w-]+)\.([\w-]+)`/;

/**
 * Reads a `QueryRequest` as far as the sandbox needs: GoogleSQL with named parameters over the
 * billing export table, filtered on its partitions. The sandbox runs no SQL: it answers the
 * billing query by day and component (net of credits) whatever else the text says, and refuses a
 * request without that query's parameters, as BigQuery would refuse one it cannot run.
 */
export function parseBillingQuery(
  body: Record<string, unknown>,
  location: string | undefined,
): BillingQuery {
  const query = typeof body.query === 'string' ? body.query : '';
  if (!query.trim()) throw invalid('Required parameter is missing: query');
  if (body.useLegacySql !== false) {
    throw invalidQuery(
      'Query parameters cannot be used in legacy SQL queries; set useLegacySql to false',
    );
  }
  if (String(body.parameterMode ?? '').toUpperCase() !== 'NAMED') {
    throw invalidQuery(
      'The billing query takes named parameters (parameterMode NAMED)',
    );
  }
  if (location && location !== DATASET_LOCATION) {
    throw new BigQueryError(
      404,
      'notFound',
      `Not found: Dataset ${BILLING_PROJECT}:${BILLING_DATASET} was not found in location ${location}`,
    );
  }
  const table = TABLE_REF.exec(query);
  if (!table) {
    throw invalidQuery(
      'Table name is missing a dataset or project (write `project.dataset.table`)',
    );
  }
  if (
    table[1] !== BILLING_PROJECT ||
    table[2] !== BILLING_DATASET ||
    table[3] !== BILLING_TABLE
  ) {
    throw new BigQueryError(
      404,
      'notFound',
      `Not found: Table ${table[1]}:${table[2]}.${table[3]} was not found in location ${DATASET_LOCATION}`,
    );
  }
  if (!/_PARTITIONTIME/i.test(query)) {
    throw invalidQuery(
      `Cannot query over table '${BILLING_PROJECT}.${BILLING_DATASET}.${BILLING_TABLE}' without a filter over column(s) '_PARTITION_LOAD_TIME', '_PARTITIONDATE', '_PARTITIONTIME' that can be used for partition elimination`,
    );
  }
  const params = new Map<string, QueryParameter>();
  for (const p of Array.isArray(body.queryParameters)
    ? (body.queryParameters as QueryParameter[])
    : []) {
    if (p?.name) params.set(p.name, p);
  }
  for (const [name, type] of Object.entries(PARAMETERS)) {
    const p = params.get(name);
    if (!p || !new RegExp(`@${name}\\b`).test(query)) {
      throw invalidQuery(
        `The sandbox answers only the billing query by day and component: it needs the named parameter @${name} (${type})`,
      );
    }
    if (typeOf(p) !== type) {
      throw invalidQuery(
        `Query parameter '${name}' has type ${typeOf(p)}; expected ${type}`,
      );
    }
  }
  const value = (name: string) => params.get(name)?.parameterValue?.value ?? '';
  const from = dateValue('from', value('from'));
  const to = dateValue('to', value('to'));
  const labelKeys = Number(value('label_keys'));
  const max = body.maximumBytesBilled;
  return {
    from,
    to,
    labels: (params.get('labels')?.parameterValue?.arrayValues ?? []).map(
      v => v.value ?? '',
    ),
    labelKeys: Number.isInteger(labelKeys) ? labelKeys : 0,
    componentKey: value('component_key'),
    maximumBytesBilled:
      max === undefined || max === null ? undefined : Number(max),
  };
}

function dateValue(name: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalidQuery(`Invalid DATE string "${value}" for parameter @${name}`);
  }
  return value;
}

/** The bytes the query scans: every service's rows in the partitions from `from` on. */
export function bytesProcessed(
  ledger: BillingExport,
  from: string,
): { processed: number; billed: number } {
  const start = from > ledger.calendar.start ? from : ledger.calendar.start;
  const days = Math.max(
    0,
    (Date.parse(ledger.calendar.end) - Date.parse(start)) / 86_400_000 + 1,
  );
  const processed =
    days * ROWS_PER_SERVICE_DAY * ledger.services.length * BYTES_PER_ROW;
  return {
    processed,
    billed: Math.max(MIN_BYTES_BILLED, Math.ceil(processed / MIB) * MIB),
  };
}

function matches(row: BillingExportRow, q: BillingQuery): boolean {
  const keys = new Set(
    row.labels
      .filter(l => q.labels.includes(`${l.key}=${l.value}`))
      .map(l => l.key),
  );
  return keys.size === q.labelKeys;
}

/** The services whose rows can match: those a `service=` label names, else all of them. */
function candidates(ledger: BillingExport, q: BillingQuery): string[] {
  const named = q.labels
    .filter(l => l.startsWith('service='))
    .map(l => l.slice('service='.length));
  return named.length
    ? ledger.services.filter(s => named.includes(s))
    : [...ledger.services];
}

/**
 * What the billing query returns: per usage day (UTC), component label and currency, the gross
 * cost and the credits (negative), ordered by day, component (NULL first) and currency.
 */
export function runBillingQuery(
  ledger: BillingExport,
  q: BillingQuery,
): ResultRow[] {
  const groups = new Map<
    string,
    {
      day: string;
      component: string | null;
      currency: string;
      cost: number;
      credits: number;
    }
  >();
  for (const service of candidates(ledger, q)) {
    for (const row of ledger.rows(service)) {
      const day = dayString(row.usageStart);
      if (row.partitionDay < q.from || day < q.from || day >= q.to) continue;
      if (!matches(row, q)) continue;
      const component =
        row.labels.find(l => l.key === q.componentKey)?.value ?? null;
      const key = `${day}|${component ?? ''}|${row.currency}`;
      const group = groups.get(key) ?? {
        day,
        component,
        currency: row.currency,
        cost: 0,
        credits: 0,
      };
      group.cost += row.cost;
      group.credits += row.credits.reduce((sum, c) => sum + c.amount, 0);
      groups.set(key, group);
    }
  }
  const order = (a: string | null, b: string | null) => {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    return a < b ? -1 : 1;
  };
  return [...groups.values()]
    .sort(
      (a, b) =>
        order(a.day, b.day) ||
        order(a.component, b.component) ||
        order(a.currency, b.currency),
    )
    .map(g => ({
      f: [
        { v: g.day },
        { v: g.component },
        { v: g.currency },
        { v: String(Math.round(g.cost * 1e6) / 1e6) },
        { v: String(Math.round(g.credits * 1e6) / 1e6) },
      ],
    }));
}
