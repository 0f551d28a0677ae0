import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import notificationsModuleEmail from '@backstage/plugin-notifications-backend-module-email';
import notificationsModuleSlack from '@backstage/plugin-notifications-backend-module-slack';
import { slackApiRouteModule } from './slackApiRoute';

/**
 * A Slack workspace with a bot token. Production writes `token: ${SLACK_BOT_TOKEN}`: unset, the
 * entry is left without a token, and the module (which reads every entry's token) must not load.
 */
export function slackIsConfigured(config: Config): boolean {
  const workspaces =
    config.getOptionalConfigArray('notifications.processors.slack') ?? [];
  return workspaces.length > 0 && workspaces.every(w => w.has('token'));
}

/**
 * Notifications also go to Slack and by email only where the configuration sets them up: both
 * modules read their settings unconditionally, and email is off unless configured.
 */
export const notificationProcessorsWhereConfigured = createBackendFeatureLoader(
  {
    deps: { config: coreServices.rootConfig },
    *loader({ config }) {
      if (slackIsConfigured(config)) {
        yield notificationsModuleSlack;
        if (config.has('lexecon.slackApi')) yield slackApiRouteModule;
      }
      if (config.has('notifications.processors.email')) {
        yield notificationsModuleEmail;
      }
    },
  },
);
