import {
  AuditorService,
  AuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuditLog } from '../audit/AuditLog';
import { ApprovalsConfig } from '../config';
import { SnapshotReader } from '../snapshots/SnapshotReader';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { GithubClientFactory } from '../sources/github/GithubClientFactory';
import { LiveUpdates } from '../live/LiveUpdates';
import { ApproverIdentity } from './ApproverIdentity';
import { DecisionStore } from './DecisionStore';
import { DecisionWorkflow } from './DecisionWorkflow';
import { GithubReviewCheck } from './GithubReviewCheck';
import { GithubReviewGateway } from './GithubReviewGateway';
import { PendingApprovals } from './PendingApprovals';

/** The approvals feature: who asks, what waits for them, and deciding it. */
export interface Approvals {
  identity: ApproverIdentity;
  pending: PendingApprovals;
  workflow: DecisionWorkflow;
  /** Reviews made in GitHub's own page, checked against the same rules. */
  reviews: GithubReviewCheck;
}

export function createApprovals(options: {
  store: SnapshotStore;
  refresher: SnapshotRefresher;
  reader: SnapshotReader;
  audit: AuditLog;
  decisions: DecisionStore;
  github: GithubClientFactory;
  permissions: PermissionsService;
  catalog: CatalogService;
  auth: AuthService;
  auditor: AuditorService;
  logger: LoggerService;
  live: Pick<LiveUpdates, 'runDecided'>;
  settings: ApprovalsConfig;
  timeoutMs: number;
  now?: () => Date;
}): Approvals {
  const pending = new PendingApprovals(options);
  return {
    reviews: new GithubReviewCheck({ ...options, pending }),
    identity: new ApproverIdentity(options),
    pending,
    workflow: new DecisionWorkflow({
      ...options,
      pending,
      gateway: new GithubReviewGateway(options.github),
    }),
  };
}
