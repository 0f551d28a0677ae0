import { NotificationSeverity } from '@backstage/plugin-notifications-common';

/**
 * Every kind of event the portal notifies, with the topic a person mutes it by (in the
 * notification settings, under the `plugin:lexecon` origin) and its default severity. A new
 * source of events adds its kinds here.
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
  'evidence-failing': {
    topic: 'Evidence failing or overdue',
    severity: 'high',
  },
  'evidence-overdue': {
    topic: 'Evidence failing or overdue',
    severity: 'normal',
  },
  'cost-anomaly': { topic: 'Cost anomaly', severity: 'normal' },
} as const satisfies Record<
  string,
  { topic: string; severity: NotificationSeverity }
>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
