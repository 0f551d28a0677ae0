import {
  CostExplorerClient as SdkCostExplorerClient,
  GetCostAndUsageCommand,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
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
      `The AWS credentials may not read Cost Explorer (${name}) while reading ${what}: the IAM policy needs ce:GetCostAndUsage`,
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

  /** Closes the SDK's connections. */
  destroy(): void {
    this.sdk.destroy();
  }
}
