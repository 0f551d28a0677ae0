import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { ConfigReader } from '@backstage/config';
import {
  lexeconAuditReadPermission,
  lexeconDeploymentApprovePermission,
  lexeconEntityReadPermission,
  lexeconEntityRefreshPermission,
} from '@internal/plugin-lexecon-common';
import { LexeconPermissionPolicy, readPolicyOptions } from './permissionPolicy';

function user(...ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    token: 'token',
    credentials: {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: ownershipEntityRefs[0] },
    },
  } as PolicyQueryUser;
}

describe('LexeconPermissionPolicy', () => {
  const policy = new LexeconPermissionPolicy();
  const auditor = user('user:default/casey-morgan', 'group:default/auditors');
  const engineer = user('user:default/sam-okafor', 'group:default/oncall');

  it('lets auditors read but not trigger upstream refreshes', async () => {
    await expect(
      policy.handle({ permission: lexeconEntityReadPermission }, auditor),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: lexeconEntityRefreshPermission }, auditor),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets engineers refresh', async () => {
    await expect(
      policy.handle({ permission: lexeconEntityRefreshPermission }, engineer),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('LexeconPermissionPolicy for approvals', () => {
  const policy = new LexeconPermissionPolicy();
  const approver = user(
    'user:default/alex-kim',
    'group:default/release-approvers',
  );
  const auditor = user('user:default/casey-morgan', 'group:default/auditors');
  const engineer = user('user:default/sam-okafor', 'group:default/oncall');
  const decide = (who: PolicyQueryUser) =>
    policy
      .handle({ permission: lexeconDeploymentApprovePermission }, who)
      .then(d => d.result);
  const readAudit = (who: PolicyQueryUser) =>
    policy
      .handle({ permission: lexeconAuditReadPermission }, who)
      .then(d => d.result);

  it('lets only release approvers approve deploys', async () => {
    await expect(decide(approver)).resolves.toBe(AuthorizeResult.ALLOW);
    await expect(decide(engineer)).resolves.toBe(AuthorizeResult.DENY);
    await expect(decide(auditor)).resolves.toBe(AuthorizeResult.DENY);
  });

  it('shows the audit trail to auditors and approvers only', async () => {
    await expect(readAudit(auditor)).resolves.toBe(AuthorizeResult.ALLOW);
    await expect(readAudit(approver)).resolves.toBe(AuthorizeResult.ALLOW);
    await expect(readAudit(engineer)).resolves.toBe(AuthorizeResult.DENY);
  });

  it('takes the approver groups from config', async () => {
    const custom = new LexeconPermissionPolicy(
      readPolicyOptions(
        new ConfigReader({
          lexecon: { approvals: { approverGroups: ['group:default/oncall'] } },
        }),
      ),
    );
    await expect(
      custom
        .handle({ permission: lexeconDeploymentApprovePermission }, engineer)
        .then(d => d.result),
    ).resolves.toBe(AuthorizeResult.ALLOW);
    await expect(
      custom
        .handle({ permission: lexeconDeploymentApprovePermission }, approver)
        .then(d => d.result),
    ).resolves.toBe(AuthorizeResult.DENY);
  });
});
