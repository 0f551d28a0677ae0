import {
  CostCalendar,
  costCalendar,
  dayMs,
  dayString,
} from '../aws/costLedger';
import { DAY, Prng } from '../random';

/** Where the sandbox's billing account exports to (`project.dataset.table`). */
export const BILLING_PROJECT = 'lexecon-billing';
export const BILLING_DATASET = 'billing_export';
export const BILLING_TABLE = 'gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9';
/** The project the services run in, as the export's `project` column names it. */
export const WORKLOAD_PROJECT = 'lexecon-production';

/** One row of the standard export: one SKU's usage of one day (real rows are hourly). */
export interface BillingExportRow {
  service: { id: string; description: string };
  sku: { id: string; description: string };
  project: { id: string; name: string };
  labels: Array<{ key: string; value: string }>;
  usageStart: number;
  cost: number;
  currency: string;
  credits: Array<{ name: string; amount: number; type: string }>;
  /** `invoice.month`, `YYYYMM`. */
  invoiceMonth: string;
  /** The day of the row's `_PARTITIONTIME`: exported the day after its usage. */
  partitionDay: string;
}

interface SkuProfile {
  /** The `component` label on the resources; none for the row that lacks it. */
  component?: string;
  service: { id: string; description: string };
  sku: { id: string; description: string };
  /** Range the seeded daily cost (USD) is drawn from. */
  daily: [number, number];
}

const PROFILES: SkuProfile[] = [
  {
    component: 'kubernetes-compute',
    service: { id: '6F81-5844-456A', description: 'Compute Engine' },
    sku: { id: 'CF4E-A0C7-E3BF', description: 'N2 Instance Core running' },
    daily: [40, 90],
  },
  {
    component: 'database-primary',
    service: { id: '9662-B51E-5089', description: 'Cloud SQL' },
    sku: {
      id: 'B5A4-8E37-3C5D',
      description: 'Cloud SQL for PostgreSQL: vCPU',
    },
    daily: [25, 60],
  },
  {
    component: 'database-backups',
    service: { id: '9662-B51E-5089', description: 'Cloud SQL' },
    sku: { id: '3B5A-3A4F-0A8E', description: 'Cloud SQL: Backups' },
    daily: [2, 6],
  },
  {
    component: 'storage',
    service: { id: '95FF-2EF5-5EA1', description: 'Cloud Storage' },
    sku: { id: 'E5F0-6A5D-7BAD', description: 'Standard Storage' },
    daily: [3, 9],
  },
  {
    component: 'monitoring',
    service: { id: '58CD-E7C3-72CA', description: 'Cloud Monitoring' },
    sku: { id: '1E5F-3F0C-5C1B', description: 'Metric Volume' },
    daily: [4, 10],
  },
  {
    service: { id: 'E505-1604-58F8', description: 'Networking' },
    sku: { id: '984A-1F7E-7D37', description: 'Network Inter Zone Egress' },
    daily: [1, 4],
  },
];

/** Rows per service and day, for the bytes a query scans. */
export const ROWS_PER_SERVICE_DAY = PROFILES.length;

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** The month whose rows carry credits: the third complete month before the seed clock's. */
export function creditMonth(calendar: CostCalendar): string {
  const end = new Date(dayMs(calendar.end));
  return dayString(
    Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 3, 1),
  ).slice(0, 7);
}

/**
 * The billing export of the portfolio: per service (label `service=<name>`) and day, one row per
 * SKU with the `component` label (one SKU without it), over the same 13 months as Cost Explorer.
 * One month carries credits: a committed use discount on compute and a promotion on every row.
 * Drawn per service on first use, so scale mode's services cost nothing until asked for.
 */
export class BillingExport {
  readonly calendar: CostCalendar;
  readonly creditMonth: string;
  private readonly cache = new Map<string, BillingExportRow[]>();

  constructor(now: string, readonly services: readonly string[]) {
    this.calendar = costCalendar(now);
    this.creditMonth = creditMonth(this.calendar);
  }

  rows(service: string): BillingExportRow[] {
    let rows = this.cache.get(service);
    if (!rows) {
      rows = PROFILES.flatMap(p => this.draw(service, p));
      this.cache.set(service, rows);
    }
    return rows;
  }

  private draw(service: string, profile: SkuProfile): BillingExportRow[] {
    const prng = new Prng(`gcp-billing:${service}:${profile.sku.id}`);
    const [min, max] = profile.daily;
    const level = min + prng.next() * (max - min);
    const labels = [{ key: 'service', value: service }];
    if (profile.component) {
      labels.push({ key: 'component', value: profile.component });
    }
    const rows: BillingExportRow[] = [];
    const end = dayMs(this.calendar.end);
    for (let ms = dayMs(this.calendar.start); ms < end; ms += DAY) {
      const cost = round(level * (1 + (prng.next() - 0.5) * 0.1));
      const day = dayString(ms);
      const credited = day.slice(0, 7) === this.creditMonth;
      rows.push({
        service: profile.service,
        sku: profile.sku,
        project: { id: WORKLOAD_PROJECT, name: WORKLOAD_PROJECT },
        labels,
        usageStart: ms,
        cost,
        currency: 'USD',
        credits: credited ? creditsOf(profile, cost) : [],
        invoiceMonth: day.slice(0, 7).replace('-', ''),
        partitionDay: dayString(ms + DAY),
      });
    }
    return rows;
  }
}

function creditsOf(profile: SkuProfile, cost: number) {
  const credits = [
    {
      name: 'Lexecon launch promotion',
      amount: round(-0.1 * cost),
      type: 'PROMOTION',
    },
  ];
  if (profile.component === 'kubernetes-compute') {
    credits.push({
      name: 'Committed use discount: CPU',
      amount: round(-0.3 * cost),
      type: 'COMMITTED_USAGE_DISCOUNT',
    });
  }
  return credits;
}

/** What a person (or a test) needs to find the export and its seeded facts. */
export interface GcpBillingFacts {
  projectId: string;
  dataset: string;
  table: string;
  location: string;
  calendar: CostCalendar;
  /** `YYYY-MM`: the month whose rows carry credits. */
  creditMonth: string;
}

export function gcpBillingFacts(calendar: CostCalendar): GcpBillingFacts {
  return {
    projectId: BILLING_PROJECT,
    dataset: BILLING_DATASET,
    table: BILLING_TABLE,
    location: 'US',
    calendar,
    creditMonth: creditMonth(calendar),
  };
}
