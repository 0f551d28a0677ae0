import {
  LEXECON_DATADOG_MONITOR_TAGS_ANNOTATION,
  LEXECON_DATADOG_SERVICE_ANNOTATION,
  LEXECON_DATADOG_SLO_TAGS_ANNOTATION,
  LEXECON_HEALTH_URL_ANNOTATION,
  LEXECON_UNLEASH_PROJECT_ANNOTATION,
  parseListAnnotation,
} from '@internal/plugin-lexecon-common';

/** Where an entity's flags, SLO, monitors, incidents and health live, from its annotations. */
export interface ReliabilityTarget {
  unleash?: { project: string };
  datadog?: { sloTags: string[]; monitorTags: string[]; service?: string };
  health?: { url: string };
}

export function resolveReliabilityTarget(
  annotations: Record<string, string>,
): ReliabilityTarget {
  const target: ReliabilityTarget = {};
  const project = annotations[LEXECON_UNLEASH_PROJECT_ANNOTATION]?.trim();
  if (project) target.unleash = { project };
  const sloTags = parseListAnnotation(
    annotations[LEXECON_DATADOG_SLO_TAGS_ANNOTATION],
  );
  if (sloTags.length) {
    const monitorTags = parseListAnnotation(
      annotations[LEXECON_DATADOG_MONITOR_TAGS_ANNOTATION],
    );
    target.datadog = {
      sloTags,
      monitorTags: monitorTags.length ? monitorTags : sloTags,
      service:
        annotations[LEXECON_DATADOG_SERVICE_ANNOTATION]?.trim() ||
        sloTags.find(t => t.startsWith('service:'))?.slice('service:'.length),
    };
  }
  const url = annotations[LEXECON_HEALTH_URL_ANNOTATION]?.trim();
  if (url && /^https?:\/\//.test(url)) target.health = { url };
  return target;
}
