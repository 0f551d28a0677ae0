import { CatalogControl, item } from './catalogData';

const ENGINEERING = 'group:default/lexecon-engineering';
const ADMINS = 'group:default/portal-admins';

/** The GDPR articles of the readiness plan's checklist (Phase 7). */
export const GDPR_CONTROLS: CatalogControl[] = [
  {
    id: 'GDPR-Art.5',
    framework: 'gdpr',
    title: 'Art. 5: principles, storage limitation',
    description:
      'Personal data is kept no longer than needed. Retention per the readiness plan: decision logs 30 days, override logs 1 year, audit logs 3 years.',
    items: [
      item(
        'gdpr5-retention-decision-logs',
        'Decision logs kept 30 days, then deleted',
        'upload',
        'quarterly',
        ENGINEERING,
        'document-current',
      ),
      item(
        'gdpr5-retention-override-logs',
        'Override logs kept 1 year, then deleted',
        'upload',
        'quarterly',
        ENGINEERING,
        'document-current',
      ),
      item(
        'gdpr5-retention-audit-logs',
        'Audit logs kept 3 years, intact',
        'portal-evidence',
        'daily',
        ADMINS,
        'audit-chain',
      ),
      item(
        'gdpr5-retention-policy',
        'Data retention policy reviewed within a year',
        'github-evidence',
        'annual',
        ADMINS,
        'github-policy-review',
      ),
    ],
  },
  {
    id: 'GDPR-Art.12-15-17-20',
    framework: 'gdpr',
    title: 'Art. 12, 15, 17, 20: data subject requests',
    description:
      'Access, erasure and portability requests are answered within one month of receipt (extendable by two months with notice).',
    items: [
      item(
        'gdpr12-dsr-deadlines',
        'Data subject requests answered within their deadline',
        'gdpr-register',
        'continuous',
        ADMINS,
        'dsr-deadlines',
      ),
    ],
  },
  {
    id: 'GDPR-Art.30',
    framework: 'gdpr',
    title: 'Art. 30: records of processing activities',
    description:
      'The register of processing (purposes, categories, recipients, transfers, erasure limits, security measures) is kept and reviewed.',
    items: [
      item(
        'gdpr30-records-of-processing',
        'Records of processing complete and reviewed',
        'gdpr-register',
        'annual',
        ADMINS,
        'records-of-processing',
      ),
    ],
  },
  {
    id: 'GDPR-Art.32',
    framework: 'gdpr',
    title: 'Art. 32: security of processing',
    description:
      'Encryption, integrity of the audit trail and timely patching protect personal data.',
    items: [
      item(
        'gdpr32-audit-chain',
        'Audit trail hash chain verifies',
        'portal-evidence',
        'daily',
        ADMINS,
        'audit-chain',
      ),
      item(
        'gdpr32-vulnerability-sla',
        'Open security alerts within the patch SLA',
        'github-evidence',
        'daily',
        ENGINEERING,
        'github-vulnerability-sla',
      ),
    ],
  },
  {
    id: 'GDPR-Art.33',
    framework: 'gdpr',
    title: 'Art. 33: breach notification within 72 hours',
    description:
      'Every breach is documented and the supervisory authority notified within 72 hours of awareness, or the delay explained.',
    items: [
      item(
        'gdpr33-breach-register',
        'Breaches recorded and notified within 72 hours',
        'gdpr-register',
        'continuous',
        ADMINS,
        'breach-notification',
      ),
    ],
  },
  {
    id: 'GDPR-Art.35',
    framework: 'gdpr',
    title: 'Art. 35: data protection impact assessment',
    description:
      'High-risk processing has a DPIA describing it, its necessity, the risks and the safeguards.',
    items: [
      item(
        'gdpr35-dpia',
        'DPIA for the decision engine',
        'upload',
        'annual',
        ADMINS,
        'document-current',
      ),
    ],
  },
];
