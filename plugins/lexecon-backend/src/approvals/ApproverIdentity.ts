import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** The catalog user annotation that names the person's GitHub account. */
const GITHUB_LOGIN_ANNOTATION = 'github.com/user-login';

/** Who is asking, as the approvals see them. */
export interface Viewer {
  credentials: BackstageCredentials;
  /** Absent for anyone who is not a signed-in person (a service, a guest without a user). */
  userRef?: string;
  githubLogin?: string;
  /** The groups the catalog says the person is a member of, as entity refs. */
  groups: string[];
}

/** Resolves the person behind a request: their catalog user and their GitHub login. */
export class ApproverIdentity {
  constructor(
    private readonly options: { catalog: CatalogService; auth: AuthService },
  ) {}

  async viewer(credentials: BackstageCredentials): Promise<Viewer> {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    if (principal.type !== 'user' || !principal.userEntityRef) {
      return { credentials, groups: [] };
    }
    const user = await this.options.catalog.getEntityByRef(
      principal.userEntityRef,
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return {
      credentials,
      userRef: principal.userEntityRef,
      githubLogin:
        user?.metadata.annotations?.[GITHUB_LOGIN_ANNOTATION]?.trim() ||
        undefined,
      groups: (user?.relations ?? [])
        .filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => r.targetRef),
    };
  }
}
