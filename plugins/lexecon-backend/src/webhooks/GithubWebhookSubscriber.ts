import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-lexecon-common';
import { AuditEntry, AuditLog } from '../audit/AuditLog';
import {
  EntityTarget,
  isCoveredEntity,
  resolveEntityTarget,
} from '../EntityTarget';
import type { GithubReviewCheck } from '../approvals/GithubReviewCheck';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { GITHUB_DRIVEN_SOURCES } from '../sources/githubDrivenSources';

/** GitHub webhook events that change what the portal shows. */
export const GITHUB_WEBHOOK_EVENTS = [
  'workflow_run',
  'deployment',
  'deployment_status',
  'deployment_review',
  'deployment_protection_rule',
];

interface WebhookPayload {
  action?: string;
  repository?: { full_name?: string };
  sender?: { login?: string };
  approver?: { login?: string };
  comment?: string;
  since?: string;
  environment?: string | { name?: string };
  workflow_run?: {
    id?: number;
    path?: string;
    status?: string;
    conclusion?: string | null;
    head_sha?: string;
    updated_at?: string;
    triggering_actor?: { login?: string };
  };
  workflow_job_runs?: Array<{ environment?: string; updated_at?: string }>;
  deployment?: { sha?: string; environment?: string };
  deployment_callback_url?: string;
}

/**
 * Whether the events backend's GitHub module checks `X-Hub-Signature-256`: it does only when a
 * webhook secret is configured, and otherwise accepts any delivery, signed or not.
 */
export function githubWebhooksVerified(config: Config): boolean {
  if (config.getOptionalString('events.modules.github.webhookSecret')) {
    return true;
  }
  return (config.getOptionalConfigArray('integrations.github') ?? []).some(
    integration =>
      (integration.getOptionalConfigArray('apps') ?? []).some(app =>
        Boolean(app.getOptionalString('webhookSecret')),
      ),
  );
}

function header(params: EventParams, name: string): string | undefined {
  const value = params.metadata?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reacts to GitHub webhooks delivered through Backstage's events backend (whose GitHub module
 * checks `X-Hub-Signature-256`): the affected entities are refreshed at once, and reviews made
 * in GitHub itself go into the audit trail with the time GitHub reports, which the approvals
 * endpoint does not give.
 */
export class GithubWebhookSubscriber {
  constructor(
    private readonly options: {
      events: EventsService;
      catalog: CatalogService;
      auth: AuthService;
      refresher: SnapshotRefresher;
      audit: AuditLog;
      logger: LoggerService;
      /** From githubWebhooksVerified: unverified deliveries could forge reviews in the audit trail. */
      verified: boolean;
      /** See `lexecon.refresh.minInterval`: a burst of deliveries costs one fetch per source. */
      minIntervalMs?: number;
      /** Checks reviews made in GitHub against segregation of duties and the readiness gate. */
      reviews?: Pick<GithubReviewCheck, 'exceptionsOf'>;
      now?: () => Date;
    },
  ) {}

  async subscribe() {
    if (!this.options.verified) {
      this.options.logger.warn(
        'GitHub webhooks are ignored: set events.modules.github.webhookSecret (or a GitHub App webhookSecret) so that deliveries are verified',
      );
      return;
    }
    await this.options.events.subscribe({
      id: 'lexecon-github-webhooks',
      topics: GITHUB_WEBHOOK_EVENTS.map(e => `github.${e}`),
      onEvent: params => this.handle(params),
    });
  }

  async handle(params: EventParams): Promise<void> {
    const eventType =
      header(params, 'x-github-event') ?? params.topic.replace(/^github\./, '');
    const payload = (params.eventPayload ?? {}) as WebhookPayload;
    const slug = payload.repository?.full_name;
    if (!slug) return;
    const entities = await this.entitiesFor(slug);
    if (!entities.length) {
      this.options.logger.debug(
        `GitHub ${eventType} for ${slug}: no catalog entity annotated with it`,
      );
      return;
    }
    const deliveryId = header(params, 'x-github-delivery');
    let refreshed = 0;
    for (const entity of entities) {
      const target = resolveEntityTarget(entity);
      const entry = this.auditEntry(eventType, payload, target, slug);
      const key = deliveryId && `${deliveryId}:${target.entityRef}`;
      const recorded =
        entry &&
        (await this.options.audit.append({
          ...entry,
          deliveryId: key || undefined,
        }));
      // Checked before the refresh below: the snapshot still has the run as it waited.
      if (recorded && entry.action === 'github-review') {
        await this.recordExceptions(entry, target, key);
      }
      if (!concernsDeploys(eventType, payload, target)) continue;
      // Not awaited: answer the delivery quickly; the refresh is single-flight per entity.
      this.options.refresher.refreshInBackground(target, {
        only: GITHUB_DRIVEN_SOURCES,
        minIntervalMs: this.options.minIntervalMs,
      });
      refreshed++;
    }
    this.options.logger.info(
      `GitHub ${eventType}${
        payload.action ? `.${payload.action}` : ''
      } for ${slug}: refreshing ${refreshed} of ${entities.length} entit${
        entities.length === 1 ? 'y' : 'ies'
      }`,
    );
  }

  /** A redelivery was recorded once above and does not come here again. */
  private async recordExceptions(
    review: AuditEntry,
    target: EntityTarget,
    deliveryKey: string | undefined,
  ) {
    const exceptions =
      (await this.options.reviews?.exceptionsOf({
        target,
        repository: review.repository ?? '',
        runId: review.runId,
        environment: review.environment,
        login: review.githubLogin,
        decision: review.decision ?? 'rejected',
      })) ?? [];
    for (const exception of exceptions) {
      await this.options.audit.append({
        ...review,
        action: 'gate-exception',
        comment: undefined,
        outcome: exception.message,
        exception,
        deliveryId: deliveryKey && `${deliveryKey}:${exception.kind}`,
      });
    }
  }

  private auditEntry(
    eventType: string,
    payload: WebhookPayload,
    target: EntityTarget,
    repository: string,
  ): AuditEntry | undefined {
    const { entityRef } = target;
    const run = payload.workflow_run;
    const jobRun = payload.workflow_job_runs?.[0];
    const environment = environmentsOf(payload)[0];
    if (
      eventType === 'deployment_review' &&
      (payload.action === 'approved' || payload.action === 'rejected')
    ) {
      const login = payload.approver?.login ?? payload.sender?.login;
      return {
        action: 'github-review',
        at: jobRun?.updated_at ?? payload.since ?? undefined,
        actor: `github:${login ?? 'unknown'}`,
        githubLogin: login,
        entityRef,
        repository,
        runId: run?.id,
        environment,
        decision: payload.action,
        comment: payload.comment || undefined,
        outcome: `GitHub recorded the review (deployment_review.${payload.action})`,
      };
    }
    if (
      eventType === 'deployment_protection_rule' &&
      payload.action === 'requested'
    ) {
      return {
        action: 'protection-rule-requested',
        actor: `github:${payload.sender?.login ?? 'unknown'}`,
        githubLogin: payload.sender?.login,
        entityRef,
        repository,
        runId: runIdFromCallback(payload.deployment_callback_url),
        environment,
        version: payload.deployment?.sha?.slice(0, 7),
        outcome:
          'GitHub asked the portal to decide (custom deployment protection rule)',
      };
    }
    if (
      eventType === 'workflow_run' &&
      payload.action === 'completed' &&
      run &&
      isDeployWorkflow(target, run.path)
    ) {
      return {
        action: 'run-completed',
        at: run.updated_at,
        actor: `github:${run.triggering_actor?.login ?? 'unknown'}`,
        githubLogin: run.triggering_actor?.login,
        entityRef,
        repository,
        runId: run.id,
        version: run.head_sha?.slice(0, 7),
        outcome: `Run of ${run.path ?? 'a workflow'} completed: ${
          run.conclusion ?? 'no conclusion'
        }`,
      };
    }
    return undefined;
  }

  private async entitiesFor(slug: string) {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${GITHUB_PROJECT_SLUG_ANNOTATION}`]: slug,
        },
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return items.filter(isCoveredEntity);
  }
}

/** The environments a delivery is about, as GitHub names them in each kind of event. */
function environmentsOf(payload: WebhookPayload): string[] {
  const named = [
    ...(payload.workflow_job_runs ?? []).map(j => j.environment),
    typeof payload.environment === 'string'
      ? payload.environment
      : payload.environment?.name,
    payload.deployment?.environment,
  ];
  return named.filter((e): e is string => Boolean(e));
}

function isDeployWorkflow(target: EntityTarget, path: string | undefined) {
  return Object.values(target.github?.workflows ?? {}).some(file =>
    (path ?? '').endsWith(`/${file}`),
  );
}

/**
 * Whether a delivery can change what the portal shows of the entity: a run of one of its
 * deploy workflows, or an event of one of its environments. A monorepo's other services share
 * the repository; their runs and environments cost this entity nothing. A delivery that names
 * no workflow or environment is taken as concerning it.
 */
function concernsDeploys(
  eventType: string,
  payload: WebhookPayload,
  target: EntityTarget,
): boolean {
  if (eventType === 'workflow_run') {
    const path = payload.workflow_run?.path;
    return !path || isDeployWorkflow(target, path);
  }
  const environments = environmentsOf(payload);
  return (
    !environments.length ||
    environments.some(env => target.environments.includes(env))
  );
}

function runIdFromCallback(url: string | undefined): number | undefined {
  const match = /\/actions\/runs\/(\d+)\//.exec(url ?? '');
  return match ? Number(match[1]) : undefined;
}
