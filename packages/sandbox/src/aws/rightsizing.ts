import { uuidFrom } from '../random';
import { AWS_ACCOUNT_ID, CostLedger } from './costLedger';
import { validationError } from './errors';
import { nextPageToken, pageOffset } from './paging';

/** Hours in a month as AWS prices an instance month (8,760 / 12). */
const HOURS_PER_MONTH = 730;
const LOOKBACK_DAYS = 14;

interface SeededInstance {
  service: string;
  name: string;
  type: string;
  hourly: number;
  vcpu: number;
  memory: string;
  maxCpu: number;
  maxMemory: number;
  /** The smaller type AWS suggests, or none: terminate (idle). */
  target?: { type: string; hourly: number; vcpu: number; memory: string };
}

/**
 * EC2 instances Cost Explorer finds oversized or idle over its 14-day lookback: the Lexecon API's
 * worker uses a tenth of an m6i.2xlarge and its old canary runner sits idle, and the policy engine
 * keeps an idle instance.
 */
const SEEDED: SeededInstance[] = [
  {
    service: 'lexecon-api',
    name: 'lexecon-api-batch-worker',
    type: 'm6i.2xlarge',
    hourly: 0.384,
    vcpu: 8,
    memory: '32 GiB',
    maxCpu: 11.2,
    maxMemory: 18.5,
    target: { type: 'm6i.large', hourly: 0.096, vcpu: 2, memory: '8 GiB' },
  },
  {
    service: 'lexecon-api',
    name: 'lexecon-api-canary-runner',
    type: 'm6i.large',
    hourly: 0.096,
    vcpu: 2,
    memory: '8 GiB',
    maxCpu: 0.3,
    maxMemory: 2.4,
  },
  {
    service: 'policy-engine',
    name: 'policy-engine-replay',
    type: 'm6i.large',
    hourly: 0.096,
    vcpu: 2,
    memory: '8 GiB',
    maxCpu: 0.4,
    maxMemory: 3.1,
  },
];

const money = (n: number) => n.toFixed(2);

function ec2Details(
  type: string,
  hourly: number,
  vcpu: number,
  memory: string,
) {
  return {
    EC2ResourceDetails: {
      HourlyOnDemandRate: hourly.toFixed(3),
      InstanceType: type,
      Platform: 'Linux/UNIX',
      Region: 'US East (N. Virginia)',
      Sku: uuidFrom(`aws-sku:${type}`).slice(0, 16).toUpperCase(),
      Memory: memory,
      NetworkPerformance: 'Up to 12500 Megabit',
      Storage: 'EBS only',
      Vcpu: String(vcpu),
    },
  };
}

function recommendation(i: SeededInstance) {
  const monthly = i.hourly * HOURS_PER_MONTH;
  const hours = String(LOOKBACK_DAYS * 24);
  const common = {
    AccountId: AWS_ACCOUNT_ID,
    CurrentInstance: {
      ResourceId: `i-${uuidFrom(`aws-instance:${i.name}`)
        .replace(/-/g, '')
        .slice(0, 17)}`,
      InstanceName: i.name,
      Tags: [
        { Key: 'service', Values: [i.service] },
        { Key: 'component', Values: ['kubernetes-compute'] },
      ],
      ResourceDetails: ec2Details(i.type, i.hourly, i.vcpu, i.memory),
      ResourceUtilization: {
        EC2ResourceUtilization: {
          MaxCpuUtilizationPercentage: String(i.maxCpu),
          MaxMemoryUtilizationPercentage: String(i.maxMemory),
          MaxStorageUtilizationPercentage: '0',
        },
      },
      ReservationCoveredHoursInLookbackPeriod: '0',
      SavingsPlansCoveredHoursInLookbackPeriod: '0',
      OnDemandHoursInLookbackPeriod: hours,
      TotalRunningHoursInLookbackPeriod: hours,
      MonthlyCost: money(monthly),
      CurrencyCode: 'USD',
    },
  };
  if (!i.target) {
    return {
      ...common,
      RightsizingType: 'TERMINATE',
      TerminateRecommendationDetail: {
        EstimatedMonthlySavings: money(monthly),
        CurrencyCode: 'USD',
      },
      FindingReasonCodes: ['CPU_OVER_PROVISIONED', 'MEMORY_OVER_PROVISIONED'],
    };
  }
  const t = i.target;
  const targetMonthly = t.hourly * HOURS_PER_MONTH;
  return {
    ...common,
    RightsizingType: 'MODIFY',
    ModifyRecommendationDetail: {
      TargetInstances: [
        {
          EstimatedMonthlyCost: money(targetMonthly),
          EstimatedMonthlySavings: money(monthly - targetMonthly),
          CurrencyCode: 'USD',
          DefaultTargetInstance: true,
          ResourceDetails: ec2Details(t.type, t.hourly, t.vcpu, t.memory),
          ExpectedResourceUtilization: {
            EC2ResourceUtilization: {
              MaxCpuUtilizationPercentage: String(
                Math.round(((i.maxCpu * i.vcpu) / t.vcpu) * 10) / 10,
              ),
              MaxMemoryUtilizationPercentage: String(
                Math.round(((i.maxMemory * 32) / 8) * 10) / 10,
              ),
              MaxStorageUtilizationPercentage: '0',
            },
          },
          PlatformDifferences: [],
        },
      ],
    },
    FindingReasonCodes: ['CPU_OVER_PROVISIONED'],
  };
}

/** What a recommendation saves a month: its default target's savings, or the whole instance. */
function savingsOf(r: ReturnType<typeof recommendation>): number {
  const detail =
    'ModifyRecommendationDetail' in r
      ? r.ModifyRecommendationDetail.TargetInstances[0].EstimatedMonthlySavings
      : r.TerminateRecommendationDetail.EstimatedMonthlySavings;
  return Number(detail);
}

/** Whether an instance matches the request's `Filter` (its tags, or none for any). */
function matchesFilter(i: SeededInstance, filter: unknown): boolean {
  if (filter === undefined) return true;
  const tags = (filter as { Tags?: { Key?: unknown; Values?: unknown } }).Tags;
  if (!tags || typeof tags.Key !== 'string' || !Array.isArray(tags.Values)) {
    throw validationError(
      'Filter: this sandbox filters rightsizing recommendations by Tags {Key, Values} only',
    );
  }
  const values: Record<string, string> = {
    service: i.service,
    component: 'kubernetes-compute',
  };
  return tags.Values.includes(values[tags.Key]);
}

/**
 * `GetRightsizingRecommendation` for EC2 (`Service: AmazonEC2`, the only one AWS serves): the
 * seeded oversized and idle instances of the portfolio's services, with their monthly savings,
 * paged by `PageSize` and `NextPageToken`.
 */
export function getRightsizingRecommendation(
  ledger: CostLedger,
  body: Record<string, unknown>,
) {
  if (body.Service !== 'AmazonEC2') {
    throw validationError('Service must be AmazonEC2');
  }
  const size = body.PageSize === undefined ? 100 : Number(body.PageSize);
  if (!Number.isInteger(size) || size < 1 || size > 100000) {
    throw validationError('PageSize must be a positive whole number');
  }
  const found = SEEDED.filter(
    i => ledger.services.includes(i.service) && matchesFilter(i, body.Filter),
  ).map(recommendation);
  const offset = pageOffset(body);
  const savings = found.reduce((sum, r) => sum + savingsOf(r), 0);
  const spend = found.reduce(
    (sum, r) => sum + Number(r.CurrentInstance.MonthlyCost),
    0,
  );
  const configuration = (body.Configuration as object | undefined) ?? {
    RecommendationTarget: 'SAME_INSTANCE_FAMILY',
    BenefitsConsidered: true,
  };
  return {
    Metadata: {
      RecommendationId: uuidFrom(`aws-rightsizing:${ledger.calendar.end}`),
      GenerationTimestamp: `${ledger.calendar.end}T06:00:00Z`,
      LookbackPeriodInDays: 'FOURTEEN_DAYS',
      AdditionalMetadata: '',
    },
    Summary: {
      TotalRecommendationCount: String(found.length),
      EstimatedTotalMonthlySavingsAmount: money(savings),
      SavingsCurrencyCode: 'USD',
      SavingsPercentage: spend ? money((savings / spend) * 100) : '0',
    },
    RightsizingRecommendations: found.slice(offset, offset + size),
    Configuration: configuration,
    ...(offset + size < found.length
      ? { NextPageToken: nextPageToken(body, offset + size) }
      : {}),
  };
}
