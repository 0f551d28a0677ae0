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
  catalogEntityReadPermission,
  catalogLocationReadPermission,
  catalogPermissions,
} from '@backstage/plugin-catalog-common/alpha';
import {
  lexeconAuditReadPermission,
  lexeconCostAcknowledgePermission,
  lexeconDeploymentApprovePermission,
  lexeconEntityReadPermission,
  lexeconEntityRefreshPermission,
  lexeconEvidenceReadPermission,
  lexeconEvidenceWritePermission,
} from '@internal/plugin-lexecon-common';

export interface LexeconPolicyOptions {
  /** Groups whose members may approve or reject deploys. */
  approverGroups: string[];
  /** Groups whose members may read the approvals audit trail (approvers may too). */
  auditReaderGroups: string[];
  /** Groups whose members only read: they may not trigger upstream calls. */
  readOnlyGroups: string[];
  /** Groups whose members may change what the catalog holds (register, refresh, delete). */
  adminGroups: string[];
  /** Groups whose members own evidence: they read it and attach or mark it (never auditors). */
  evidenceOwnerGroups: string[];
}

export const DEFAULT_POLICY_OPTIONS: LexeconPolicyOptions = {
  approverGroups: ['group:default/release-approvers'],
  auditReaderGroups: ['group:default/auditors'],
  readOnlyGroups: ['group:default/auditors'],
  adminGroups: ['group:default/portal-admins'],
  evidenceOwnerGroups: [
    'group:default/lexecon-engineering',
    'group:default/portal-admins',
  ],
};

/** What the catalog and entity pages need for anyone signed in: reading, never changing. */
const SIGNED_IN_READS = new Set([
  catalogEntityReadPermission.name,
  catalogLocationReadPermission.name,
  lexeconEntityReadPermission.name,
]);

/**
 * Every other catalog permission changes what the catalog holds or makes it fetch a URL (register,
 * analyze, refresh, delete, ingestion): whoever may do it can declare who the approvers are.
 * Derived from the catalog's own list, so a permission it adds later is admins-only too.
 */
const CATALOG_ADMIN_PERMISSIONS = new Set(
  catalogPermissions
    .map(permission => permission.name)
    .filter(name => !SIGNED_IN_READS.has(name)),
);

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
    adminGroups:
      config.getOptionalStringArray('lexecon.permissions.adminGroups') ??
      DEFAULT_POLICY_OPTIONS.adminGroups,
    evidenceOwnerGroups:
      config.getOptionalStringArray('lexecon.evidence.ownerGroups') ??
      DEFAULT_POLICY_OPTIONS.evidenceOwnerGroups,
  };
}

/**
 * The portal's policy, deny by default: everyone signed in reads the catalog and Release &
 * Compliance data; only members of the admin groups change the catalog; only members of the
 * approver groups approve or reject deploys; approvers and admins acknowledge cost anomalies;
 * read-only groups (auditors) may not trigger refreshes
 * against upstream APIs; the audit trail is for auditors and approvers; evidence is read by
 * auditors, approvers and evidence owners, and changed by owners only. A permission not named
 * here (another plugin's, or a new one) is denied until this policy names who holds it.
 */
export class LexeconPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly options: LexeconPolicyOptions = DEFAULT_POLICY_OPTIONS,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    const refs = user.info.ownershipEntityRefs;
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
      case lexeconCostAcknowledgePermission.name:
        return allowIf(
          (memberOf(this.options.approverGroups) ||
            memberOf(this.options.adminGroups)) &&
            !memberOf(this.options.readOnlyGroups),
        );
      case lexeconAuditReadPermission.name:
        return allowIf(
          memberOf(this.options.auditReaderGroups) ||
            memberOf(this.options.approverGroups),
        );
      case lexeconEvidenceReadPermission.name:
        return allowIf(
          memberOf(this.options.auditReaderGroups) ||
            memberOf(this.options.approverGroups) ||
            memberOf(this.options.evidenceOwnerGroups),
        );
      case lexeconEvidenceWritePermission.name:
        return allowIf(
          memberOf(this.options.evidenceOwnerGroups) &&
            !memberOf(this.options.readOnlyGroups),
        );
      default:
        if (SIGNED_IN_READS.has(request.permission.name)) {
          return allowIf(true);
        }
        return allowIf(
          CATALOG_ADMIN_PERMISSIONS.has(request.permission.name) &&
            memberOf(this.options.adminGroups),
        );
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
