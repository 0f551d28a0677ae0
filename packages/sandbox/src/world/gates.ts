import { PORTAL_APP } from '../github/identity';
import { SandboxWorld } from './types';

/**
 * How `production` is protected:
 * - `required-reviewers`: GitHub's required reviewers (team `release-approvers`, alex-kim,
 *   jordan-lee; prevent self-review); people review with their own token.
 * - `custom-rule`: the portal's GitHub App is a custom deployment protection rule and the only
 *   gate; only its installation token decides (`POST .../deployment_protection_rule`).
 */
export type ProductionGate = 'required-reviewers' | 'custom-rule';

export interface GateOptions {
  production?: ProductionGate;
}

export const CUSTOM_RULE_ID = 31337203;

export function applyGates(world: SandboxWorld, gates: GateOptions = {}): void {
  const production = world.environments.find(e => e.name === 'production');
  if (!production) return;
  if ((gates.production ?? 'required-reviewers') === 'custom-rule') {
    production.reviewers = [];
    production.customRules = [{ id: CUSTOM_RULE_ID, appSlug: PORTAL_APP.slug }];
  } else {
    production.customRules = [];
  }
}
