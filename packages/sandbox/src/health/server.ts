import express, { NextFunction, Request, Response } from 'express';
import { ObservabilityData } from '../observability/types';
import {
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';

type Health = ObservabilityData['health'];

function overallStatus(health: Health): string {
  const all = Object.values(health.components);
  if (all.every(c => c.status === 'healthy')) return 'healthy';
  if (all.some(c => c.status === 'unhealthy')) return 'unhealthy';
  return 'degraded';
}

/**
 * Each service's `/health`, `/health/ready` and `/health/live` (shape from the readiness plan):
 * the Lexecon API's at `/health`, the others' at `/<service>/health`.
 */
export function createHealthApp(ctx: UpstreamContext): express.Express {
  const { portfolio, clock } = ctx;
  const app = upstreamApp(ctx, 'health', {
    error: (_status, message) => ({
      body: { status: 'unhealthy', error: message },
    }),
    malformed: '{"status":"healthy","components":{"database":{"sta',
  });
  const endpoints: Array<[string, (res: Response, health: Health) => void]> = [
    [
      '',
      (res, health) => {
        const status = overallStatus(health);
        res.status(status === 'unhealthy' ? 503 : 200).json({
          status,
          components: health.components,
          uptime_seconds: Math.floor((clock() - health.startedAt) / 1000),
          timestamp: new Date(clock()).toISOString(),
        });
      },
    ],
    [
      '/ready',
      (res, health) => {
        const ready = Object.values(health.components).every(
          c => c.status !== 'unhealthy',
        );
        res.status(ready ? 200 : 503).json({ ready });
      },
    ],
    ['/live', res => res.json({ alive: true })],
  ];
  app.get('*', (req: Request, res: Response, next: NextFunction) => {
    const path = req.path.replace(/(.)\/+$/, '$1');
    for (const [suffix, answer] of endpoints) {
      if (!path.endsWith(suffix)) continue;
      const service = portfolio.health(
        path.slice(0, path.length - suffix.length),
      );
      if (service) {
        answer(res, service.health);
        return;
      }
    }
    next();
  });
  app.use((_req, res) => {
    res.status(404).json({ detail: 'Not Found' });
  });
  return app;
}

export const healthUpstream: UpstreamModule = {
  source: 'health',
  portOption: 'healthPort',
  tls: false,
  createApp: createHealthApp,
};
