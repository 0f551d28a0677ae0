import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  lexeconEntityReadPermission,
  lexeconEntityRefreshPermission,
} from '@internal/plugin-lexecon-common';
import { LexeconPermissionPolicy } from './permissionPolicy';

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
