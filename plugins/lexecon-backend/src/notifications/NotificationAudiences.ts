import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_HAS_MEMBER,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { assessEligibility } from '../approvals/eligibility';
import { ApprovalsConfig } from '../config';
import { GithubPendingRun } from '../sources/github/types';
import { Audience } from './detectedEvent';
import { LexeconNotifier } from './LexeconNotifier';
import { NotificationsConfig } from './notificationsConfig';

/** The catalog user annotation that names the person's GitHub account. */
const GITHUB_LOGIN_ANNOTATION = 'github.com/user-login';

/** Turns an event's audience into the entity refs it is sent to. */
export class NotificationAudiences {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      approvals: ApprovalsConfig;
      settings: NotificationsConfig;
      notifier: LexeconNotifier;
    },
  ) {}

  async recipients(entityRef: string, audience: Audience): Promise<string[]> {
    if (audience.type === 'approvers') {
      return this.approvers(audience.run, audience.teams);
    }
    if (audience.type === 'owner') return this.owner(entityRef);
    if (audience.type === 'on-call') return [this.options.settings.onCallGroup];
    if (audience.type === 'entities') return audience.refs;
    return (await this.options.notifier.recipientsOf(audience.key)) ?? [];
  }

  /**
   * Members of the approver groups whom the approvals would let decide the run: required
   * reviewers (in github-reviewers mode), and not excluded by segregation of duties (who
   * triggered the run or had a hand in its changes). Group membership stands in for the
   * permission, which the policy grants to exactly these groups.
   */
  private async approvers(
    run: GithubPendingRun,
    teams: Record<string, string[]>,
  ): Promise<string[]> {
    const env = this.options.approvals.forEnvironment(run.environment, {
      requiresReviewers: run.reviewers.length > 0,
    });
    const groups = await this.entities(this.options.settings.approverGroups);
    const members = [
      ...new Set(
        groups.flatMap(group =>
          (group.relations ?? [])
            .filter(r => r.type === RELATION_HAS_MEMBER)
            .map(r => r.targetRef),
        ),
      ),
    ];
    const users = await this.entities(members);
    return users
      .filter(
        user =>
          assessEligibility({
            run,
            teams,
            mode: env.mode,
            segregationOfDuties: env.segregationOfDuties,
            permitted: true,
            githubLogin:
              user.metadata.annotations?.[GITHUB_LOGIN_ANNOTATION]?.trim() ||
              undefined,
          }).canDecide,
      )
      .map(user => stringifyEntityRef(user));
  }

  private async owner(entityRef: string): Promise<string[]> {
    const [entity] = await this.entities([entityRef]);
    const ownedBy = entity?.relations?.find(
      r => r.type === RELATION_OWNED_BY,
    )?.targetRef;
    if (ownedBy) return [ownedBy];
    const owner = entity?.spec?.owner;
    if (typeof owner !== 'string') return [];
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: parseEntityRef(entityRef).namespace,
        }),
      ),
    ];
  }

  private async entities(refs: string[]): Promise<Entity[]> {
    if (!refs.length) return [];
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return items.filter((item): item is Entity => item !== undefined);
  }
}
