import {
  ChangeEvent,
  DeploymentRecord,
  FeatureFlagsOverview,
  OnCallBoard,
  OnCallService,
  Reliability,
  ServiceHealth,
  SlaOverview,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import {
  singleSourceSection,
  SnapshotReader,
  SourceRead,
} from '../snapshots/SnapshotReader';
import { DatadogSnapshot } from '../sources/datadog/types';
import { DeploymentHistoryService } from './DeploymentHistoryService';
import {
  byRisk,
  changeEvents,
  linkIncidents,
  monthToDate,
} from './reliabilityMath';

const TIMELINE_MS = 24 * 3600_000;

/**
 * Flags, SLA and health sections for one entity and the portal-wide on-call board. Reads
 * snapshots only (a never-fetched source is fetched once on demand), so a warm view costs no
 * upstream call and a failing Datadog or Unleash only marks its own section.
 */
export class ReliabilityService {
  constructor(
    private readonly options: {
      reader: SnapshotReader;
      deployments: DeploymentHistoryService;
      changeWindowMinutes: number;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  async getReliability(target: EntityTarget): Promise<Reliability> {
    return (await this.load(target)).reliability;
  }

  private async load(target: EntityTarget) {
    const [flags, datadog, health, deploys] = await Promise.all([
      this.options.reader.read<FeatureFlagsOverview>(target, 'unleash'),
      this.options.reader.read<DatadogSnapshot>(target, 'datadog'),
      this.options.reader.read<ServiceHealth>(target, 'health'),
      this.deploys(target),
    ]);
    const reliability: Reliability = {
      entityRef: target.entityRef,
      sections: {
        flags: singleSourceSection(flags),
        sla: singleSourceSection(this.sla(target, datadog, flags, deploys)),
        health: singleSourceSection(health),
      },
    };
    return { reliability, deploys };
  }

  async getOnCallBoard(
    targets: Array<{ target: EntityTarget; title: string }>,
  ): Promise<OnCallBoard> {
    const now = this.now().getTime();
    const rows = await Promise.all(
      targets.map(async ({ target, title }) => {
        const { reliability, deploys } = await this.load(target);
        const { sla, health, flags } = reliability.sections;
        const changes = changeEvents(target.entityRef, deploys, flags.data);
        const { data: slaData, ...slaSection } = sla;
        const service: OnCallService = {
          entityRef: target.entityRef,
          title,
          sla: {
            ...slaSection,
            data: slaData
              ? {
                  ...slaData.monthToDate,
                  targetPercent: slaData.slo.targetPercent,
                }
              : undefined,
          },
          alertingMonitors: slaData?.monitors.filter(m => m.alerting) ?? [],
          activeIncidents:
            slaData?.incidents.filter(i => i.state !== 'resolved').length ?? 0,
          health: health.data
            ? { status: health.data.status, checkedAt: health.data.checkedAt }
            : undefined,
          notices: [...flags.sources, ...health.sources].filter(
            s => s.status === 'error' || s.status === 'stale',
          ),
        };
        const incidents = (slaData?.incidents ?? []).map(i => ({
          ...i,
          entityRef: target.entityRef,
        }));
        const incidentEvents: ChangeEvent[] = incidents.map(i => ({
          kind: 'incident',
          at: i.startedAt,
          entityRef: target.entityRef,
          title: `${i.severity} ${i.title}`,
          detail: i.resolvedAt ? `resolved ${i.resolvedAt}` : i.state,
          url: i.url,
        }));
        return { service, incidents, events: [...changes, ...incidentEvents] };
      }),
    );
    const services = rows.map(r => r.service).sort(byRisk);
    return {
      generatedAt: new Date(now).toISOString(),
      services,
      activeIncidents: rows
        .flatMap(r => r.incidents)
        .filter(i => i.state !== 'resolved')
        .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)),
      timeline: rows
        .flatMap(r => r.events)
        .filter(e => now - Date.parse(e.at) <= TIMELINE_MS)
        .sort((a, b) => Date.parse(b.at) - Date.parse(a.at)),
    };
  }

  private sla(
    target: EntityTarget,
    datadog: SourceRead<DatadogSnapshot>,
    flags: SourceRead<FeatureFlagsOverview>,
    deploys: DeploymentRecord[],
  ): SourceRead<SlaOverview> {
    if (!datadog.data) return { state: datadog.state };
    const { data } = datadog;
    const changes = changeEvents(target.entityRef, deploys, flags.data);
    return {
      state: datadog.state,
      data: {
        slo: data.slo,
        monthToDate: monthToDate(data),
        months: data.months,
        incidents: linkIncidents(
          data.incidents,
          changes,
          this.options.changeWindowMinutes,
        ),
        monitors: data.monitors,
        changeWindowMinutes: this.options.changeWindowMinutes,
      },
    };
  }

  /** Deploy history of the entity, or none when it has no deploy sources. */
  private async deploys(target: EntityTarget): Promise<DeploymentRecord[]> {
    if (!target.github && !target.kubernetes) return [];
    const page = await this.options.deployments.listDeployments(target, {
      limit: 500,
      offset: 0,
    });
    return page.items;
  }
}
