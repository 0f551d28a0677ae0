import {
  CostExplorerClient as SdkCostExplorerClient,
  GetAnomaliesCommand,
  GetCostAndUsageCommand,
  GetRightsizingRecommendationCommand,
  ProvideAnomalyFeedbackCommand,
  type Anomaly,
  type ResultByTime,
  type RightsizingRecommendation,
} from '@aws-sdk/client-cost-explorer';
import {
  AwsAnomalyFeedback,
  AwsCostAnomaly,
  AwsRightsizingRecommendation,
} from '@internal/plugin-lexecon-common';
import { isConnectionError, isTimeoutError } from '../http/timeoutFetch';

/**
 * Cost Explorer has one endpoint, in us-east-1, whatever region the resources are in (China's
 * partition has its own, in cn-northwest-1).
 */
export const COST_EXPLORER_REGION = 'us-east-1';
const METRIC = 'UnblendedCost';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface CostExplorerOptions {
  /** An IAM access key; omitted, the SDK's default provider chain (environment, profile, role). */
  credentials?: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  };
  /** Another endpoint than AWS's own (the sandbox's). */
  endpoint?: string;
  /** The region requests are signed for; default us-east-1. */
  region?: string;
  /** Attempts per request, throttled ones included; the SDK's default is 3. */
  maxAttempts?: number;
  /** The cost allocation tags naming the service and the component; default `service`, `component`. */
  tags?: { service: string; component: string };
}

/** One component's cost on one day, as Cost Explorer bills it. */
export interface DailyComponentCost {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** The component tag's value; null for resources without the tag. */
  component: string | null;
  amount: number;
  unit: string;
  /** Cost Explorer may still revise this day's amount. */
  estimated: boolean;
}

/** One billed page of a daily read: the days it covers (with or without cost) and their rows. */
export interface DailyCostPage {
  days: Array<{ day: string; estimated: boolean }>;
  rows: DailyComponentCost[];
  /** Another page follows. */
  more: boolean;
}

export interface DailyCosts {
  rows: DailyComponentCost[];
  /** Requests made (each page is billed $0.01). */
  requests: number;
}

export type CostExplorerFailure =
  | 'throttled'
  | 'data-unavailable'
  | 'credentials'
  | 'access-denied'
  | 'unreachable'
  | 'failed';

/** A failed read in words a person can act on; never the credentials, never AWS's own text. */
export class CostExplorerError extends Error {
  constructor(readonly reason: CostExplorerFailure, message: string) {
    super(message);
    this.name = 'CostExplorerError';
  }
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);

function describeFailure(
  error: unknown,
  what: string,
  endpoint: string,
  iamAction = 'ce:GetCostAndUsage',
): CostExplorerError {
  const name = error instanceof Error ? error.name : 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } })
    ?.$metadata?.httpStatusCode;
  if (name === 'LimitExceededException' || name === 'ThrottlingException') {
    return new CostExplorerError(
      'throttled',
      `AWS Cost Explorer is throttling requests (${name}) while reading ${what}: the next scheduled run tries again`,
    );
  }
  if (
    name === 'DataUnavailableException' ||
    name === 'BillExpirationException'
  ) {
    return new CostExplorerError(
      'data-unavailable',
      `AWS Cost Explorer has no cost data for ${what} (${name}): it keeps 13 months, and a new account or a newly activated cost allocation tag takes up to 24 hours to appear`,
    );
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new CostExplorerError(
      'credentials',
      `AWS rejected the Cost Explorer credentials (${name}) while reading ${what}: check the access key ID and secret access key configured for Cost Explorer (or the default credential chain)`,
    );
  }
  if (name === 'AccessDeniedException') {
    return new CostExplorerError(
      'access-denied',
      `The AWS credentials may not read Cost Explorer (${name}) while reading ${what}: the IAM policy needs ${iamAction}`,
    );
  }
  if (isConnectionError(error) || isTimeoutError(error)) {
    return new CostExplorerError(
      'unreachable',
      `AWS Cost Explorer could not be reached at ${endpoint} while reading ${what}`,
    );
  }
  return new CostExplorerError(
    'failed',
    `AWS Cost Explorer failed (${name}${
      status ? `, HTTP ${status}` : ''
    }) while reading ${what}`,
  );
}

function rowsOf(
  result: ResultByTime,
  componentTag: string,
): DailyComponentCost[] {
  const day = result.TimePeriod?.Start ?? '';
  return (result.Groups ?? []).map(group => {
    const [key = ''] = group.Keys ?? [];
    const value = key.startsWith(`${componentTag}$`)
      ? key.slice(componentTag.length + 1)
      : key;
    const metric = group.Metrics?.[METRIC];
    const amount = Number(metric?.Amount);
    if (!metric?.Amount || !Number.isFinite(amount)) {
      throw new CostExplorerError(
        'failed',
        `AWS Cost Explorer returned no ${METRIC} amount for ${day}`,
      );
    }
    return {
      day,
      component: value === '' ? null : value,
      amount,
      unit: metric.Unit ?? 'USD',
      estimated: result.Estimated === true,
    };
  });
}

/** An anomaly as AWS reports it, before it is mapped to one of a service's components. */
export type AwsAnomalyReport = Omit<AwsCostAnomaly, 'component'>;

/** One billed page of a paged read, and whether another follows. */
export interface CostExplorerPage<T> {
  items: T[];
  more: boolean;
}

const FEEDBACK = new Set<string>(['YES', 'NO', 'PLANNED_ACTIVITY']);

function anomalyOf(a: Anomaly): AwsAnomalyReport {
  return {
    anomalyId: a.AnomalyId ?? '',
    start: (a.AnomalyStartDate ?? '').slice(0, 10),
    ...(a.AnomalyEndDate && { end: a.AnomalyEndDate.slice(0, 10) }),
    impact: a.Impact?.TotalImpact ?? 0,
    actual: a.Impact?.TotalActualSpend,
    expected: a.Impact?.TotalExpectedSpend,
    maxScore: a.AnomalyScore?.MaxScore,
    rootCauses: (a.RootCauses ?? []).map(c => ({
      service: c.Service,
      region: c.Region,
      linkedAccount: c.LinkedAccount,
      usageType: c.UsageType,
      contribution: c.Impact?.Contribution,
    })),
    ...(a.Feedback &&
      FEEDBACK.has(a.Feedback) && {
        feedback: a.Feedback as AwsAnomalyFeedback,
      }),
  };
}

const amountOf = (value: string | undefined) => Number(value ?? 0);

function recommendationOf(
  r: RightsizingRecommendation,
  tags: { service: string; component: string },
): AwsRightsizingRecommendation {
  const current = r.CurrentInstance;
  const tagValues = (key: string) =>
    current?.Tags?.find(t => t.Key === key)?.Values ?? [];
  const component = tagValues(tags.component)[0];
  const services = tagValues(tags.service);
  const target =
    r.ModifyRecommendationDetail?.TargetInstances?.find(
      t => t.DefaultTargetInstance,
    ) ?? r.ModifyRecommendationDetail?.TargetInstances?.[0];
  const terminate = r.RightsizingType === 'TERMINATE';
  const maxCpu =
    current?.ResourceUtilization?.EC2ResourceUtilization
      ?.MaxCpuUtilizationPercentage;
  return {
    resourceId: current?.ResourceId ?? '',
    instanceName: current?.InstanceName || undefined,
    ...(component ? { component } : {}),
    ...(services.length ? { services } : {}),
    action: terminate ? 'terminate' : 'modify',
    currentType: current?.ResourceDetails?.EC2ResourceDetails?.InstanceType,
    targetType: terminate
      ? undefined
      : target?.ResourceDetails?.EC2ResourceDetails?.InstanceType,
    monthlyCost: amountOf(current?.MonthlyCost),
    monthlySavings: amountOf(
      terminate
        ? r.TerminateRecommendationDetail?.EstimatedMonthlySavings
        : target?.EstimatedMonthlySavings,
    ),
    currency: current?.CurrencyCode ?? 'USD',
    maxCpuPercent: maxCpu === undefined ? undefined : Number(maxCpu),
    findings: r.FindingReasonCodes ?? [],
  };
}

/**
 * The portal's reader of AWS Cost Explorer: daily unblended cost of one service (its `service`
 * cost allocation tag) per component (its `component` tag), every page read.
 */
export class CostExplorerClient {
  private readonly sdk: SdkCostExplorerClient;
  private readonly endpointName: string;
  private readonly tags: { service: string; component: string };

  constructor(options: CostExplorerOptions = {}) {
    this.sdk = new SdkCostExplorerClient({
      region: options.region ?? COST_EXPLORER_REGION,
      credentials: options.credentials,
      endpoint: options.endpoint,
      maxAttempts: options.maxAttempts,
    });
    this.endpointName = options.endpoint
      ? new URL(options.endpoint).host
      : `ce.${options.region ?? COST_EXPLORER_REGION}.amazonaws.com`;
    this.tags = options.tags ?? { service: 'service', component: 'component' };
  }

  /**
   * Daily cost per component of the service (any of its tag values) from `from` up to, not
   * including, `to` (both `YYYY-MM-DD`, as Cost Explorer's `End` is exclusive), oldest first.
   */
  async dailyCostByComponent(
    service: string | readonly string[],
    from: string,
    to: string,
  ): Promise<DailyCosts> {
    const rows: DailyComponentCost[] = [];
    let requests = 0;
    for await (const page of this.dailyCostPages(service, from, to)) {
      requests++;
      rows.push(...page.rows);
    }
    return { rows, requests };
  }

  /**
   * The same read one page (one billed request) at a time, so that a caller can stop between
   * pages (a request budget) and keep what the pages before brought.
   */
  async *dailyCostPages(
    service: string | readonly string[],
    from: string,
    to: string,
  ): AsyncGenerator<DailyCostPage> {
    if (!DATE.test(from) || !DATE.test(to) || from >= to) {
      throw new RangeError(
        `Cost Explorer periods run from a date to a later one (YYYY-MM-DD), got ${from} to ${to}`,
      );
    }
    const values = typeof service === 'string' ? [service] : [...service];
    const what = `the daily costs of ${values.join(
      ', ',
    )} from ${from} to ${to} (exclusive)`;
    let token: string | undefined;
    do {
      const page = await this.sdk
        .send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: from, End: to },
            Granularity: 'DAILY',
            Metrics: [METRIC],
            Filter: {
              Tags: {
                Key: this.tags.service,
                Values: values,
                MatchOptions: ['EQUALS'],
              },
            },
            GroupBy: [{ Type: 'TAG', Key: this.tags.component }],
            NextPageToken: token,
          }),
        )
        .catch(error => {
          throw describeFailure(error, what, this.endpointName);
        });
      const results = page.ResultsByTime ?? [];
      yield {
        days: results.map(r => ({
          day: r.TimePeriod?.Start ?? '',
          estimated: r.Estimated === true,
        })),
        rows: results.flatMap(r => rowsOf(r, this.tags.component)),
        more: Boolean(page.NextPageToken),
      };
      token = page.NextPageToken;
    } while (token);
  }

  /**
   * The account's anomalies ending from `from` to `to` (inclusive, as `DateInterval` is), one
   * billed page at a time. Cost Anomaly Detection watches the whole account, not one tag.
   */
  anomalyPages(
    from: string,
    to: string,
  ): AsyncGenerator<CostExplorerPage<AwsAnomalyReport>> {
    return this.pages(
      `the cost anomalies ending from ${from} to ${to}`,
      'ce:GetAnomalies',
      async NextPageToken => {
        const page = await this.sdk.send(
          new GetAnomaliesCommand({
            DateInterval: { StartDate: from, EndDate: to },
            NextPageToken,
          }),
        );
        return {
          items: (page.Anomalies ?? []).map(anomalyOf),
          token: page.NextPageToken,
        };
      },
    );
  }

  /**
   * EC2 rightsizing recommendations for the service's instances (its service tag), or, without
   * `service`, for every instance of the account, each with its service tag's values.
   */
  rightsizingPages(
    service?: string | readonly string[],
  ): AsyncGenerator<CostExplorerPage<AwsRightsizingRecommendation>> {
    const values = service === undefined ? undefined : [service].flat();
    return this.pages(
      values
        ? `the rightsizing recommendations of ${values.join(', ')}`
        : "the account's rightsizing recommendations",
      'ce:GetRightsizingRecommendation',
      async NextPageToken => {
        const page = await this.sdk.send(
          new GetRightsizingRecommendationCommand({
            Service: 'AmazonEC2',
            ...(values && {
              Filter: {
                Tags: {
                  Key: this.tags.service,
                  Values: values,
                  MatchOptions: ['EQUALS'],
                },
              },
            }),
            NextPageToken,
          }),
        );
        return {
          items: (page.RightsizingRecommendations ?? []).map(r =>
            recommendationOf(r, this.tags),
          ),
          token: page.NextPageToken,
        };
      },
    );
  }

  /** Tells AWS whether an anomaly it reported was a real problem (`ProvideAnomalyFeedback`). */
  async provideAnomalyFeedback(
    anomalyId: string,
    feedback: AwsAnomalyFeedback,
  ): Promise<void> {
    await this.sdk
      .send(
        new ProvideAnomalyFeedbackCommand({
          AnomalyId: anomalyId,
          Feedback: feedback,
        }),
      )
      .catch(error => {
        throw describeFailure(
          error,
          `feedback on anomaly ${anomalyId}`,
          this.endpointName,
          'ce:ProvideAnomalyFeedback',
        );
      });
  }

  private async *pages<T>(
    what: string,
    iamAction: string,
    send: (token?: string) => Promise<{ items: T[]; token?: string }>,
  ): AsyncGenerator<CostExplorerPage<T>> {
    let token: string | undefined;
    do {
      const page = await send(token).catch(error => {
        throw describeFailure(error, what, this.endpointName, iamAction);
      });
      yield { items: page.items, more: Boolean(page.token) };
      token = page.token;
    } while (token);
  }

  /** Closes the SDK's connections. */
  destroy(): void {
    this.sdk.destroy();
  }
}
