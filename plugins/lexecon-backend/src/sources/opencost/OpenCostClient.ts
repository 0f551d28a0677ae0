import { z } from 'zod';
import { addDays } from '../../cost/calendar';
import { JsonHttpClient } from '../http/JsonHttpClient';
import { UpstreamError } from '../types';

const SOURCE = 'opencost';

/** The fields of an OpenCost allocation the portal reads (its JSON has many more). */
const allocationSchema = z.object({
  name: z.string(),
  window: z.object({ start: z.string(), end: z.string() }),
  start: z.string(),
  end: z.string(),
  cpuCoreRequestAverage: z.number(),
  cpuCoreUsageAverage: z.number(),
  cpuCost: z.number(),
  gpuCost: z.number().optional(),
  ramByteRequestAverage: z.number(),
  ramByteUsageAverage: z.number(),
  ramCost: z.number(),
  pvCost: z.number(),
  networkCost: z.number(),
  loadBalancerCost: z.number().optional(),
  totalCost: z.number(),
});

const responseSchema = z.object({
  code: z.number(),
  data: z.array(z.record(allocationSchema).nullable()),
});

export type Allocation = z.infer<typeof allocationSchema>;

/** One day of allocations: the service's namespaces', and the cluster's with its idle cost. */
export interface AllocationSet {
  /** `YYYY-MM-DD`: the UTC day the step starts on. */
  day: string;
  /** By `<namespace>/<kind>:<controller>` or `<namespace>/__unallocated__`. */
  allocations: Record<string, Allocation>;
  /** By cluster, `__idle__` among them. */
  cluster: Record<string, Allocation>;
}

export interface OpenCostClientOptions {
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** OpenCost answers a bad query with Go's `http.Error`: the reason as plain text. */
function describeStatus(status: number, what: string, body: string): string {
  const reason = body.trim().slice(0, 300);
  if (status === 400) {
    return `OpenCost refused the query for ${what}: ${reason || 'bad request'}`;
  }
  if (status === 404) {
    return `OpenCost has no allocation API at this address (404 for ${what}): check lexecon.opencost.baseUrl`;
  }
  return `OpenCost failed to answer ${what} (HTTP ${status})${
    reason ? `: ${reason}` : ''
  }`;
}

/**
 * OpenCost's allocation API (`GET /allocation`), unauthenticated as OpenCost serves it: daily
 * allocation sets per namespace and controller, with the cluster's idle cost apart.
 */
export class OpenCostClient {
  private readonly http: JsonHttpClient;

  constructor(options: OpenCostClientOptions) {
    this.http = new JsonHttpClient({
      source: SOURCE,
      label: 'OpenCost',
      baseUrl: options.baseUrl,
      headers: {},
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      describeStatus,
      fetch: options.fetch,
      sleep: options.sleep,
    });
  }

  /**
   * One set per UTC day from `from` up to `to` (exclusive): the namespaces' allocations by
   * namespace and controller, and the cluster's (by cluster, `__idle__` unshared) so that each
   * service's share of idle can be worked out and shown apart. Two small queries rather than the
   * whole cluster by controller, whose answer grows with every namespace of the cluster.
   */
  async dailyAllocations(
    from: string,
    to: string,
    namespaces: readonly string[],
  ): Promise<AllocationSet[]> {
    const common = {
      window: `${from}T00:00:00Z,${to}T00:00:00Z`,
      step: '1d',
      shareIdle: 'false',
      accumulate: 'false',
    };
    const workloads = await this.sets(`the allocations from ${from} to ${to}`, {
      ...common,
      aggregate: 'namespace,controller',
      filter: `namespace:${namespaces.map(n => `"${n}"`).join(',')}`,
      idle: 'false',
    });
    const cluster = await this.sets(
      `the cluster's allocations and idle cost from ${from} to ${to}`,
      { ...common, aggregate: 'cluster', idle: 'true' },
    );
    return workloads.map((allocations, i) => {
      const first =
        Object.values(allocations)[0] ?? Object.values(cluster[i] ?? {})[0];
      return {
        // An empty step has no window of its own: steps are whole days from `from`.
        day: first ? first.window.start.slice(0, 10) : addDays(from, i),
        allocations,
        cluster: cluster[i] ?? {},
      };
    });
  }

  private async sets(
    what: string,
    query: Record<string, string>,
  ): Promise<Array<Record<string, Allocation>>> {
    const raw = await this.http.get<unknown>('/allocation', what, query);
    const parsed = responseSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UpstreamError(
        SOURCE,
        `OpenCost answered ${what} in a shape the portal does not know (${issue.path.join(
          '.',
        )}: ${issue.message})`,
      );
    }
    if (parsed.data.code !== 200) {
      throw new UpstreamError(
        SOURCE,
        `OpenCost answered ${what} with code ${parsed.data.code}`,
      );
    }
    return parsed.data.data.map(set => set ?? {});
  }
}
