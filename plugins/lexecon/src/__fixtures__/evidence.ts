import {
  EvidenceControlDetail,
  EvidenceControlsResponse,
  EvidenceControlView,
} from '@internal/plugin-lexecon-common';

const API = 'component:default/lexecon-api';

export const changeControl: EvidenceControlView = {
  id: 'CC8.1',
  framework: 'soc2',
  title: 'Change management',
  description:
    'Every production change is approved by someone who did not author it.',
  status: 'failing',
  items: [
    {
      id: 'cc8.1-change-population',
      controlId: 'CC8.1',
      title: 'Production deploys approved before start by a non-author',
      source: 'portal-evidence',
      cadence: 'continuous',
      owner: 'group:default/release-approvers',
      rule: 'change-population',
      status: 'failing',
      reason: `${API}: 1 of 12 production deploys are exceptions`,
      latest: {
        entityRef: API,
        status: 'failing',
        reason: '1 of 12 production deploys are exceptions',
        firstCollected: '2026-03-30T08:00:00.000Z',
        collected: '2026-03-31T09:00:00.000Z',
        expires: '2026-04-01T09:00:00.000Z',
        sourceUrl: 'https://github.com/lexecon-ai/lexecon/deployments',
        facts: { deployCount: 12, exceptionCount: 1 },
      },
      services: [{ entityRef: API, status: 'failing', reason: '1 of 12' }],
    },
  ],
};

export const auditControl: EvidenceControlView = {
  id: 'CC7.2',
  framework: 'soc2',
  title: 'Monitoring of system components',
  description: 'Every privileged action is logged and verified.',
  status: 'passing',
  items: [
    {
      id: 'cc7.2-audit-chain',
      controlId: 'CC7.2',
      title: 'Audit trail hash chain verifies',
      source: 'portal-evidence',
      cadence: 'daily',
      owner: 'group:default/portal-admins',
      rule: 'audit-chain',
      status: 'passing',
      reason: '40 audit records verify',
      latest: {
        status: 'passing',
        reason: '40 audit records verify',
        firstCollected: '2026-03-31T09:00:00.000Z',
        collected: '2026-03-31T09:00:00.000Z',
        expires: '2026-04-01T09:00:00.000Z',
        facts: { ok: true },
      },
      services: [{ status: 'passing', reason: '40 audit records verify' }],
    },
  ],
};

export const dpiaControl: EvidenceControlView = {
  id: 'GDPR-Art.35',
  framework: 'gdpr',
  title: 'Art. 35: data protection impact assessment',
  description: 'High-risk processing has a DPIA.',
  status: 'missing',
  items: [
    {
      id: 'gdpr35-dpia',
      controlId: 'GDPR-Art.35',
      title: 'DPIA for the decision engine',
      source: 'upload',
      cadence: 'annual',
      owner: 'group:default/portal-admins',
      rule: 'document-current',
      status: 'missing',
      reason: 'Never collected (upload, annual)',
      services: [],
    },
  ],
};

export const evidenceControls: EvidenceControlsResponse = {
  generatedAt: '2026-03-31T10:00:00.000Z',
  from: '2025-12-31T10:00:00.000Z',
  to: '2026-03-31T10:00:00.000Z',
  canWrite: false,
  summary: { soc2: { failing: 1, passing: 1 }, gdpr: { missing: 1 } },
  controls: [changeControl, auditControl, dpiaControl],
  dueNext: [
    {
      id: 'cc8.1-change-population',
      controlId: 'CC8.1',
      title: 'Production deploys approved before start by a non-author',
      owner: 'group:default/release-approvers',
      status: 'failing',
      reason: '1 of 12 production deploys are exceptions',
      expires: '2026-04-01T09:00:00.000Z',
      yours: true,
    },
    {
      id: 'gdpr35-dpia',
      controlId: 'GDPR-Art.35',
      title: 'DPIA for the decision engine',
      owner: 'group:default/portal-admins',
      status: 'missing',
      reason: 'Never collected (upload, annual)',
      yours: false,
    },
  ],
};

export const changeControlDetail: EvidenceControlDetail = {
  generatedAt: evidenceControls.generatedAt,
  from: evidenceControls.from,
  to: evidenceControls.to,
  control: changeControl,
  observations: [
    { itemId: 'cc8.1-change-population', ...changeControl.items[0].latest! },
  ],
};
