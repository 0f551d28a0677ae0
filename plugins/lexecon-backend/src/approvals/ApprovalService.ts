import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ApprovalsInbox,
  DecisionBody,
  DecisionResult,
  GITHUB_TOKEN_HEADER,
  lexeconDeploymentApprovePermission,
  PendingApproval,
  SourceState,
} from '@internal/plugin-lexecon-common';
import type { Request } from 'express';
import { ApprovalsConfig } from '../config';
import { EntityTarget } from '../EntityTarget';
import { delay, SnapshotReader } from '../snapshots/SnapshotReader';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { GithubClientFactory } from '../sources/github/GithubClientFactory';
import {
  GithubApprovalsSnapshot,
  GithubPendingRun,
} from '../sources/github/types';
import { AuditEntry, AuditLog } from '../audit/AuditLog';
import { DecisionRow, DecisionStore } from './DecisionStore';
import { assessEligibility } from './eligibility';
import { ApprovalHttpError, conflict } from './errors';
import { computeReadiness } from './readiness';
import { GITHUB_DRIVEN_SOURCES } from '../sources/githubDrivenSources';

const SOURCE = 'github-approvals' as const;
const GITHUB_LOGIN_ANNOTATION = 'github.com/user-login';
/** GitHub fails a job that waits for a review longer than this. */
const REVIEW_EXPIRY_MS = 30 * 86_400_000;

export interface Viewer {
  credentials: BackstageCredentials;
  userRef?: string;
  githubLogin?: string;
}

export interface CoveredEntity {
  entity: Entity;
  target: EntityTarget;
}

interface ServiceOptions {
  store: SnapshotStore;
  refresher: SnapshotRefresher;
  reader: SnapshotReader;
  audit: AuditLog;
  decisions: DecisionStore;
  github: GithubClientFactory;
  permissions: PermissionsService;
  catalog: CatalogService;
  auth: AuthService;
  auditor: AuditorService;
  logger: LoggerService;
  settings: ApprovalsConfig;
  onDemandWaitMs: number;
  timeoutMs: number;
  now?: () => Date;
}

interface RequestError {
  status?: number;
  message?: string;
  response?: { data?: { message?: string } };
  name?: string;
}

/**
 * Pending production approvals: the inbox with the context to decide, and the decision itself,
 * sent to GitHub once (idempotent across retries and replicas), refused for the wrong person,
 * and recorded in the hash-chained audit trail whatever the outcome.
 */
export class ApprovalService {
  constructor(private readonly options: ServiceOptions) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** Who is asking: the catalog user and their GitHub login (`github.com/user-login`). */
  async viewer(credentials: BackstageCredentials): Promise<Viewer> {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    if (principal.type !== 'user' || !principal.userEntityRef) {
      return { credentials };
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
    };
  }

  async inbox(
    covered: CoveredEntity[],
    viewer: Viewer,
  ): Promise<ApprovalsInbox> {
    const withGithub = covered.filter(c => c.target.github);
    const decisions = withGithub.length
      ? await this.options.permissions.authorize(
          withGithub.map(c => ({
            permission: lexeconDeploymentApprovePermission,
            resourceRef: c.target.entityRef,
          })),
          { credentials: viewer.credentials },
        )
      : [];
    const items: PendingApproval[] = [];
    const sources: ApprovalsInbox['sources'] = [];
    await Promise.all(
      withGithub.map(async ({ entity, target }, i) => {
        const { state, snapshot } = await this.load(target);
        sources.push({ ...state, entityRef: target.entityRef });
        if (!snapshot) return;
        const decided = await this.options.decisions.decidedRuns(
          snapshot.repository.slug,
        );
        for (const run of snapshot.pending) {
          if (decided.has(`${run.runId}:${run.environment}`)) continue;
          items.push(
            this.toPendingApproval(entity, target, snapshot, run, {
              viewer,
              permitted: decisions[i]?.result === AuthorizeResult.ALLOW,
            }),
          );
        }
      }),
    );
    items.sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));
    sources.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
    return { items, sources, generatedAt: this.now().toISOString() };
  }

  /** Reads the approvals snapshot; a never-fetched one is fetched once, shared, time-boxed. */
  private async load(target: EntityTarget): Promise<{
    state: SourceState;
    snapshot?: GithubApprovalsSnapshot;
  }> {
    const { state, data } =
      await this.options.reader.read<GithubApprovalsSnapshot>(target, SOURCE);
    return { state, snapshot: data };
  }

  private toPendingApproval(
    entity: Entity,
    target: EntityTarget,
    snapshot: GithubApprovalsSnapshot,
    run: GithubPendingRun,
    context: { viewer: Viewer; permitted: boolean },
  ): PendingApproval {
    const env = this.options.settings.forEnvironment(run.environment);
    const waitingSince = run.waitingSince;
    const now = this.now().getTime();
    const deployedAt = run.staging?.deployedAt;
    return {
      id: `${run.runId}:${run.environment}`,
      entityRef: target.entityRef,
      entityTitle: entity.metadata.title ?? entity.metadata.name,
      repository: snapshot.repository,
      runId: run.runId,
      runUrl: run.runUrl,
      workflowName: run.workflowName,
      environment: run.environment,
      environmentId: run.environmentId,
      environmentUrl: run.environmentUrl,
      mode: env.mode,
      version: run.tag ?? run.headSha.slice(0, 7),
      sha: run.headSha,
      shortSha: run.headSha.slice(0, 7),
      commitTitle: run.commitTitle,
      requestedBy: run.triggeringActor,
      waitingSince,
      waitTimerMinutes: run.waitTimerMinutes,
      waitTimerEndsAt: run.waitTimerMinutes
        ? new Date(
            Date.parse(waitingSince) + run.waitTimerMinutes * 60_000,
          ).toISOString()
        : undefined,
      expiresAt: new Date(
        Date.parse(waitingSince) + REVIEW_EXPIRY_MS,
      ).toISOString(),
      requiredReviewers: run.reviewers,
      segregationOfDuties: env.segregationOfDuties,
      changeSet: run.changeSet,
      ci: run.ci,
      staging: run.staging && {
        ...run.staging,
        onStagingSeconds: deployedAt
          ? Math.max(0, Math.round((now - Date.parse(deployedAt)) / 1000))
          : undefined,
      },
      readiness: computeReadiness(
        run.readiness,
        this.options.settings.readinessGate,
      ),
      viewer: assessEligibility({
        run,
        teams: snapshot.teams,
        mode: env.mode,
        segregationOfDuties: env.segregationOfDuties,
        permitted: context.permitted,
        githubLogin: context.viewer.githubLogin,
      }),
      warnings: run.warnings,
    };
  }

  /**
   * Approves or rejects a waiting run. Every refusal, failure and success is written to the
   * audit trail before the answer goes out.
   */
  async decide(args: {
    entity: Entity;
    target: EntityTarget;
    runId: number;
    environment: string;
    body: DecisionBody;
    githubToken?: string;
    viewer: Viewer;
    request: Request;
  }): Promise<DecisionResult> {
    const { target, runId, environment, body, viewer } = args;
    const github = target.github;
    if (!github) {
      throw new NotFoundError(
        `${target.entityRef} has no github.com/project-slug annotation, so it has no approvals`,
      );
    }
    const repository = `${github.owner}/${github.repo}`;
    const env = this.options.settings.forEnvironment(environment);
    const key = { repository, runId, environment };
    const auditBase: AuditEntry = {
      action: 'refused',
      actor: viewer.userRef ?? 'unknown',
      githubLogin: viewer.githubLogin,
      entityRef: target.entityRef,
      repository,
      runId,
      environment,
      decision: body.decision,
      comment: body.comment,
      outcome: '',
      mode: env.mode,
    };
    const event = await this.options.auditor.createEvent({
      eventId: 'deployment-decision',
      severityLevel: 'high',
      request: args.request,
      meta: {
        entityRef: target.entityRef,
        repository,
        runId,
        environment,
        decision: body.decision,
        mode: env.mode,
      },
    });
    const context: { version?: string } = {};
    const refuse = async (error: Error, upstreamStatus?: number) => {
      await this.options.audit.append({
        ...auditBase,
        version: context.version,
        outcome: error.message,
        upstreamStatus,
      });
      await event.fail({ error });
      return error;
    };

    if (!viewer.userRef) {
      throw await refuse(
        new NotAllowedError(
          'Only a signed-in person can approve or reject a deploy',
        ),
      );
    }
    const [permission] = await this.options.permissions.authorize(
      [
        {
          permission: lexeconDeploymentApprovePermission,
          resourceRef: target.entityRef,
        },
      ],
      { credentials: viewer.credentials },
    );

    const previous = await this.options.decisions.find(key);
    if (previous && previous.state !== 'in-progress') {
      throw await refuse(decisionConflict(previous));
    }

    // What GitHub says now, not what the last snapshot said.
    const reader = await this.options.github.forRepository(
      github.owner,
      github.repo,
    );
    const gates = await this.upstream(
      () =>
        reader.actions
          .getPendingDeploymentsForRun({
            owner: github.owner,
            repo: github.repo,
            run_id: runId,
          })
          .then(r => r.data),
      `reading run ${runId}`,
      refuse,
    );
    const gate = gates.find(g => g.environment.name === environment);
    if (!gate) {
      this.options.refresher.refreshInBackground(target, {
        only: GITHUB_DRIVEN_SOURCES,
      });
      // It stopped waiting because of a decision made here, whose review landed before the
      // decision was recorded: name who made it, as a claim would.
      const decidedHere = await this.options.decisions.find(key);
      if (decidedHere) throw await refuse(decisionConflict(decidedHere));
      const what = await this.describeRunState(reader, github, runId);
      throw await refuse(
        conflict(
          `Run ${runId} is no longer waiting for ${environment}: ${what.message}`,
          { reason: 'no-longer-waiting', runStatus: what.status },
        ),
      );
    }

    const run = await this.pendingRun(target, runId, environment);
    context.version = run?.tag ?? run?.headSha.slice(0, 7);
    const version = context.version;
    if (!run) {
      throw await refuse(
        new ApprovalHttpError(
          503,
          'ServiceUnavailableError',
          `The portal has not read the context of run ${runId} yet; try again in a moment`,
        ),
      );
    }
    if (body.expectedSha && !run.headSha.startsWith(body.expectedSha)) {
      throw await refuse(
        conflict(
          `Run ${runId} now deploys ${run.headSha.slice(
            0,
            7,
          )}, not the ${body.expectedSha.slice(
            0,
            7,
          )} you confirmed; review it again`,
          { reason: 'no-longer-waiting', runStatus: 'changed' },
        ),
      );
    }
    const snapshot = await this.options.store.get<GithubApprovalsSnapshot>(
      target.entityRef,
      SOURCE,
    );
    const eligibility = assessEligibility({
      run,
      teams: snapshot?.data?.teams ?? {},
      mode: env.mode,
      segregationOfDuties: env.segregationOfDuties,
      permitted: permission.result === AuthorizeResult.ALLOW,
      githubLogin: viewer.githubLogin,
    });
    if (!eligibility.canDecide) {
      throw await refuse(
        new NotAllowedError(eligibility.reasons.map(r => r.message).join('. ')),
      );
    }
    if (env.mode === 'github-reviewers' && !args.githubToken) {
      throw await refuse(
        new AuthenticationError(
          `Sign in with GitHub to ${
            body.decision === 'approved' ? 'approve' : 'reject'
          }: ${environment} takes reviews from your own GitHub account (send it in the ${GITHUB_TOKEN_HEADER} header)`,
        ),
      );
    }

    if (env.mode === 'github-reviewers') {
      // The token must be the signed-in person's own: GitHub records the review as its owner.
      const login = await this.tokenOwner(args.githubToken!).catch(
        async error => {
          const mapped = describeWriteError(
            error,
            runId,
            environment,
            this.options.timeoutMs,
          );
          await this.options.audit.append({
            ...auditBase,
            action: 'upstream-error',
            version,
            outcome: mapped.message,
            upstreamStatus: (error as RequestError).status,
          });
          await event.fail({ error: mapped });
          throw mapped;
        },
      );
      if (
        viewer.githubLogin &&
        login.toLowerCase() !== viewer.githubLogin.toLowerCase()
      ) {
        throw await refuse(
          new NotAllowedError(
            `The GitHub token you sent belongs to ${login}, but you are signed in as ${viewer.githubLogin}; sign in with your own GitHub account`,
          ),
        );
      }
    }

    const claim = await this.options.decisions.claim(key, {
      actor: viewer.userRef,
      githubLogin: viewer.githubLogin,
      at: this.now(),
    });
    if (!claim.claimed) {
      throw await refuse(decisionConflict(claim.existing));
    }

    try {
      await this.sendReview({
        mode: env.mode,
        github,
        runId,
        environment,
        environmentId: gate.environment.id ?? run.environmentId,
        body,
        githubToken: args.githubToken,
        viewer,
      });
    } catch (error) {
      await this.options.decisions.release(key);
      const mapped =
        error instanceof ApprovalHttpError || error instanceof NotAllowedError
          ? error
          : describeWriteError(
              error,
              runId,
              environment,
              this.options.timeoutMs,
            );
      await this.options.audit.append({
        ...auditBase,
        action: 'upstream-error',
        version,
        outcome: mapped.message,
        upstreamStatus: (error as RequestError).status,
      });
      await event.fail({ error: mapped });
      throw mapped;
    }

    const decidedAt = this.now();
    await this.options.decisions.complete(key, body.decision, decidedAt);
    const record = await this.options.audit.append({
      ...auditBase,
      action: 'decision',
      at: decidedAt.toISOString(),
      version,
      outcome: `GitHub accepted the ${
        body.decision === 'approved' ? 'approval' : 'rejection'
      }`,
      upstreamStatus: env.mode === 'portal-gate' ? 204 : 200,
    });
    await event.success({ meta: { auditId: record?.id ?? null } });
    this.options.refresher.refreshInBackground(target, {
      only: GITHUB_DRIVEN_SOURCES,
    });
    return {
      decision: body.decision,
      runId,
      environment,
      version: version ?? String(runId),
      decidedBy: viewer.userRef,
      githubLogin: viewer.githubLogin,
      decidedAt: decidedAt.toISOString(),
      mode: env.mode,
      auditId: record?.id ?? 0,
    };
  }

  /** The run from the snapshot; a run too new for it triggers a refresh first. */
  private async pendingRun(
    target: EntityTarget,
    runId: number,
    environment: string,
  ): Promise<GithubPendingRun | undefined> {
    const find = async () =>
      (
        await this.options.store.get<GithubApprovalsSnapshot>(
          target.entityRef,
          SOURCE,
        )
      )?.data?.pending.find(
        p => p.runId === runId && p.environment === environment,
      );
    const found = await find();
    if (found) return found;
    await Promise.race([
      this.options.refresher.refresh(target, SOURCE),
      delay(this.options.onDemandWaitMs),
    ]);
    return find();
  }

  private async upstream<T>(
    fn: () => Promise<T>,
    what: string,
    refuse: (error: Error, status?: number) => Promise<Error>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const status = (error as RequestError).status;
      if (status === 404) {
        throw await refuse(
          new NotFoundError(`GitHub has no workflow run while ${what} (404)`),
          status,
        );
      }
      throw await refuse(
        describeWriteError(error, 0, what, this.options.timeoutMs),
        status,
      );
    }
  }

  private async describeRunState(
    reader: Awaited<ReturnType<GithubClientFactory['forRepository']>>,
    github: { owner: string; repo: string },
    runId: number,
  ): Promise<{ status: string; message: string }> {
    try {
      const [{ data: run }, { data: reviews }] = await Promise.all([
        reader.actions.getWorkflowRun({
          owner: github.owner,
          repo: github.repo,
          run_id: runId,
        }),
        reader.actions.getReviewsForRun({
          owner: github.owner,
          repo: github.repo,
          run_id: runId,
        }),
      ]);
      const review = reviews.find(
        r => r.state === 'approved' || r.state === 'rejected',
      );
      if (review) {
        return {
          status: run.status ?? 'unknown',
          message: `it was ${review.state} in GitHub by ${review.user.login}`,
        };
      }
      if (run.status === 'completed') {
        return {
          status: 'completed',
          message: `it ended ${
            run.conclusion ?? 'without a conclusion'
          } (cancelled, expired or failed)`,
        };
      }
      return {
        status: run.status ?? 'unknown',
        message: `it is ${run.status}`,
      };
    } catch {
      return {
        status: 'unknown',
        message: 'GitHub no longer lists it as waiting',
      };
    }
  }

  private async tokenOwner(token: string): Promise<string> {
    const { data } = await this.options.github
      .forUserToken(token)
      .users.getAuthenticated();
    return data.login;
  }

  private async sendReview(args: {
    mode: 'github-reviewers' | 'portal-gate';
    github: { owner: string; repo: string };
    runId: number;
    environment: string;
    environmentId: number;
    body: DecisionBody;
    githubToken?: string;
    viewer: Viewer;
  }) {
    const { github, runId, environment, body, viewer } = args;
    if (args.mode === 'github-reviewers') {
      const client = this.options.github.forUserToken(args.githubToken!);
      await client.actions.reviewPendingDeploymentsForRun({
        owner: github.owner,
        repo: github.repo,
        run_id: runId,
        environment_ids: [args.environmentId],
        state: body.decision,
        comment: body.comment,
      });
      return;
    }
    // portal-gate: the portal's App answers its own protection rule and names the person.
    const client = await this.options.github.writerForRepository(
      github.owner,
      github.repo,
    );
    await client.actions.reviewCustomGatesForRun({
      owner: github.owner,
      repo: github.repo,
      run_id: runId,
      environment_name: environment,
      state: body.decision,
      comment: `${body.comment}\n\n${
        body.decision === 'approved' ? 'Approved' : 'Rejected'
      } in the Lexecon portal by ${viewer.userRef}${
        viewer.githubLogin ? ` (@${viewer.githubLogin})` : ''
      }`.slice(0, 1024),
    });
  }
}

/** The 409 for a run someone else is deciding, or has decided, through the portal. */
function decisionConflict(other: DecisionRow): ApprovalHttpError {
  if (other.state === 'in-progress') {
    return conflict(
      `${other.actor} is deciding on this deploy right now (since ${other.startedAt})`,
      { reason: 'in-progress', decidedBy: other.actor },
    );
  }
  return conflict(
    `This deploy was already ${other.state} by ${other.actor} at ${other.decidedAt}`,
    {
      reason: 'already-decided',
      decision: other.state,
      decidedBy: other.actor,
      decidedAt: other.decidedAt,
    },
  );
}

/** Maps a failed GitHub write to a message and status a person understands. */
export function describeWriteError(
  error: unknown,
  runId: number,
  environment: string,
  timeoutMs: number,
): ApprovalHttpError | InputError {
  const e = error as RequestError;
  const upstream = e.response?.data?.message ?? e.message ?? String(error);
  const nothing = 'Nothing was recorded as approved.';
  switch (e.status) {
    case 401:
      return new ApprovalHttpError(
        401,
        'AuthenticationError',
        `GitHub did not accept the GitHub credentials (401): sign in with GitHub again. ${nothing}`,
      );
    case 403:
      return new ApprovalHttpError(
        403,
        'NotAllowedError',
        `GitHub refused the review (403: ${upstream}). Only a required reviewer of ${environment} can review it. ${nothing}`,
      );
    case 404:
      return new ApprovalHttpError(
        404,
        'NotFoundError',
        `GitHub has no waiting run ${runId} for ${environment} (404). ${nothing}`,
      );
    case 422:
      return new ApprovalHttpError(
        422,
        'UnprocessableEntityError',
        `GitHub did not accept the review (422: ${upstream}). ${nothing}`,
      );
    default:
  }
  if (/timeout|timed out|aborted/i.test(`${e.name} ${e.message}`)) {
    return new ApprovalHttpError(
      504,
      'GatewayTimeoutError',
      `GitHub did not answer within ${Math.round(
        timeoutMs / 1000,
      )}s. ${nothing} Check the run in GitHub before trying again.`,
    );
  }
  if (e.status && e.status >= 500) {
    return new ApprovalHttpError(
      502,
      'BadGatewayError',
      `GitHub failed with ${e.status}. ${nothing} Try again in a moment.`,
    );
  }
  return new ApprovalHttpError(
    502,
    'BadGatewayError',
    `Could not reach GitHub (${upstream}). ${nothing}`,
  );
}
