/**
 * What each timed response must contain to count as a success: the entity asked for, and its
 * sections ok with their data (an error page answered fast is not a fast page).
 */
import type {
  OnCallBoard,
  Overview,
  Reliability,
  SourceState,
} from '@internal/plugin-lexecon-common';
import type { Check } from './measure';

const SLUG = 'lexecon-ai/lexecon';

function fetchedAtOf(sources: SourceState[], source: string) {
  return sources.find(s => s.source === source)?.fetchedAt;
}

/** The deploy history card: both environments, recent deploys, from GitHub and Helm. */
export function overviewCheck(entityRef: string): Check {
  return (status, body) => {
    const overview = body as Overview;
    const section = overview.sections?.deployments;
    if (status !== 200) return { error: `HTTP ${status}` };
    if (overview.entityRef !== entityRef) {
      return { error: `overview of ${overview.entityRef}, not ${entityRef}` };
    }
    if (section?.status !== 'ok') {
      return { error: `deployments ${section?.status}: ${section?.message}` };
    }
    const data = section.data;
    const environments = data?.environments.map(e => e.environment) ?? [];
    if (
      data?.repository?.slug.toLowerCase() !== SLUG ||
      !environments.includes('staging') ||
      !environments.includes('production') ||
      !data.recent.length ||
      data.totalCount < data.recent.length
    ) {
      return { error: 'deployments section without its history' };
    }
    return {
      asOf: fetchedAtOf(section.sources, 'github'),
      content: `${data.totalCount}|${data.recent[0].id}|${data.recent[0].result}`,
    };
  };
}

/** The flags, SLA and health cards, each ok with its data. */
export function reliabilityCheck(entityRef: string): Check {
  return (status, body) => {
    const reliability = body as Reliability;
    if (status !== 200) return { error: `HTTP ${status}` };
    if (reliability.entityRef !== entityRef) {
      return { error: `reliability of ${reliability.entityRef}` };
    }
    const { flags, sla, health } = reliability.sections ?? {};
    for (const [name, section] of Object.entries({ flags, sla, health })) {
      if (section?.status !== 'ok' || !section.data) {
        return { error: `${name} ${section?.status}: ${section?.message}` };
      }
    }
    if (
      !flags.data!.flags.length ||
      !sla.data!.slo.targetPercent ||
      !health.data!.checkedAt
    ) {
      return { error: 'a reliability section without its content' };
    }
    return { asOf: fetchedAtOf(sla.sources, 'datadog') };
  };
}

/** The on-call board lists the service with its SLA month to date. */
export function onCallCheck(entityRef: string): Check {
  return (status, body) => {
    const board = body as OnCallBoard;
    if (status !== 200) return { error: `HTTP ${status}` };
    const service = board.services?.find(s => s.entityRef === entityRef);
    if (!service) return { error: `${entityRef} is not on the board` };
    if (service.sla.status !== 'ok' || !service.sla.data) {
      return { error: `SLA ${service.sla.status}: ${service.sla.message}` };
    }
    return { asOf: service.sla.fetchedAt };
  };
}

export function catalogCheck(name: string): Check {
  return (status, body) => {
    const entity = body as { metadata?: { name?: string } };
    if (status !== 200) return { error: `HTTP ${status}` };
    return entity.metadata?.name === name
      ? {}
      : { error: `catalog answered ${entity.metadata?.name}` };
  };
}
