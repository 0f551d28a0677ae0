import { AuditEntry } from '../auditRecords';

/** A decision as the approvals workflow records it, every field set. */
export const DECISION: AuditEntry = {
  at: '2026-11-20T15:00:00.000Z',
  action: 'decision',
  actor: 'user:default/alex-kim',
  githubLogin: 'alex-kim',
  entityRef: 'component:default/lexecon-api',
  repository: 'lexecon-ai/lexecon',
  runId: 9_876_543_210,
  environment: 'production',
  version: 'v1.4.2',
  decision: 'approved',
  comment: 'Readiness 92, staging healthy for a day',
  outcome: 'GitHub accepted the approval',
  upstreamStatus: 200,
  mode: 'github-reviewers',
};
