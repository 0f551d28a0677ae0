import { NotificationSeverity } from '@backstage/plugin-notifications-common';

/**
 * Every kind of event the portal notifies, with the topic a person mutes it by (in the
 * notification settings, under the `plugin:lexecon` origin) and its default severity. A new
 * source of events (cost anomalies, evidence) adds its kinds here.
 */
export const NOTIFICATION_KINDS = {
  'run-waiting': { topic: 'Deploy waiting for approval', severity: 'high' },
  'run-decided': { topic: 'Deploy waiting for approval', severity: 'normal' },
  'readiness-below-gate': {
    topic: 'Release readiness below the gate',
    severity: 'high',
  },
  'staging-deploy-failed': { topic: 'Deploy failed', severity: 'high' },
  'production-rolled-back': {
    topic: 'Production rolled back',
    severity: 'critical',
  },
  'sla-at-risk': { topic: 'SLA at risk or breached', severity: 'high' },
  'sla-breached': { topic: 'SLA at risk or breached', severity: 'critical' },
  'monitor-alerting': { topic: 'Monitor alerting', severity: 'high' },
} as const satisfies Record<
  string,
  { topic: string; severity: NotificationSeverity }
>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
