import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { ConfigReader } from '@backstage/config';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
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

describe('LexeconPermissionPolicy for cost anomalies', () => {
  const policy = new LexeconPermissionPolicy();
  const acknowledge = (...refs: string[]) =>
    policy
      .handle({ permission: lexeconCostAcknowledgePermission }, user(...refs))
      .then(d => d.result);

  it('lets release approvers and portal admins acknowledge a cost anomaly, no one else', async () => {
    await expect(
      acknowledge('user:default/alex-kim', 'group:default/release-approvers'),
    ).resolves.toBe(AuthorizeResult.ALLOW);
    await expect(
      acknowledge('user:default/robin-lee', 'group:default/portal-admins'),
    ).resolves.toBe(AuthorizeResult.ALLOW);
    await expect(
      acknowledge('user:default/sam-okafor', 'group:default/oncall'),
    ).resolves.toBe(AuthorizeResult.DENY);
    await expect(
      acknowledge('user:default/casey-morgan', 'group:default/auditors'),
    ).resolves.toBe(AuthorizeResult.DENY);
  });
});

describe('LexeconPermissionPolicy for evidence', () => {
  const policy = new LexeconPermissionPolicy();
  const decide = (
    permission: Permission,
    ...refs: string[]
  ): Promise<AuthorizeResult> =>
    policy.handle({ permission }, user(...refs)).then(d => d.result);
  const auditor = ['user:default/casey-morgan', 'group:default/auditors'];
  const approver = ['user:default/alex-kim', 'group:default/release-approvers'];
  const owner = ['user:default/maya-chen', 'group:default/lexecon-engineering'];
  const oncall = ['user:default/guest', 'group:default/oncall'];

  it('lets auditors, approvers and evidence owners read evidence, no one else', async () => {
    for (const who of [auditor, approver, owner]) {
      await expect(decide(lexeconEvidenceReadPermission, ...who)).resolves.toBe(
        AuthorizeResult.ALLOW,
      );
    }
    await expect(
      decide(lexeconEvidenceReadPermission, ...oncall),
    ).resolves.toBe(AuthorizeResult.DENY);
  });

  it('lets only evidence owners change evidence, never an auditor who also owns it', async () => {
    await expect(
      decide(lexeconEvidenceWritePermission, ...owner),
    ).resolves.toBe(AuthorizeResult.ALLOW);
    for (const who of [auditor, approver, oncall]) {
      await expect(
        decide(lexeconEvidenceWritePermission, ...who),
      ).resolves.toBe(AuthorizeResult.DENY);
    }
    await expect(
      decide(
        lexeconEvidenceWritePermission,
        ...auditor,
        'group:default/lexecon-engineering',
      ),
    ).resolves.toBe(AuthorizeResult.DENY);
  });

  it('takes the evidence owner groups from config', async () => {
    const configured = new LexeconPermissionPolicy(
      readPolicyOptions(
        new ConfigReader({
          lexecon: { evidence: { ownerGroups: ['group:default/oncall'] } },
        }),
      ),
    );
    await expect(
      configured
        .handle({ permission: lexeconEvidenceWritePermission }, user(...oncall))
        .then(d => d.result),
    ).resolves.toBe(AuthorizeResult.ALLOW);
    await expect(
      configured
        .handle({ permission: lexeconEvidenceWritePermission }, user(...owner))
        .then(d => d.result),
    ).resolves.toBe(AuthorizeResult.DENY);
  });
});

describe('LexeconPermissionPolicy for the catalog and anything else', () => {
  const policy = new LexeconPermissionPolicy();
  const admin = user('user:default/robin-admin', 'group:default/portal-admins');
  const approver = user(
    'user:default/alex-kim',
    'group:default/release-approvers',
  );
  const engineer = user('user:default/sam-okafor', 'group:default/oncall');
  const result = (permission: Permission, who?: PolicyQueryUser) =>
    policy.handle({ permission }, who).then(d => d.result);
  const catalogWrites = [
    catalogLocationCreatePermission,
    catalogLocationAnalyzePermission,
    catalogLocationDeletePermission,
    catalogEntityCreatePermission,
    catalogEntityDeletePermission,
    catalogEntityRefreshPermission,
  ];

  it('lets everyone signed in read the catalog and Release & Compliance data', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      catalogLocationReadPermission,
      lexeconEntityReadPermission,
    ]) {
      await expect(result(permission, engineer)).resolves.toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });

  it('leaves registering, refreshing and deleting catalog data to admins, not even approvers', async () => {
    for (const permission of catalogWrites) {
      await expect(result(permission, engineer)).resolves.toBe(
        AuthorizeResult.DENY,
      );
      await expect(result(permission, approver)).resolves.toBe(
        AuthorizeResult.DENY,
      );
      await expect(result(permission, admin)).resolves.toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });

  it('takes the admin groups from config', async () => {
    const custom = new LexeconPermissionPolicy(
      readPolicyOptions(
        new ConfigReader({
          lexecon: { permissions: { adminGroups: ['group:default/oncall'] } },
        }),
      ),
    );
    await expect(
      custom
        .handle({ permission: catalogLocationCreatePermission }, engineer)
        .then(d => d.result),
    ).resolves.toBe(AuthorizeResult.ALLOW);
    await expect(
      custom
        .handle({ permission: catalogLocationCreatePermission }, admin)
        .then(d => d.result),
    ).resolves.toBe(AuthorizeResult.DENY);
  });

  it('denies a permission it does not name, even to admins', async () => {
    const unknown = createPermission({
      name: 'scaffolder.task.create',
      attributes: {},
    });
    await expect(result(unknown, engineer)).resolves.toBe(AuthorizeResult.DENY);
    await expect(result(unknown, admin)).resolves.toBe(AuthorizeResult.DENY);
  });

  it('denies everything to a request without a signed-in user', async () => {
    await expect(result(catalogEntityReadPermission)).resolves.toBe(
      AuthorizeResult.DENY,
    );
    await expect(result(lexeconEntityReadPermission)).resolves.toBe(
      AuthorizeResult.DENY,
    );
  });
});
