import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { Config } from '@backstage/config';
import {
  lexeconAuditReadPermission,
  lexeconDeploymentApprovePermission,
  lexeconEntityRefreshPermission,
} from '@internal/plugin-lexecon-common';

export interface LexeconPolicyOptions {
  /** Groups whose members may approve or reject deploys. */
  approverGroups: string[];
  /** Groups whose members may read the approvals audit trail (approvers may too). */
  auditReaderGroups: string[];
  /** Groups whose members only read: they may not trigger upstream calls. */
  readOnlyGroups: string[];
}

export const DEFAULT_POLICY_OPTIONS: LexeconPolicyOptions = {
  approverGroups: ['group:default/release-approvers'],
  auditReaderGroups: ['group:default/auditors'],
  readOnlyGroups: ['group:default/auditors'],
};

export function readPolicyOptions(config: Config): LexeconPolicyOptions {
  const approvals = config.getOptionalConfig('lexecon.approvals');
  return {
    approverGroups:
      approvals?.getOptionalStringArray('approverGroups') ??
      DEFAULT_POLICY_OPTIONS.approverGroups,
    auditReaderGroups:
      approvals?.getOptionalStringArray('auditReaderGroups') ??
      DEFAULT_POLICY_OPTIONS.auditReaderGroups,
    readOnlyGroups: DEFAULT_POLICY_OPTIONS.readOnlyGroups,
  };
}

/**
 * The portal's policy: everyone signed in reads the catalog and Release & Compliance data;
 * only members of the approver groups approve or reject deploys; read-only groups (auditors)
 * may not trigger refreshes against upstream APIs; the audit trail is for auditors and approvers.
 */
export class LexeconPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly options: LexeconPolicyOptions = DEFAULT_POLICY_OPTIONS,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const refs = user?.info.ownershipEntityRefs ?? [];
    const memberOf = (groups: string[]) =>
      refs.some(ref => groups.includes(ref));
    const allowIf = (allowed: boolean): PolicyDecision => ({
      result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    });
    switch (request.permission.name) {
      case lexeconEntityRefreshPermission.name:
        return allowIf(!memberOf(this.options.readOnlyGroups));
      case lexeconDeploymentApprovePermission.name:
        return allowIf(
          memberOf(this.options.approverGroups) &&
            !memberOf(this.options.readOnlyGroups),
        );
      case lexeconAuditReadPermission.name:
        return allowIf(
          memberOf(this.options.auditReaderGroups) ||
            memberOf(this.options.approverGroups),
        );
      default:
        return { result: AuthorizeResult.ALLOW };
    }
  }
}

export const lexeconPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'lexecon-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new LexeconPermissionPolicy(readPolicyOptions(config)),
        );
      },
    });
  },
});
