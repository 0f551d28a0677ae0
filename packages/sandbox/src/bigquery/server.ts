import express, { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  receivedBody,
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';
import { BillingExport } from './billingExport';
import {
  bytesProcessed,
  DATASET_LOCATION,
  parseBillingQuery,
  RESULT_SCHEMA,
  ResultRow,
  runBillingQuery,
} from './billingQuery';
import { BigQueryError, invalid } from './errors';

/** The OAuth access token the portal presents in the sandbox (Google's would come from ADC). */
export const BIGQUERY_TOKEN = 'sandbox-gcp-access-token';

/** A query over more days than this does not finish within jobs.query's wait. */
const QUICK_QUERY_DAYS = 31;

interface QueryJob {
  projectId: string;
  jobId: string;
  rows: ResultRow[];
  bytes: { processed: number; billed: number };
}

function authenticate(req: Request): void {
  const header = req.get('authorization');
  if (!header) {
    throw new BigQueryError(
      401,
      'required',
      'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      { location: 'Authorization', locationType: 'header' },
    );
  }
  if (header !== `Bearer ${BIGQUERY_TOKEN}`) {
    throw new BigQueryError(
      401,
      'authError',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      { location: 'Authorization', locationType: 'header' },
    );
  }
}

/** Page tokens name their job and offset, so one job's token fails on another. */
function pageToken(job: QueryJob, offset: number): string {
  return Buffer.from(`${job.jobId}:${offset}`).toString('base64url');
}

function pageOffset(job: QueryJob, token: unknown): number {
  if (token === undefined) return 0;
  const [jobId, offset] = Buffer.from(String(token), 'base64url')
    .toString('utf8')
    .split(':');
  const n = Number(offset);
  if (jobId !== job.jobId || !Number.isInteger(n) || n < 0) {
    throw invalid(`Invalid page token: ${String(token)}`);
  }
  return n;
}

function page(job: QueryJob, offset: number, maxResults: unknown) {
  const size =
    maxResults === undefined
      ? job.rows.length
      : Math.max(1, Number(maxResults));
  const end = offset + size;
  return {
    schema: RESULT_SCHEMA,
    jobReference: {
      projectId: job.projectId,
      jobId: job.jobId,
      location: DATASET_LOCATION,
    },
    totalRows: String(job.rows.length),
    ...(end < job.rows.length && { pageToken: pageToken(job, end) }),
    rows: job.rows.slice(offset, end),
    totalBytesProcessed: String(job.bytes.processed),
    jobComplete: true,
    cacheHit: false,
  };
}

function body(req: Request): Record<string, unknown> {
  const value: unknown = req.body;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('Request body must be a JSON object (QueryRequest)');
  }
  return value as Record<string, unknown>;
}

/**
 * BigQuery's REST API as far as the billing export needs it: `jobs.query` (`POST
 * /bigquery/v2/projects/{projectId}/queries`) and `jobs.getQueryResults` (`GET
 * .../queries/{jobId}`), with an OAuth bearer token, over the sandbox's standard billing export
 * (13 months of every portfolio service). A query over more than a month is not complete on the
 * first call; rows come in `{f: [{v}]}` pages of `maxResults`; `maximumBytesBilled` below what the
 * query would bill fails it as BigQuery does.
 */
export function createBigQueryApp(ctx: UpstreamContext): express.Express {
  const app = upstreamApp(
    ctx,
    'bigquery',
    {
      error: (status, message) => ({
        body: new BigQueryError(
          status,
          status === 429 ? 'rateLimitExceeded' : 'backendError',
          message,
        ).body(),
      }),
      malformed: '{"kind":"bigquery#queryResponse","rows":[{"f":[{"v":',
    },
    undefined,
    express.json({ type: () => true, limit: '1mb' }),
  );
  app.use(receivedBody);
  const ledger = new BillingExport(
    ctx.portfolio.primary.service.world.now,
    ctx.portfolio.services.map(s => s.service.name),
  );
  const jobs = new Map<string, QueryJob>();
  const byRequestId = new Map<string, QueryJob>();

  app.post('/bigquery/v2/projects/:projectId/queries', (req, res) => {
    authenticate(req);
    const request = body(req);
    const requestId =
      typeof request.requestId === 'string' ? request.requestId : undefined;
    let job = requestId ? byRequestId.get(requestId) : undefined;
    if (!job) {
      const location =
        typeof request.location === 'string' ? request.location : undefined;
      const q = parseBillingQuery(request, location);
      const bytes = bytesProcessed(ledger, q.from);
      if (
        q.maximumBytesBilled !== undefined &&
        bytes.billed > q.maximumBytesBilled
      ) {
        throw new BigQueryError(
          400,
          'bytesBilledLimitExceeded',
          `Query exceeded limit for bytes billed: ${q.maximumBytesBilled}. ${bytes.billed} or higher required.`,
        );
      }
      job = {
        projectId: req.params.projectId,
        jobId: `job_${randomUUID().replace(/-/g, '')}`,
        rows: runBillingQuery(ledger, q),
        bytes,
      };
      jobs.set(job.jobId, job);
      if (requestId) byRequestId.set(requestId, job);
      const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
      if (days > QUICK_QUERY_DAYS) {
        res.json({
          kind: 'bigquery#queryResponse',
          jobReference: {
            projectId: job.projectId,
            jobId: job.jobId,
            location: DATASET_LOCATION,
          },
          jobComplete: false,
        });
        return;
      }
    }
    res.json({
      kind: 'bigquery#queryResponse',
      ...page(job, 0, request.maxResults),
    });
  });

  app.get('/bigquery/v2/projects/:projectId/queries/:jobId', (req, res) => {
    authenticate(req);
    const job = jobs.get(req.params.jobId);
    if (!job || job.projectId !== req.params.projectId) {
      throw new BigQueryError(
        404,
        'notFound',
        `Not found: Job ${req.params.projectId}:${DATASET_LOCATION}.${req.params.jobId}`,
      );
    }
    const offset =
      req.query.startIndex !== undefined
        ? Number(req.query.startIndex)
        : pageOffset(job, req.query.pageToken);
    res.json({
      kind: 'bigquery#getQueryResultsResponse',
      etag: `"${job.jobId}:${offset}"`,
      ...page(job, offset, req.query.maxResults),
    });
  });

  app.use((_req, _res, next) => {
    next(
      new BigQueryError(
        404,
        'notFound',
        'The sandbox serves jobs.query and jobs.getQueryResults only',
      ),
    );
  });
  app.use(
    (
      error: unknown,
      _req: Request,
      res: Response,
      _next: express.NextFunction,
    ) => {
      let e = new BigQueryError(500, 'backendError', 'Internal error');
      if (error instanceof BigQueryError) e = error;
      else if ((error as { type?: string }).type === 'entity.parse.failed') {
        e = invalid('Parse error: the request body is not JSON');
      }
      res.status(e.status).json(e.body());
    },
  );
  return app;
}

export const bigqueryUpstream: UpstreamModule = {
  source: 'bigquery',
  portOption: 'bigqueryPort',
  tls: false,
  createApp: createBigQueryApp,
};
