import {
  HealthComponent,
  ServiceHealth,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../../EntityTarget';
import {
  OutboundRefusedError,
  requestAllowedHost,
  Resolve,
  ResponseTooLargeError,
} from '../http/allowedHostRequest';
import { HostAllowList } from '../http/HostAllowList';
import {
  NotConfigured,
  SnapshotSource,
  UpstreamError,
  annotationMissing,
} from '../types';

export const HEALTH_ALLOWED_HOSTS_KEY = 'lexecon.health.allowedHosts';

/** A health document is a few components; anything much larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;
/** `/health` → `/health/` and the like; more than that is not a health endpoint. */
const MAX_REDIRECTS = 2;

interface HealthBody {
  status?: unknown;
  components?: Record<string, { status?: unknown; latency_ms?: unknown }>;
  uptime_seconds?: unknown;
}

/**
 * The service's own `/health` (components and their latency) plus `/health/ready` and
 * `/health/live`. A 503 from `/health` still carries the component states, so it is data, not an
 * error; only an unreachable or garbled endpoint fails the fetch. The URL comes from an
 * annotation anyone registering an entity can write, so it is read only on the hosts of
 * `lexecon.health.allowedHosts` (see requestAllowedHost), and failures say nothing of what
 * answered beyond the status.
 */
export class ServiceHealthSource implements SnapshotSource<ServiceHealth> {
  readonly id = 'health' as const;

  constructor(
    private readonly options: {
      timeoutMs: number;
      allowedHosts: HostAllowList;
      now?: () => Date;
      /** Injected in tests to resolve names without DNS. */
      resolve?: Resolve;
    },
  ) {}

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.health) return annotationMissing('health');
    return undefined;
  }

  async fetch(target: EntityTarget): Promise<ServiceHealth> {
    const url = target.health!.url.replace(/\/+$/, '');
    const call = async (path: string, statusOnly: boolean) => {
      const signal = AbortSignal.timeout(this.options.timeoutMs);
      try {
        return await requestAllowedHost(new URL(`${url}${path}`), {
          allowList: this.options.allowedHosts,
          allowListKey: HEALTH_ALLOWED_HOSTS_KEY,
          signal,
          maxBytes: MAX_BODY_BYTES,
          maxRedirects: MAX_REDIRECTS,
          statusOnly,
          resolve: this.options.resolve,
        });
      } catch (error) {
        throw new UpstreamError(
          'health',
          this.describeFailure(url, error, signal.aborted),
        );
      }
    };
    const [health, ready, live] = await Promise.all([
      call('', false),
      call('/ready', true),
      call('/live', true),
    ]);
    let body: HealthBody;
    try {
      body = JSON.parse(health.body) as HealthBody;
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
      ready: isOk(ready.status),
      live: isOk(live.status),
      uptimeSeconds:
        typeof body.uptime_seconds === 'number'
          ? body.uptime_seconds
          : undefined,
      checkedAt: (this.options.now?.() ?? new Date()).toISOString(),
      components,
    };
  }

  /** What went wrong, without the network error's detail (it tells what listens where). */
  private describeFailure(
    url: string,
    error: unknown,
    timedOut: boolean,
  ): string {
    if (
      error instanceof OutboundRefusedError ||
      error instanceof ResponseTooLargeError
    ) {
      return `The health endpoint ${url} was not read: ${error.message}`;
    }
    if (timedOut) {
      return `The health endpoint ${url} did not answer within ${this.options.timeoutMs} ms`;
    }
    return `The health endpoint ${url} could not be reached`;
  }
}

function isOk(status: number) {
  return status >= 200 && status < 300;
}
