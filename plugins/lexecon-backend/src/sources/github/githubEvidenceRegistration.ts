import { defineSource } from '../registry';
import { allowedOrganizations } from './allowedOrganizations';
import { GithubEvidenceSource } from './GithubEvidenceSource';

/**
 * Daily: the settings and documents it reads change rarely, and the patch SLA's shortest clock
 * (24 hours for a critical alert) is what a daily observation can still show breached.
 */
export const githubEvidenceRegistration = defineSource({
  id: 'github-evidence',
  allowList: allowedOrganizations,
  schedule: { frequency: { hours: 24 }, timeout: { minutes: 30 } },
  create: ({ githubClients, settings, githubEvidence }) =>
    new GithubEvidenceSource(githubClients, {
      store: githubEvidence,
      timeoutMs: settings.upstreamTimeoutMs,
    }),
});
