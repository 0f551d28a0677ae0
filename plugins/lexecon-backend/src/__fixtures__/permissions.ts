import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';

export interface PermissionQuery {
  permission: string;
  /** The entity ref of a resource permission request; absent for basic permissions. */
  resourceRef?: string;
  /** The caller's user entity ref; absent for service callers. */
  userRef?: string;
}

/**
 * A PermissionsService that decides each request by permission name, resource and user, as
 * a real policy can (the Backstage mock only allows or denies everything).
 */
export function decidingPermissions(
  decide: (query: PermissionQuery) => boolean,
): PermissionsService {
  const answer = (
    requests: Array<{ permission: Permission; resourceRef?: string }>,
    credentials: BackstageCredentials,
  ) =>
    requests.map(r => {
      const allowed = decide({
        permission: r.permission.name,
        resourceRef: isResourcePermission(r.permission)
          ? r.resourceRef
          : undefined,
        userRef: (credentials.principal as { userEntityRef?: string })
          .userEntityRef,
      });
      const result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = allowed
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
      return { result };
    });
  return {
    async authorize(requests, { credentials }) {
      return answer(requests, credentials);
    },
    async authorizeConditional(requests, { credentials }) {
      return answer(requests, credentials);
    },
  };
}

/** The same, as a service factory for startTestBackend. */
export function decidingPermissionsFactory(
  decide: (query: PermissionQuery) => boolean,
) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => decidingPermissions(decide),
  });
}

/**
 * Allows everything, except that the caller (or only `userRef`, when given) may read the Lexecon
 * data of `readable` entities only: pass none to refuse reading altogether.
 */
export function readableOnly(
  readable: string[],
  userRef?: string,
): (query: PermissionQuery) => boolean {
  return q =>
    q.permission !== 'lexecon.entity.read' ||
    (userRef !== undefined && q.userRef !== userRef) ||
    readable.includes(q.resourceRef ?? '');
}
