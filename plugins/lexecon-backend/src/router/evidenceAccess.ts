import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  lexeconEvidenceReadPermission,
  lexeconEvidenceWritePermission,
} from '@internal/plugin-lexecon-common';
import { Request } from 'express';

/**
 * The evidence routes' permission checks: reading is for auditors, approvers and owners; writing
 * for owners, always as a signed-in person (an attachment names who attached it). A refusal names
 * the permission.
 */
export function evidenceAccess(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
) {
  async function can(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }
  return {
    can,
    async requireRead(req: Request): Promise<void> {
      if (!(await can(req, lexeconEvidenceReadPermission))) {
        throw new NotAllowedError(
          `Missing permission ${lexeconEvidenceReadPermission.name}: evidence is for auditors, release approvers and evidence owners`,
        );
      }
    },
    /** The signed-in writer's entity ref. */
    async requireWriter(req: Request): Promise<string> {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const [decision] = await permissions.authorize(
        [{ permission: lexeconEvidenceWritePermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Missing permission ${lexeconEvidenceWritePermission.name}: only evidence owners attach, mark or register evidence`,
        );
      }
      return credentials.principal.userEntityRef;
    },
  };
}
