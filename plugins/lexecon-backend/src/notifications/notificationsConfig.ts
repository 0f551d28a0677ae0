import { Config } from '@backstage/config';

export interface NotificationsConfig {
  /** The group told when an SLA turns at risk or breached, or a monitor starts alerting. */
  onCallGroup: string;
  /** The groups whose members may approve deploys: the approvers notified of a waiting run. */
  approverGroups: string[];
}

/**
 * Reads `lexecon.notifications`, and `lexecon.approvals.approverGroups` with the default the
 * app's permission policy gives it.
 */
export function readNotificationsConfig(root: Config): NotificationsConfig {
  return {
    onCallGroup:
      root.getOptionalString('lexecon.notifications.onCallGroup') ??
      'group:default/oncall',
    approverGroups: root.getOptionalStringArray(
      'lexecon.approvals.approverGroups',
    ) ?? ['group:default/release-approvers'],
  };
}
