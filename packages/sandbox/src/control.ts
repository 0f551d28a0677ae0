import express, { NextFunction, Request, Response } from 'express';
import {
  FaultState,
  FaultValidationError,
  RequestLog,
  SOURCES,
  SourceName,
  validateFaultRules,
} from './faults';

/** The JSON control API (not logged, no faults). */
export function createControlApp(opts: {
  faults: FaultState;
  log: RequestLog;
  info: () => Record<string, unknown>;
}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', ...opts.info() });
  });
  app.get('/faults', (_req, res) => {
    res.json(opts.faults.list());
  });
  app.put('/faults', (req, res) => {
    try {
      const rules = validateFaultRules(req.body);
      opts.faults.set(rules);
      res.json(opts.faults.list());
    } catch (e) {
      if (e instanceof FaultValidationError) {
        res.status(400).json({ message: e.message });
        return;
      }
      throw e;
    }
  });
  app.delete('/faults', (_req, res) => {
    opts.faults.clear();
    res.status(204).end();
  });
  app.get('/requests', (_req, res) => {
    const requests = opts.log.list();
    const counts = Object.fromEntries(SOURCES.map(s => [s, 0])) as Record<
      SourceName,
      number
    >;
    for (const r of requests) counts[r.source] += 1;
    res.json({ total: requests.length, counts, requests });
  });
  app.delete('/requests', (_req, res) => {
    opts.log.clear();
    res.status(204).end();
  });
  app.use((_req, res) => {
    res.status(404).json({ message: 'Not Found' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const parseError =
      typeof err === 'object' &&
      err !== null &&
      'type' in err &&
      err.type === 'entity.parse.failed';
    res
      .status(parseError ? 400 : 500)
      .json({ message: parseError ? 'body is not valid JSON' : String(err) });
  });
  return app;
}
