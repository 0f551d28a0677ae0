import { CatalogControl, item } from './catalogData';

const ENGINEERING = 'group:default/lexecon-engineering';
const APPROVERS = 'group:default/release-approvers';
const ADMINS = 'group:default/portal-admins';

/**
 * SOC 2 Trust Services Criteria as the readiness plan's questionnaire uses them (Phase 7). The
 * portal derives what it already records (deploys, approvals, flag changes, incidents, its
 * audit trail); GitHub's settings come from the github-evidence source; the rest is attached.
 */
export const SOC2_CONTROLS: CatalogControl[] = [
  {
    id: 'CC6.1',
    framework: 'soc2',
    title: 'Logical access security',
    description:
      'Access to production and source is restricted: the default branch is protected and the production environment requires reviewers.',
    items: [
      item(
        'cc6.1-branch-protection',
        'Default branch protected (branch protection or ruleset)',
        'github-evidence',
        'continuous',
        ENGINEERING,
        'github-branch-protection',
      ),
      item(
        'cc6.1-environment-reviewers',
        'Production environment requires reviewers and prevents self-review',
        'github-evidence',
        'continuous',
        APPROVERS,
        'github-environment-reviewers',
      ),
    ],
  },
  {
    id: 'CC6.2',
    framework: 'soc2',
    title: 'Access provisioning',
    description:
      'Administrative access is limited (the readiness plan: fewer than 3 admins) and every user has a documented reason for access.',
    items: [
      item(
        'cc6.2-admin-count',
        'Fewer than 3 admins on the repository and the organisation',
        'github-evidence',
        'continuous',
        ADMINS,
        'github-admin-count',
      ),
    ],
  },
  {
    id: 'CC6.3',
    framework: 'soc2',
    title: 'Access removal and review',
    description:
      'Access is reviewed quarterly and unused accounts are deactivated.',
    items: [
      item(
        'cc6.3-access-review',
        'Quarterly access review',
        'upload',
        'quarterly',
        ADMINS,
        'document-current',
      ),
    ],
  },
  {
    id: 'CC7.1',
    framework: 'soc2',
    title: 'Vulnerability management',
    description:
      'Vulnerabilities are scanned automatically and patched within the SLA: critical under 24 hours, high under 7 days, medium under 30 days.',
    items: [
      item(
        'cc7.1-vulnerability-sla',
        'Open Dependabot and code-scanning alerts within the patch SLA',
        'github-evidence',
        'daily',
        ENGINEERING,
        'github-vulnerability-sla',
      ),
      item(
        'cc7.1-penetration-test',
        'Penetration test report',
        'upload',
        'annual',
        ENGINEERING,
        'document-current',
      ),
    ],
  },
  {
    id: 'CC7.2',
    framework: 'soc2',
    title: 'Monitoring of system components',
    description:
      'Every privileged action is logged, tamper-evident (append-only, hash-chained) and verified.',
    items: [
      item(
        'cc7.2-audit-chain',
        'Audit trail hash chain verifies',
        'portal-evidence',
        'daily',
        ADMINS,
        'audit-chain',
      ),
    ],
  },
  {
    id: 'CC7.3',
    framework: 'soc2',
    title: 'Incident evaluation',
    description:
      'Security and availability incidents are recorded with their start, resolution and time to resolve.',
    items: [
      item(
        'cc7.3-incident-log',
        'Production incidents with time to resolve',
        'portal-evidence',
        'continuous',
        ENGINEERING,
        'incident-resolution',
      ),
    ],
  },
  {
    id: 'CC7.4',
    framework: 'soc2',
    title: 'Incident response',
    description:
      'An incident response plan exists, is reviewed annually and incidents are investigated.',
    items: [
      item(
        'cc7.4-incident-response-plan',
        'Incident response plan reviewed within a year',
        'github-evidence',
        'annual',
        ENGINEERING,
        'github-policy-review',
      ),
    ],
  },
  {
    id: 'CC8.1',
    framework: 'soc2',
    title: 'Change management',
    description:
      'Every production change is tested, approved before it deploys, by someone who did not author it; exceptions are recorded.',
    items: [
      item(
        'cc8.1-change-population',
        'Production deploys approved before start by a non-author, CI passing',
        'portal-evidence',
        'continuous',
        APPROVERS,
        'change-population',
      ),
      item(
        'cc8.1-flag-changes',
        'Production feature flag changes with who and when',
        'portal-evidence',
        'continuous',
        ENGINEERING,
        'flag-changes',
      ),
      item(
        'cc8.1-change-policy',
        'Change management policy reviewed within a year',
        'github-evidence',
        'annual',
        ENGINEERING,
        'github-policy-review',
      ),
    ],
  },
  {
    id: 'CC9',
    framework: 'soc2',
    title: 'Risk mitigation and vendors',
    description:
      'Third-party services are assessed for risk; risk assessment is annual and on major changes.',
    items: [
      item(
        'cc9-vendor-risk',
        'Vendor risk assessments',
        'upload',
        'annual',
        ADMINS,
        'document-current',
      ),
      item(
        'cc9-risk-assessment',
        'Annual risk assessment',
        'upload',
        'annual',
        ADMINS,
        'document-current',
      ),
    ],
  },
  {
    id: 'A1.2',
    framework: 'soc2',
    title: 'Availability, backups and recovery',
    description:
      'The SLA is met; backups are restored monthly and the disaster recovery plan (RTO, RPO) is tested.',
    items: [
      item(
        'a1.2-sla',
        'Production SLA met month to date',
        'portal-evidence',
        'continuous',
        ENGINEERING,
        'sla-availability',
      ),
      item(
        'a1.2-backup-restore',
        'Backup restore test',
        'upload',
        'monthly',
        ENGINEERING,
        'document-current',
      ),
      item(
        'a1.2-dr-test',
        'Disaster recovery test',
        'upload',
        'annual',
        ENGINEERING,
        'document-current',
      ),
    ],
  },
  {
    id: 'C1',
    framework: 'soc2',
    title: 'Confidentiality',
    description:
      'Data is encrypted at rest (AES-256) and in transit (TLS 1.2+); staff are trained on the security policy.',
    items: [
      item(
        'c1-security-training',
        'Security awareness training completions',
        'upload',
        'annual',
        ADMINS,
        'document-current',
      ),
      item(
        'c1-security-policy',
        'Information security policy reviewed within a year',
        'github-evidence',
        'annual',
        ADMINS,
        'github-policy-review',
      ),
    ],
  },
];
