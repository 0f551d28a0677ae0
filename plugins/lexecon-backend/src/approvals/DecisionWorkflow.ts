import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DecisionBody,
  DecisionResult,
  GITHUB_TOKEN_HEADER,
  lexeconDeploymentApprovePermission,
} from '@internal/plugin-lexecon-common';
import type { Request } from 'express';
import { AuditorService } from '@backstage/backend-plugin-api';
import { AuditLog } from '../audit/AuditLog';
import { ApprovalsConfig } from '../config';
import { EntityTarget } from '../EntityTarget';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import {
  describeGithubWriteError,
  githubStatusOf,
} from '../sources/github/describeGithubError';
import { GITHUB_DRIVEN_SOURCES } from '../sources/githubDrivenSources';
import { LiveUpdates } from '../live/LiveUpdates';
import { Viewer } from './ApproverIdentity';
import { DecisionAudit, openDecisionAudit } from './decisionAudit';
import { ClaimResult, DecisionRow, DecisionStore } from './DecisionStore';
import {
  abandonedDecisionConflict,
  ApprovalHttpError,
  conflict,
  decisionConflict,
} from './errors';
import { GithubReviewGateway } from './GithubReviewGateway';
import { PendingApprovals, WaitingRun } from './PendingApprovals';
import { computeReadiness } from './readiness';
import { checkReadinessGate, GateExceptionDetails } from './readinessGate';

const shortSha = (sha: string) => sha.slice(0, 7);

/** The claim key of a request; only asked once the target is known to have a repository. */
const keyOf = ({ target, runId, environment }: DecisionRequest) => ({
  repository: `${target.github!.owner}/${target.github!.repo}`,
  runId,
  environment,
});

export interface DecisionRequest {
  entity: Entity;
  target: EntityTarget;
  runId: number;
  environment: string;
  body: DecisionBody;
  githubToken?: string;
  viewer: Viewer;
  request: Request;
}

/**
 * Approves or rejects a waiting run: checks what GitHub says now and who is asking, claims the
 * decision (one per run and environment, across retries and replicas), sends it to GitHub once,
 * and writes every refusal, failure and success to the audit trail before the answer goes out.
 */
export class DecisionWorkflow {
  constructor(
    private readonly options: {
      pending: PendingApprovals;
      refresher: SnapshotRefresher;
      audit: AuditLog;
      auditor: AuditorService;
      decisions: DecisionStore;
      gateway: GithubReviewGateway;
      permissions: PermissionsService;
      live: Pick<LiveUpdates, 'runDecided'>;
      settings: ApprovalsConfig;
      timeoutMs: number;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  async decide(args: DecisionRequest): Promise<DecisionResult> {
    const { target, runId, environment, body, viewer } = args;
    const { decisions, gateway } = this.options;
    const github = target.github;
    if (!github) {
      throw new NotFoundError(
        `${target.entityRef} has no github.com/project-slug annotation, so it has no approvals`,
      );
    }
    // Outside lexecon.github.allowedOrganizations (or otherwise not read): no GitHub call for it.
    const notRead = this.options.refresher.notConfiguredReason(
      target,
      'github-approvals',
    );
    if (notRead) throw new NotFoundError(notRead.message);
    const repository = `${github.owner}/${github.repo}`;
    const env = this.options.settings.forEnvironment(environment);
    const key = { repository, runId, environment };
    const audit = await openDecisionAudit(this.options, {
      request: args.request,
      actor: viewer.userRef,
      githubLogin: viewer.githubLogin,
      entityRef: target.entityRef,
      repository,
      runId,
      environment,
      body,
      mode: env.mode,
      timeoutMs: this.options.timeoutMs,
    });

    const actor = await this.authorize(args, audit);
    const previous = await decisions.find(key);
    if (previous && previous.state !== 'in-progress') {
      throw await audit.fail(decisionConflict(previous));
    }
    // What the last snapshot already tells is refused before GitHub is asked anything.
    const known = await this.options.pending.waitingRun(
      target,
      runId,
      environment,
      { refresh: false },
    );
    if (known.run) {
      await this.checkRun(args, { run: known.run, teams: known.teams }, audit);
    }

    const gate = await this.waitingGate(args, actor, audit);
    const { run, teams } = await this.options.pending.waitingRun(
      target,
      runId,
      environment,
    );
    audit.version = run?.tag ?? (run && shortSha(run.headSha));
    if (!run) {
      throw await audit.fail(
        new ApprovalHttpError(
          503,
          'ServiceUnavailableError',
          `The portal has not read the context of run ${runId} yet; try again in a moment`,
        ),
      );
    }
    if (body.expectedSha && !run.headSha.startsWith(body.expectedSha)) {
      const [now, confirmed] = [run.headSha, body.expectedSha].map(shortSha);
      throw await audit.fail(
        conflict(
          `Run ${runId} now deploys ${now}, not the ${confirmed} you confirmed; review it again`,
          { reason: 'no-longer-waiting', runStatus: 'changed' },
        ),
      );
    }
    const exception = await this.checkRun(args, { run, teams }, audit);
    if (env.mode === 'github-reviewers') await this.checkToken(args, audit);

    const claim = await this.claim(args, actor);
    if (!claim.claimed)
      throw await audit.fail(decisionConflict(claim.existing));
    if (claim.abandoned) await this.recover(args, claim.abandoned, audit);
    try {
      await gateway.sendReview({
        mode: env.mode,
        repository: github,
        runId,
        environment,
        environmentId: gate.environmentId ?? run.environmentId,
        body,
        githubToken: args.githubToken,
        viewer,
      });
    } catch (error) {
      await decisions.release(key);
      throw await audit.failUpstream(error);
    }

    const decidedAt = this.now();
    await decisions.complete(key, body.decision, decidedAt);
    const auditId = await audit.succeed({
      at: decidedAt,
      outcome: `GitHub accepted the ${
        body.decision === 'approved' ? 'approval' : 'rejection'
      }`,
      upstreamStatus: env.mode === 'portal-gate' ? 204 : 200,
    });
    if (exception) await audit.exception(decidedAt, exception);
    await this.options.live.runDecided({
      entityRef: target.entityRef,
      runId,
      environment,
      decision: body.decision,
    });
    this.options.refresher.refreshInBackground(target, {
      only: GITHUB_DRIVEN_SOURCES,
    });
    return {
      decision: body.decision,
      runId,
      environment,
      version: audit.version ?? String(runId),
      decidedBy: actor,
      githubLogin: viewer.githubLogin,
      decidedAt: decidedAt.toISOString(),
      mode: env.mode,
      auditId,
    };
  }

  /**
   * Sign-in and the approve permission, before anything else: whoever lacks them costs no
   * GitHub call and no refresh, and their refusal holds the portal's words only.
   */
  private async authorize(
    args: DecisionRequest,
    audit: DecisionAudit,
  ): Promise<string> {
    const { viewer, target } = args;
    if (!viewer.userRef) {
      throw await audit.fail(
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
    if (permission.result !== AuthorizeResult.ALLOW) {
      throw await audit.fail(
        new NotAllowedError(
          `You do not have the ${lexeconDeploymentApprovePermission.name} permission for this service (it is granted to the release approver groups)`,
        ),
      );
    }
    return viewer.userRef;
  }

  /**
   * Who may decide this run (segregation of duties, required reviewers) and the readiness gate;
   * resolves to the gate exception an approval past the gate makes.
   */
  private async checkRun(
    args: DecisionRequest,
    { run, teams }: Required<WaitingRun>,
    audit: DecisionAudit,
  ): Promise<GateExceptionDetails | undefined> {
    const { viewer, body } = args;
    const eligibility = this.options.pending.eligibility(run, teams, {
      viewer,
      permitted: true,
    });
    if (!eligibility.canDecide) {
      throw await audit.fail(
        new NotAllowedError(eligibility.reasons.map(r => r.message).join('. ')),
      );
    }
    const { settings } = this.options;
    try {
      return checkReadinessGate({
        readiness: computeReadiness(run.readiness, settings.readinessGate),
        body,
        version: run.tag ?? shortSha(run.headSha),
        overrideGroups: settings.overrideGroups,
        viewerGroups: viewer.groups,
      });
    } catch (error) {
      throw await audit.fail(error as Error);
    }
  }

  private claim(args: DecisionRequest, actor: string): Promise<ClaimResult> {
    return this.options.decisions.claim(keyOf(args), {
      actor,
      githubLogin: args.viewer.githubLogin,
      at: this.now(),
    });
  }

  /**
   * After taking over a claim its holder never finished: their review may have reached GitHub
   * even so (their replica stopped while GitHub was answering), so GitHub is asked again before
   * anything is sent, and a run that stopped waiting is settled from what GitHub holds.
   */
  private async recover(
    args: DecisionRequest,
    abandoned: DecisionRow,
    audit: DecisionAudit,
  ) {
    await audit.recovered(abandoned);
    const gates = await this.options.gateway
      .pendingGates(args.target.github!, args.runId)
      .catch(async error => {
        await this.options.decisions.release(keyOf(args));
        throw await audit.failUpstream(error);
      });
    if (gates.some(g => g.environment === args.environment)) return;
    await this.settleAbandoned(args, abandoned, audit);
  }

  /**
   * The run no longer waits and an abandoned decision held it. If the holder's review is in
   * GitHub, it is recorded as their decision and the caller told so; otherwise the claim is let
   * go and the caller told what became of the run. Never sends a review.
   */
  private async settleAbandoned(
    args: DecisionRequest,
    abandoned: DecisionRow,
    audit: DecisionAudit,
  ): Promise<never> {
    const { target, runId, environment } = args;
    const { decisions, gateway } = this.options;
    const key = keyOf(args);
    const review = await gateway
      .reviewLeftBy(target.github!, runId, environment, abandoned)
      .catch(async error => {
        await decisions.release(key);
        throw await audit.failUpstream(error);
      });
    this.options.refresher.refreshInBackground(target, {
      only: GITHUB_DRIVEN_SOURCES,
    });
    if (!review) {
      await decisions.release(key);
      throw await this.noLongerWaiting(args, audit);
    }
    const at = this.now();
    await decisions.completeAbandoned(key, abandoned, review.state, at);
    await audit.reconciled(abandoned, review, at);
    await this.options.live.runDecided({
      entityRef: target.entityRef,
      runId,
      environment,
      decision: review.state,
    });
    throw await audit.fail(
      abandonedDecisionConflict(abandoned, review, at.toISOString()),
    );
  }

  /** The environment gate as GitHub shows it now, not as the last snapshot did. */
  private async waitingGate(
    args: DecisionRequest,
    actor: string,
    audit: DecisionAudit,
  ) {
    const { target, runId, environment } = args;
    const repository = target.github!;
    const gates = await this.options.gateway
      .pendingGates(repository, runId)
      .catch(async error => {
        const status = githubStatusOf(error);
        const what = `reading run ${runId}`;
        throw await audit.fail(
          status === 404
            ? new NotFoundError(
                `GitHub has no workflow run while ${what} (404)`,
              )
            : describeGithubWriteError(error, {
                runId: 0,
                environment: what,
                timeoutMs: this.options.timeoutMs,
              }),
          { upstreamStatus: status },
        );
      });
    const gate = gates.find(g => g.environment === environment);
    if (gate) return gate;
    this.options.refresher.refreshInBackground(target, {
      only: GITHUB_DRIVEN_SOURCES,
    });
    // It stopped waiting because of a decision made here, whose review landed before the
    // decision was recorded: name who made it, as a claim would; once that claim has expired
    // (its replica stopped), take it over and settle it from what GitHub holds.
    const decidedHere = await this.options.decisions.find(keyOf(args));
    if (decidedHere?.state === 'in-progress') {
      const claim = await this.claim(args, actor);
      if (!claim.claimed) {
        throw await audit.fail(decisionConflict(claim.existing));
      }
      if (claim.abandoned) {
        await audit.recovered(claim.abandoned);
        await this.settleAbandoned(args, claim.abandoned, audit);
      }
      // Its holder gave it back meanwhile: nothing is sent to a run that no longer waits.
      await this.options.decisions.release(keyOf(args));
    } else if (decidedHere) {
      throw await audit.fail(decisionConflict(decidedHere));
    }
    throw await this.noLongerWaiting(args, audit);
  }

  /** The 409 for a run that no longer waits, saying what became of it. */
  private async noLongerWaiting(args: DecisionRequest, audit: DecisionAudit) {
    const { runId, environment } = args;
    const outcome = await this.options.gateway.runOutcome(
      args.target.github!,
      runId,
    );
    return audit.fail(
      conflict(
        `Run ${runId} is no longer waiting for ${environment}: ${outcome.message}`,
        { reason: 'no-longer-waiting', runStatus: outcome.status },
      ),
    );
  }

  /** The token must be the signed-in person's own: GitHub records the review as its owner. */
  private async checkToken(args: DecisionRequest, audit: DecisionAudit) {
    const { viewer, githubToken, environment, body } = args;
    if (!githubToken) {
      throw await audit.fail(
        new AuthenticationError(
          `Sign in with GitHub to ${
            body.decision === 'approved' ? 'approve' : 'reject'
          }: ${environment} takes reviews from your own GitHub account (send it in the ${GITHUB_TOKEN_HEADER} header)`,
        ),
      );
    }
    const login = await this.options.gateway
      .tokenOwner(githubToken)
      .catch(async error => {
        throw await audit.failUpstream(error);
      });
    if (
      viewer.githubLogin &&
      login.toLowerCase() !== viewer.githubLogin.toLowerCase()
    ) {
      throw await audit.fail(
        new NotAllowedError(
          `The GitHub token you sent belongs to ${login}, but you are signed in as ${viewer.githubLogin}; sign in with your own GitHub account`,
        ),
      );
    }
  }
}
