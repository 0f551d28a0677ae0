import { DAY, Prng } from '../random';

/** The Cost Analysis Template's components, each tagged `component=<name>` on its resources. */
export const COST_COMPONENTS = [
  'kubernetes-compute',
  'kubernetes-storage',
  'database-primary',
  'database-backups',
  'monitoring',
  'storage',
] as const;
export type CostComponent = (typeof COST_COMPONENTS)[number];

interface ComponentProfile {
  /** Cost Explorer's SERVICE dimension for the resources of this component. */
  awsService: string;
  usageType: string;
  /** Range the seeded daily cost (USD, weekday, first month) is drawn from. */
  daily: [number, number];
  /** Share of a weekday's cost on Saturdays and Sundays (autoscaled workloads shrink). */
  weekend: number;
}

const PROFILES: Record<CostComponent, ComponentProfile> = {
  'kubernetes-compute': {
    awsService: 'Amazon Elastic Compute Cloud - Compute',
    usageType: 'USE1-BoxUsage:m6i.xlarge',
    daily: [120, 260],
    weekend: 0.72,
  },
  'kubernetes-storage': {
    awsService: 'EC2 - Other',
    usageType: 'USE1-EBS:VolumeUsage.gp3',
    daily: [14, 30],
    weekend: 1,
  },
  'database-primary': {
    awsService: 'Amazon Relational Database Service',
    usageType: 'USE1-InstanceUsage:db.r6g.xlarge',
    daily: [60, 140],
    weekend: 1,
  },
  'database-backups': {
    awsService: 'Amazon Relational Database Service',
    usageType: 'USE1-ChargedBackupUsage',
    daily: [6, 14],
    weekend: 1,
  },
  monitoring: {
    awsService: 'AmazonCloudWatch',
    usageType: 'USE1-CW:MetricMonitorUsage',
    daily: [9, 22],
    weekend: 0.9,
  },
  storage: {
    awsService: 'Amazon Simple Storage Service',
    usageType: 'USE1-TimedStorage-ByteHrs',
    daily: [5, 18],
    weekend: 1,
  },
};

export function awsServiceOf(component: CostComponent): string {
  return PROFILES[component].awsService;
}

/** Costs grow by this share each month (more traffic, more data kept). */
const MONTHLY_GROWTH = 0.012;
/** Days at the end of the data whose costs Cost Explorer still marks `Estimated`. */
const ESTIMATED_DAYS = 2;

export const AWS_ACCOUNT_ID = '123456789012';
export const AWS_ACCOUNT_NAME = 'lexecon-production';

export function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/**
 * The days the account's bill covers: from the first of the month twelve months before the seed
 * clock's to the seed clock's day (exclusive: today is not billed yet), the last two days estimated.
 */
export interface CostCalendar {
  start: string;
  /** Exclusive: the seed clock's day. */
  end: string;
  /** The first day still `Estimated`. */
  estimatedFrom: string;
}

export function costCalendar(now: string): CostCalendar {
  const today = dayMs(now.slice(0, 10));
  const d = new Date(today);
  return {
    start: dayString(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 12, 1)),
    end: dayString(today),
    estimatedFrom: dayString(today - ESTIMATED_DAYS * DAY),
  };
}

/** The seeded anomaly: a sudden rise in one component of one service, and what caused it. */
export interface CostAnomalyFact {
  service: string;
  component: CostComponent;
  awsService: string;
  usageType: string;
  /** First and last day (both inclusive, as Cost Anomaly Detection reports them). */
  start: string;
  end: string;
  /** The spike's cost over what the component would have cost. */
  multiplier: number;
}

export function costAnomaly(calendar: CostCalendar): CostAnomalyFact {
  const end = dayMs(calendar.end);
  const component: CostComponent = 'database-backups';
  return {
    service: 'lexecon-api',
    component,
    awsService: PROFILES[component].awsService,
    usageType: PROFILES[component].usageType,
    start: dayString(end - 12 * DAY),
    end: dayString(end - 8 * DAY),
    multiplier: 4,
  };
}

export interface DailyCost {
  day: string;
  amount: number;
  /** What the day would have cost without the anomaly (equal to `amount` on other days). */
  expected: number;
}

/** One tagged series: a service's component, with its Cost Explorer dimensions. */
export interface CostSeries {
  service: string;
  component: CostComponent;
  awsService: string;
  usageType: string;
  /** Cost Explorer's RECORD_TYPE: usage, or a credit (negative amounts). */
  recordType: 'Usage' | 'Credit';
  days: DailyCost[];
}

/**
 * The seeded credits: a promotional credit on the Lexecon API's database for every day of one
 * month, as Cost Explorer reports credits (RECORD_TYPE `Credit`, negative amounts, and no cost
 * allocation tags: AWS does not tag credit line items, so a tag-filtered read never sees them).
 */
export interface CostCreditFact {
  service: string;
  component: CostComponent;
  /** `YYYY-MM`. */
  month: string;
  /** Per day, negative. */
  daily: number;
}

export function costCredit(calendar: CostCalendar): CostCreditFact {
  const end = new Date(dayMs(calendar.end));
  return {
    service: 'lexecon-api',
    component: 'database-primary',
    month: dayString(
      Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 4, 1),
    ).slice(0, 7),
    daily: -25,
  };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * Daily unblended cost per service and component for the whole calendar, deterministic per
 * service (drawn on first use, so scale mode's generated services cost nothing until asked for):
 * a per-component level, lower weekends for autoscaled parts, slow growth, a little noise, and
 * the anomaly's spike.
 */
export class CostLedger {
  readonly calendar: CostCalendar;
  readonly anomaly: CostAnomalyFact;
  readonly credit: CostCreditFact;
  /** `ProvideAnomalyFeedback`'s answers by anomaly id, as `GetAnomalies` reports them back. */
  readonly anomalyFeedback = new Map<string, string>();
  private readonly cache = new Map<string, CostSeries[]>();

  constructor(now: string, readonly services: readonly string[]) {
    this.calendar = costCalendar(now);
    this.anomaly = costAnomaly(this.calendar);
    this.credit = costCredit(this.calendar);
  }

  /** The account's credit line items: untagged, so found by RECORD_TYPE or SERVICE only. */
  credits(): CostSeries[] {
    const c = this.credit;
    if (!this.services.includes(c.service)) return [];
    const profile = PROFILES[c.component];
    const days: DailyCost[] = [];
    const end = dayMs(this.calendar.end);
    for (let ms = dayMs(`${c.month}-01`); ms < end; ms += DAY) {
      const day = dayString(ms);
      if (!day.startsWith(c.month)) break;
      days.push({ day, amount: c.daily, expected: c.daily });
    }
    return [
      {
        service: c.service,
        component: c.component,
        awsService: profile.awsService,
        usageType: profile.usageType,
        recordType: 'Credit',
        days,
      },
    ];
  }

  series(service: string): CostSeries[] {
    let series = this.cache.get(service);
    if (!series) {
      series = COST_COMPONENTS.map(c => this.draw(service, c));
      this.cache.set(service, series);
    }
    return series;
  }

  private draw(service: string, component: CostComponent): CostSeries {
    const profile = PROFILES[component];
    const prng = new Prng(`aws-cost:${service}:${component}`);
    const [min, max] = profile.daily;
    const level = min + prng.next() * (max - min);
    const start = dayMs(this.calendar.start);
    const end = dayMs(this.calendar.end);
    const a = this.anomaly;
    const spiking = a.service === service && a.component === component;
    const days: DailyCost[] = [];
    for (let ms = start; ms < end; ms += DAY) {
      const weekday = new Date(ms).getUTCDay();
      const weekly = weekday === 0 || weekday === 6 ? profile.weekend : 1;
      const trend = 1 + (MONTHLY_GROWTH * (ms - start)) / (30.44 * DAY);
      const noise = 1 + (prng.next() - 0.5) * 0.08;
      const expected = round(level * weekly * trend * noise);
      const day = dayString(ms);
      const spike = spiking && day >= a.start && day <= a.end;
      days.push({
        day,
        expected,
        amount: spike ? round(expected * a.multiplier) : expected,
      });
    }
    return {
      service,
      component,
      awsService: profile.awsService,
      usageType: profile.usageType,
      recordType: 'Usage',
      days,
    };
  }
}
