import { defineSource } from '../registry';
import { PortalEvidenceSource } from './PortalEvidenceSource';

/**
 * Hourly, after the sources it derives from have stored their snapshots: it reads only the
 * portal's own tables, so a cycle costs no upstream request.
 */
export const portalEvidenceRegistration = defineSource({
  id: 'portal-evidence',
  schedule: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
  create: ({ derivedEvidence, settings, deployChangeSets, commitReadings }) =>
    new PortalEvidenceSource({
      ...derivedEvidence,
      deployChangeSets,
      commitReadings,
      readinessGate: settings.approvals.readinessGate,
    }),
});
