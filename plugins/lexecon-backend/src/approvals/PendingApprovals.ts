import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ApprovalsInbox,
  lexeconDeploymentApprovePermission,
  PendingApproval,
} from '@internal/plugin-lexecon-common';
import { ApprovalsConfig } from '../config';
import { EntityTarget } from '../EntityTarget';
import { SnapshotReader } from '../snapshots/SnapshotReader';
import {
  GithubApprovalsSnapshot,
  GithubPendingRun,
} from '../sources/github/types';
import { Viewer } from './ApproverIdentity';
import { DecisionStore } from './DecisionStore';
import { assessEligibility } from './eligibility';
import { computeReadiness } from './readiness';
import { readinessGateStatus } from './readinessGate';

/** GitHub fails a job that waits for a review longer than this. */
const REVIEW_EXPIRY_MS = 30 * 86_400_000;

export interface WaitingRun {
  run?: GithubPendingRun;
  /** Members of the reviewer teams, by slug. */
  teams: Record<string, string[]>;
}

export interface CoveredEntity {
  entity: Entity;
  target: EntityTarget;
}

/**
 * The inbox: the runs waiting on a protected environment of the given entities, each with the
 * context to decide and whether the viewer may decide it. Runs already decided through the
 * portal are left out until GitHub moves them on.
 */
export class PendingApprovals {
  constructor(
    private readonly options: {
      reader: SnapshotReader;
      decisions: DecisionStore;
      permissions: PermissionsService;
      settings: ApprovalsConfig;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
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
        const { state, data: snapshot } =
          await this.options.reader.read<GithubApprovalsSnapshot>(
            target,
            'github-approvals',
          );
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

  private toPendingApproval(
    entity: Entity,
    target: EntityTarget,
    snapshot: GithubApprovalsSnapshot,
    run: GithubPendingRun,
    context: { viewer: Viewer; permitted: boolean },
  ): PendingApproval {
    const env = this.options.settings.forEnvironment(run.environment, {
      requiresReviewers: run.reviewers.length > 0,
    });
    const waitingSince = run.waitingSince;
    const now = this.now().getTime();
    const deployedAt = run.staging?.deployedAt;
    const readiness = computeReadiness(
      run.readiness,
      this.options.settings.readinessGate,
    );
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
      readiness,
      gate: readinessGateStatus(
        readiness,
        this.options.settings.overrideGroups,
        context.viewer.groups,
      ),
      viewer: this.eligibility(run, snapshot.teams, context),
      warnings: run.warnings,
    };
  }

  /**
   * A run waiting on the environment as the last snapshot has it, with the members of the
   * reviewer teams; a run too new for the snapshot triggers a refresh first, unless
   * `refresh: false`.
   */
  async waitingRun(
    target: EntityTarget,
    runId: number,
    environment: string,
    options: { refresh: boolean } = { refresh: true },
  ): Promise<WaitingRun> {
    const matches = (p: GithubPendingRun) =>
      p.runId === runId && p.environment === environment;
    const { reader } = this.options;
    const { data } = options.refresh
      ? await reader.readUntil<GithubApprovalsSnapshot>(
          target,
          'github-approvals',
          snapshot => Boolean(snapshot?.pending.some(matches)),
        )
      : await reader.read<GithubApprovalsSnapshot>(target, 'github-approvals');
    return { run: data?.pending.find(matches), teams: data?.teams ?? {} };
  }

  /** Whether the viewer may decide the run, and every reason why not. */
  eligibility(
    run: GithubPendingRun,
    teams: Record<string, string[]>,
    context: { viewer: Pick<Viewer, 'githubLogin'>; permitted: boolean },
  ) {
    const env = this.options.settings.forEnvironment(run.environment, {
      requiresReviewers: run.reviewers.length > 0,
    });
    return assessEligibility({
      run,
      teams,
      mode: env.mode,
      segregationOfDuties: env.segregationOfDuties,
      permitted: context.permitted,
      githubLogin: context.viewer.githubLogin,
    });
  }
}
