import express, { Response } from 'express';
import {
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';
import { OpenCostError, parseAllocationQuery } from './allocationQuery';
import { allocationSets } from './allocationSets';
import { AllocationLedger } from './workloads';

/** Go's `http.Error`: the message as plain text with a newline. */
function goError(res: Response, status: number, message: string): void {
  res
    .status(status)
    .set('Content-Type', 'text/plain; charset=utf-8')
    .set('X-Content-Type-Options', 'nosniff')
    .send(`${message}\n`);
}

function query(raw: express.Request['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/**
 * OpenCost's allocation API (`GET /allocation`, also `/allocation/compute`), unauthenticated as
 * OpenCost is: 13 months of the portfolio's namespaces and workloads with list-price costs,
 * efficiency, `__idle__` and `__unallocated__`.
 */
export function createOpenCostApp(ctx: UpstreamContext): express.Express {
  const app = upstreamApp(ctx, 'opencost', {
    error: (_status, message) => ({ body: `${message}\n` }),
    malformed: '{"code":200,"status":"success","data":[{"lexecon-',
  });
  const ledger = new AllocationLedger(ctx.portfolio);
  app.get(['/allocation', '/allocation/compute'], (req, res) => {
    try {
      const q = parseAllocationQuery(query(req.query), ctx.clock());
      res.json({
        code: 200,
        status: 'success',
        data: allocationSets(ledger, q),
      });
    } catch (e) {
      if (!(e instanceof OpenCostError)) throw e;
      goError(res, e.status, e.message);
    }
  });
  app.use((_req, res) => goError(res, 404, '404 page not found'));
  return app;
}

export const opencostUpstream: UpstreamModule = {
  source: 'opencost',
  portOption: 'opencostPort',
  tls: false,
  createApp: createOpenCostApp,
};
