import {
  LEXECON_DATADOG_SLO_TAGS_ANNOTATION,
  MonitorState,
  SlaIncident,
  SlaMonth,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../../EntityTarget';
import { DatadogConfig } from '../../reliabilityConfig';
import { JsonHttpClient } from '../http/JsonHttpClient';
import { describeDatadogStatus } from './describeDatadogStatus';
import { mapLimited } from '../mapLimited';
import {
  NotConfigured,
  SnapshotSource,
  UpstreamError,
  annotationMissing,
} from '../types';
import { DatadogSnapshot } from './types';

interface ApiSlo {
  id: string;
  name: string;
  target_threshold?: number;
  thresholds?: Array<{ timeframe: string; target: number }>;
}

interface ApiSloHistory {
  data?: { overall?: { sli_value?: number | null } };
}

interface ApiMonitor {
  id: number;
  name: string;
  overall_state?: string;
  overall_state_modified?: string | null;
  message?: string;
  priority?: number | null;
}

interface ApiIncident {
  id: string;
  attributes: {
    public_id: number;
    title: string;
    severity?: string | null;
    state?: string | null;
    created: string;
    resolved?: string | null;
    customer_impact_duration?: number | null;
    time_to_resolve?: number | null;
    fields?: { services?: { value?: string[] | null } };
  };
}

const MONTHS = 12;
/** SLO history requests in flight at once (Datadog rate-limits per endpoint family). */
const HISTORY_CONCURRENCY = 4;
const INCIDENT_PAGE = 100;
const MAX_INCIDENTS = 500;
const ALERTING_STATES = ['Alert', 'Warn'];

function monthStart(ms: number, offset = 0): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

function monthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The URL on a line mentioning "runbook" in a monitor message, else any URL with "runbook". */
export function findRunbookUrl(
  message: string | undefined,
): string | undefined {
  if (!message) return undefined;
  const urls = (line: string) => line.match(/https?:\/\/[^\s)\]>"]+/g) ?? [];
  for (const line of message.split('\n')) {
    if (/runbook/i.test(line) && urls(line).length) return urls(line)[0];
  }
  return urls(message).find(u => /runbook/i.test(u));
}

/**
 * The entity's availability SLO (month to date and the last 12 months), its monitors and the
 * incidents declared against its service, from the Datadog API. Complete months never change, so
 * they are carried over from the previous snapshot instead of being asked for again.
 */
export class DatadogSloSource implements SnapshotSource<DatadogSnapshot> {
  readonly id = 'datadog' as const;
  private readonly client?: JsonHttpClient;
  private readonly now: () => Date;

  constructor(
    private readonly config: DatadogConfig | undefined,
    options: {
      timeoutMs: number;
      retries: number;
      now?: () => Date;
      fetch?: typeof fetch;
      sleep?: (ms: number) => Promise<void>;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    if (config) {
      this.client = new JsonHttpClient({
        source: 'datadog',
        label: 'Datadog',
        baseUrl: config.baseUrl,
        headers: {
          'DD-API-KEY': config.apiKey,
          'DD-APPLICATION-KEY': config.applicationKey,
        },
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        fetch: options.fetch,
        sleep: options.sleep,
        describeStatus: describeDatadogStatus,
      });
    }
  }

  /** Where links to the SLO, monitors and incidents point; only read once configured. */
  private get appUrl(): string {
    return this.config!.appUrl;
  }

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.datadog) return annotationMissing('datadog');
    if (!this.client) {
      return {
        message:
          'Datadog is not configured: set lexecon.datadog.apiKey, lexecon.datadog.applicationKey and lexecon.datadog.site',
        missingAnnotations: [],
      };
    }
    return undefined;
  }

  async fetch(
    target: EntityTarget,
    previous?: DatadogSnapshot,
  ): Promise<DatadogSnapshot> {
    const client = this.client!;
    const { sloTags, monitorTags, service } = target.datadog!;
    const now = this.now().getTime();

    const slos = await client.get<{ data?: ApiSlo[] }>(
      '/api/v1/slo',
      `the SLOs tagged ${sloTags.join(',')}`,
      { tags_query: sloTags.join(','), limit: 10 },
    );
    if (!Array.isArray(slos.data)) {
      throw new UpstreamError(
        'datadog',
        'Datadog sent an unexpected answer for the SLO list (no data array)',
      );
    }
    const slo = slos.data[0];
    if (!slo) {
      throw new UpstreamError(
        'datadog',
        `Datadog has no SLO tagged ${sloTags.join(
          ',',
        )}: check the ${LEXECON_DATADOG_SLO_TAGS_ANNOTATION} annotation`,
      );
    }
    const targetPercent =
      slo.target_threshold ?? slo.thresholds?.[0]?.target ?? 99.9;

    const sli = async (from: number, to: number) => {
      const history = await client.get<ApiSloHistory>(
        `/api/v1/slo/${encodeURIComponent(slo.id)}/history`,
        `the history of SLO "${slo.name}"`,
        {
          from_ts: Math.floor(from / 1000),
          to_ts: Math.floor(to / 1000),
          target: targetPercent,
        },
      );
      const value = history.data?.overall?.sli_value;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new UpstreamError(
          'datadog',
          `Datadog sent no SLI value for SLO "${slo.name}" between ${new Date(
            from,
          ).toISOString()} and ${new Date(to).toISOString()}`,
        );
      }
      return value;
    };

    const currentMonth = monthStart(now);
    const reusable =
      previous?.slo.id === slo.id &&
      previous.slo.targetPercent === targetPercent
        ? previous.months
        : [];
    // Complete months never change: only the missing ones are asked for, a few at a time, while
    // the month to date, the monitors and the incidents are fetched alongside.
    const offsets = Array.from({ length: MONTHS }, (_, i) => i - MONTHS);
    const monthsPromise = mapLimited(
      offsets,
      HISTORY_CONCURRENCY,
      async (offset): Promise<SlaMonth> => {
        const from = monthStart(now, offset);
        const known = reusable.find(m => m.month === monthKey(from));
        if (known) return known;
        const uptimePercent = await sli(from, monthStart(now, offset + 1));
        return {
          month: monthKey(from),
          uptimePercent,
          met: uptimePercent >= targetPercent,
        };
      },
    );
    const [months, uptimePercent, monitors, incidents] = await Promise.all([
      monthsPromise,
      now > currentMonth ? sli(currentMonth, now) : 100,
      this.fetchMonitors(client, monitorTags),
      this.fetchIncidents(client, service, monthStart(now, -MONTHS)),
    ]);
    const monthToDate = {
      from: new Date(currentMonth).toISOString(),
      to: new Date(now).toISOString(),
      uptimePercent,
    };
    return {
      slo: {
        id: slo.id,
        name: slo.name,
        targetPercent,
        url: `${this.appUrl}/slo?slo_id=${encodeURIComponent(slo.id)}`,
      },
      monthToDate,
      months,
      monitors,
      incidents,
    };
  }

  private async fetchMonitors(
    client: JsonHttpClient,
    tags: string[],
  ): Promise<MonitorState[]> {
    const monitors = await client.get<ApiMonitor[]>(
      '/api/v1/monitor',
      `the monitors tagged ${tags.join(',')}`,
      { monitor_tags: tags.join(','), page_size: 100, page: 0 },
    );
    if (!Array.isArray(monitors)) {
      throw new UpstreamError(
        'datadog',
        'Datadog sent an unexpected answer for the monitor list (not an array)',
      );
    }
    return monitors
      .map(
        (m): MonitorState => ({
          id: m.id,
          name: m.name,
          state: m.overall_state ?? 'No Data',
          alerting: ALERTING_STATES.includes(m.overall_state ?? ''),
          since: m.overall_state_modified ?? undefined,
          runbookUrl: findRunbookUrl(m.message),
          priority: m.priority ?? undefined,
          url: `${this.appUrl}/monitors/${m.id}`,
        }),
      )
      .sort(
        (a, b) =>
          Number(b.alerting) - Number(a.alerting) ||
          (a.priority ?? 9) - (b.priority ?? 9) ||
          a.name.localeCompare(b.name),
      );
  }

  private async fetchIncidents(
    client: JsonHttpClient,
    service: string | undefined,
    since: number,
  ): Promise<SlaIncident[]> {
    const found: SlaIncident[] = [];
    for (let offset = 0; offset < MAX_INCIDENTS; offset += INCIDENT_PAGE) {
      const page = await client.get<{
        data?: ApiIncident[];
        meta?: { pagination?: { total_count?: number } };
      }>('/api/v2/incidents', 'the incident list', {
        'page[size]': INCIDENT_PAGE,
        'page[offset]': offset,
      });
      if (!Array.isArray(page.data)) {
        throw new UpstreamError(
          'datadog',
          'Datadog sent an unexpected answer for the incident list (no data array)',
        );
      }
      let older = false;
      for (const i of page.data) {
        const a = i.attributes;
        if (Date.parse(a.created) < since) {
          older = true;
          continue;
        }
        const services = a.fields?.services?.value ?? [];
        if (service && !services.includes(service)) continue;
        found.push({
          id: i.id,
          publicId: a.public_id,
          title: a.title,
          severity: a.severity ?? 'UNKNOWN',
          state: a.state ?? 'active',
          startedAt: a.created,
          resolvedAt: a.resolved ?? undefined,
          timeToResolveSeconds: a.time_to_resolve ?? undefined,
          customerImpactSeconds: a.customer_impact_duration ?? undefined,
          url: `${this.appUrl}/incidents/${a.public_id}`,
        });
      }
      const total = page.meta?.pagination?.total_count ?? 0;
      if (
        older ||
        page.data.length < INCIDENT_PAGE ||
        offset + INCIDENT_PAGE >= total
      ) {
        break;
      }
    }
    return found.sort(
      (a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt),
    );
  }
}
