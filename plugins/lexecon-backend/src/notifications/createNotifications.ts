import {
  AuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { DecisionStore } from '../approvals/DecisionStore';
import { ApprovalsConfig } from '../config';
import { EntityTarget } from '../EntityTarget';
import { LexeconNotifier } from './LexeconNotifier';
import { NotificationAudiences } from './NotificationAudiences';
import { NotificationClaimStore } from './NotificationClaimStore';
import { readNotificationsConfig } from './notificationsConfig';
import {
  CostAnomalyReading,
  SnapshotNotifications,
} from './SnapshotNotifications';

/**
 * The portal's notifications: `notifier` is the one path every source of events uses;
 * `snapshots` finds the events in the snapshots refreshes store.
 */
export function createNotifications(options: {
  config: RootConfigService;
  knex: Knex;
  notifications: NotificationService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  approvals: ApprovalsConfig;
  costAnomalies?: (
    target: EntityTarget,
  ) => Promise<CostAnomalyReading | undefined>;
}) {
  const notifier = new LexeconNotifier({
    claims: new NotificationClaimStore(options.knex),
    notifications: options.notifications,
    logger: options.logger,
  });
  const audiences = new NotificationAudiences({
    ...options,
    settings: readNotificationsConfig(options.config),
    notifier,
  });
  return {
    notifier,
    snapshots: new SnapshotNotifications({
      notifier,
      audiences,
      decisions: new DecisionStore(options.knex, {
        claimExpiryMs: options.approvals.claimExpiryMs,
      }),
      readinessGate: options.approvals.readinessGate,
      logger: options.logger,
      costAnomalies: options.costAnomalies,
    }),
  };
}
