import express, { Response } from 'express';
import { FaultState, RequestLog, faultMiddleware } from '../faults';
import { ObservabilityWorld } from '../observability/seed';

export interface HealthServerOptions {
  observability: ObservabilityWorld;
  faults: FaultState;
  log: RequestLog;
  held: Set<Response>;
  /** Sandbox clock in ms. */
  clock: () => number;
}

/** Lexecon's own `/health`, `/health/ready` and `/health/live` (shape from the readiness plan). */
export function createHealthApp(opts: HealthServerOptions): express.Express {
  const { health } = opts.observability;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    faultMiddleware({
      source: 'health',
      faults: opts.faults,
      log: opts.log,
      held: opts.held,
      bodies: {
        error: (_status, message) => ({
          body: { status: 'unhealthy', error: message },
        }),
        malformed: '{"status":"healthy","components":{"database":{"sta',
      },
    }),
  );
  const components = () => Object.values(health.components);

  app.get('/health', (_req, res) => {
    const all = components();
    let status = 'degraded';
    if (all.every(c => c.status === 'healthy')) status = 'healthy';
    else if (all.some(c => c.status === 'unhealthy')) status = 'unhealthy';
    res.status(status === 'unhealthy' ? 503 : 200).json({
      status,
      components: health.components,
      uptime_seconds: Math.floor((opts.clock() - health.startedAt) / 1000),
      timestamp: new Date(opts.clock()).toISOString(),
    });
  });
  app.get('/health/ready', (_req, res) => {
    const ready = components().every(c => c.status !== 'unhealthy');
    res.status(ready ? 200 : 503).json({ ready });
  });
  app.get('/health/live', (_req, res) => {
    res.json({ alive: true });
  });
  app.use((_req, res) => {
    res.status(404).json({ detail: 'Not Found' });
  });
  return app;
}
