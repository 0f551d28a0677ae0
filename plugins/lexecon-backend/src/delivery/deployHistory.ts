import { DeployFact, MetricWindow } from '@internal/plugin-lexecon-common';
import { ms } from './statistics';

/** Which deploys the four keys are about, and over which time. */
export interface DeliveryScope {
  environment: string;
  window: MetricWindow;
}

export interface ChangeFailureOptions extends DeliveryScope {
  /** An incident starting this long after a deploy counts the deploy as failed. */
  incidentWindowMinutes: number;
}

/** When a deploy took effect: when it finished, else when it started. */
export const deployedAt = (deploy: DeployFact) =>
  deploy.finishedAt ?? deploy.startedAt;

export const isChange = (deploy: DeployFact) => deploy.kind !== 'rollback';

/** The environment's deploys, oldest first, in and around the window. */
export function history(deploys: DeployFact[], environment: string) {
  return deploys
    .filter(d => d.environment === environment)
    .sort((a, b) => ms(deployedAt(a)) - ms(deployedAt(b)));
}

export const noDeploys = (scope: DeliveryScope, what = 'deploys') =>
  `No ${what} to ${scope.environment} in the window`;
