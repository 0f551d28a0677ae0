import {
  HealthComponent,
  ServiceHealth,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../../EntityTarget';
import { createTimeoutFetch } from '../http/timeoutFetch';
import {
  NotConfigured,
  SnapshotSource,
  UpstreamError,
  annotationMissing,
} from '../types';

interface HealthBody {
  status?: unknown;
  components?: Record<string, { status?: unknown; latency_ms?: unknown }>;
  uptime_seconds?: unknown;
}

/**
 * The service's own `/health` (components and their latency) plus `/health/ready` and
 * `/health/live`. A 503 from `/health` still carries the component states, so it is data, not an
 * error; only an unreachable or garbled endpoint fails the fetch.
 */
export class ServiceHealthSource implements SnapshotSource<ServiceHealth> {
  readonly id = 'health' as const;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly options: {
      timeoutMs: number;
      now?: () => Date;
      fetch?: typeof fetch;
    },
  ) {
    this.fetchFn = createTimeoutFetch(options.timeoutMs, options.fetch);
  }

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.health) return annotationMissing('health');
    return undefined;
  }

  async fetch(target: EntityTarget): Promise<ServiceHealth> {
    const url = target.health!.url.replace(/\/+$/, '');
    const call = async (path: string) => {
      try {
        return await this.fetchFn(`${url}${path}`, {
          headers: { Accept: 'application/json' },
        });
      } catch (error) {
        throw new UpstreamError(
          'health',
          `The health endpoint ${url}${path} could not be reached: ${
            (error as Error).message
          }`,
        );
      }
    };
    const [health, ready, live] = await Promise.all([
      call(''),
      call('/ready'),
      call('/live'),
    ]);
    const text = await health.text();
    let body: HealthBody;
    try {
      body = JSON.parse(text) as HealthBody;
    } catch {
      throw new UpstreamError(
        'health',
        `The health endpoint ${url} answered ${health.status} with a body that is not JSON`,
        health.status,
      );
    }
    if (typeof body.status !== 'string') {
      throw new UpstreamError(
        'health',
        `The health endpoint ${url} answered ${health.status} without a status`,
        health.status,
      );
    }
    const components: HealthComponent[] = Object.entries(
      body.components ?? {},
    ).map(([name, c]) => ({
      name,
      status: typeof c?.status === 'string' ? c.status : 'unknown',
      latencyMs: typeof c?.latency_ms === 'number' ? c.latency_ms : undefined,
    }));
    return {
      url,
      status: body.status,
      ready: ready.ok,
      live: live.ok,
      uptimeSeconds:
        typeof body.uptime_seconds === 'number'
          ? body.uptime_seconds
          : undefined,
      checkedAt: (this.options.now?.() ?? new Date()).toISOString(),
      components,
    };
  }
}
