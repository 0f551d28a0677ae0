import express, { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';
import {
  getAnomalies,
  getAnomalyMonitors,
  provideAnomalyFeedback,
} from './anomalies';
import { getCostAndUsage } from './costAndUsage';
import { CostLedger } from './costLedger';
import { AwsError } from './errors';
import { getCostForecast } from './forecast';
import { getRightsizingRecommendation } from './rightsizing';
import { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, verifySigV4 } from './sigv4';

const TARGET_PREFIX = 'AWSInsightsIndexService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

type Operation = (ledger: CostLedger, body: Record<string, unknown>) => unknown;

const OPERATIONS: Record<string, Operation> = {
  GetCostAndUsage: getCostAndUsage,
  GetCostForecast: getCostForecast,
  GetAnomalies: getAnomalies,
  GetAnomalyMonitors: getAnomalyMonitors,
  ProvideAnomalyFeedback: provideAnomalyFeedback,
  GetRightsizingRecommendation: getRightsizingRecommendation,
};

function send(res: Response, status: number, body: unknown): void {
  res
    .status(status)
    .set('Content-Type', CONTENT_TYPE)
    .set('x-amzn-RequestId', randomUUID())
    // A Buffer, so Express adds no charset: AWS sends the bare media type.
    .send(Buffer.from(JSON.stringify(body)));
}

function parseBody(raw: Buffer): Record<string, unknown> {
  let body: unknown;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Request body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AwsError(
      'SerializationException',
      'Request body must be an object',
    );
  }
  return body as Record<string, unknown>;
}

/** One call: signature first (as AWS checks it before reading anything), then the operation. */
function handle(ledger: CostLedger, req: Request): unknown {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  verifySigV4(
    {
      method: req.method,
      url: req.originalUrl,
      headers: req.headers,
      body: raw,
    },
    { [AWS_ACCESS_KEY_ID]: AWS_SECRET_ACCESS_KEY },
  );
  const target = req.get('x-amz-target') ?? '';
  const operation = target.startsWith(TARGET_PREFIX)
    ? OPERATIONS[target.slice(TARGET_PREFIX.length)]
    : undefined;
  if (!operation) {
    throw new AwsError(
      'UnknownOperationException',
      `Unknown operation ${target || '(no X-Amz-Target)'}`,
    );
  }
  if (!req.is(CONTENT_TYPE)) {
    throw new AwsError(
      'SerializationException',
      `Content-Type must be ${CONTENT_TYPE}`,
    );
  }
  return operation(ledger, parseBody(raw));
}

/**
 * AWS Cost Explorer over its JSON 1.1 protocol (`POST /`, `X-Amz-Target:
 * AWSInsightsIndexService.<Operation>`), SigV4-signed with the sandbox's access key, serving 13
 * months of daily costs of every service of the portfolio by component, with the seeded anomaly.
 */
export function createAwsApp(ctx: UpstreamContext): express.Express {
  const app = upstreamApp(ctx, 'aws', {
    error: (status, message) => ({
      // Cost Explorer throttles with a 400 LimitExceededException, not a 429.
      status: status === 429 ? 400 : status,
      body:
        status === 429
          ? new AwsError('LimitExceededException', 'Rate exceeded').body()
          : new AwsError('InternalServerError', message, status).body(),
    }),
    malformed: '{"ResultsByTime":[{"TimePeriod":',
  });
  const ledger = new CostLedger(
    ctx.portfolio.primary.service.world.now,
    ctx.portfolio.services.map(s => s.service.name),
  );
  app.post('/', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    try {
      send(res, 200, handle(ledger, req));
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      send(res, e.status, e.body());
    }
  });
  app.use((_req, res) => {
    send(
      res,
      404,
      new AwsError(
        'UnknownOperationException',
        'Cost Explorer answers POST / only',
        404,
      ).body(),
    );
  });
  return app;
}

export const awsUpstream: UpstreamModule = {
  source: 'aws',
  portOption: 'awsPort',
  tls: false,
  createApp: createAwsApp,
};
