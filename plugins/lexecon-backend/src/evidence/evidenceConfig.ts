import { Config, readDurationFromConfig } from '@backstage/config';
import { Control } from '@internal/plugin-lexecon-common';
import { durationToMilliseconds } from '@backstage/types';
import { readEvidenceCatalog } from './catalog/loadCatalog';
import { DAY_MS } from './rules/freshness';

export interface EvidenceSettings {
  catalog: Control[];
  dueSoonLeadMs: number;
}

const DEFAULT_DUE_SOON_LEAD_MS = 14 * DAY_MS;

/** `lexecon.evidence`: the catalog in force (validated) and the due-soon lead. */
export function readEvidenceSettings(config: Config): EvidenceSettings {
  const key = 'lexecon.evidence.dueSoonLead';
  return {
    catalog: readEvidenceCatalog(config),
    dueSoonLeadMs: config.has(key)
      ? durationToMilliseconds(readDurationFromConfig(config, { key }))
      : DEFAULT_DUE_SOON_LEAD_MS,
  };
}
