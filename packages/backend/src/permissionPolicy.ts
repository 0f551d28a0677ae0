import { createBackendModule } from '@backstage/backend-plugin-api';
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
import { lexeconEntityRefreshPermission } from '@internal/plugin-lexecon-common';

/** Groups whose members only read: they may not trigger upstream calls. */
export const READ_ONLY_GROUPS = ['group:default/auditors'];

/**
 * The portal's policy: everyone signed in reads the catalog and Release & Compliance data;
 * read-only groups (auditors) may not trigger refreshes against upstream APIs.
 */
export class LexeconPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (request.permission.name === lexeconEntityRefreshPermission.name) {
      const refs = user?.info.ownershipEntityRefs ?? [];
      if (refs.some(ref => READ_ONLY_GROUPS.includes(ref))) {
        return { result: AuthorizeResult.DENY };
      }
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const lexeconPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'lexecon-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new LexeconPermissionPolicy());
      },
    });
  },
});
