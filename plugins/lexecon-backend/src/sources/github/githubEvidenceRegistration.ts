import { readEvidenceCatalog } from '../../evidence/catalog/loadCatalog';
import { defineSource } from '../registry';
import { allowedOrganizations } from './allowedOrganizations';
import { GithubEvidenceSource } from './GithubEvidenceSource';

/**
 * Daily: the settings and documents it reads change rarely, and the patch SLA's shortest clock
 * (24 hours for a critical alert) is what a daily observation can still show breached. Each read
 * judges the catalog's github-evidence items into the evidence store.
 */
export const githubEvidenceRegistration = defineSource({
  id: 'github-evidence',
  allowList: allowedOrganizations,
  schedule: { frequency: { hours: 24 }, timeout: { minutes: 30 } },
  create: ({
    githubClients,
    settings,
    config,
    githubEvidence,
    derivedEvidence,
  }) =>
    new GithubEvidenceSource(githubClients, {
      store: githubEvidence,
      evidence: {
        items: readEvidenceCatalog(config).flatMap(control => control.items),
        record: observations => derivedEvidence.evidence.record(observations),
      },
      timeoutMs: settings.upstreamTimeoutMs,
    }),
});
