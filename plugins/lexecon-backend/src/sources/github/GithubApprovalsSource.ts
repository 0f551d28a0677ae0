import { LoggerService } from '@backstage/backend-plugin-api';
import { EntityTarget } from '../../EntityTarget';
import { ReadinessFacts } from '../../approvals/readiness';
import { mapLimited } from '../mapLimited';
import { NotConfigured, SnapshotSource, annotationMissing } from '../types';
import {
  countAlerts,
  readCommitChecks,
  withCheckReadings,
} from './commitChecks';
import { githubCaller } from './describeGithubError';
import { GithubClientFactory } from './GithubClientFactory';
import { GithubRepositoryReader, PendingGate } from './GithubRepositoryReader';
import { LiveRead, readChangeSet } from './readChangeSet';
import {
  GithubApprovalsSnapshot,
  GithubPendingRun,
  GithubRunInfo,
} from './types';

const CONCURRENCY = 6;

export interface ApprovalsSourceOptions {
  logger: LoggerService;
  timeoutMs: number;
  /** Workflow file whose last 10 runs give the CI pass rate. */
  ciWorkflow: string;
  /** Check runs that count as the code-quality input, by name, in order of preference. */
  qualityChecks: RegExp[];
  /** Check runs that count as the security scan, by name. */
  securityCheck: RegExp;
}

/**
 * Runs waiting on a protected environment, with the context to decide: the change set since the
 * version live there, CI checks on the commit, the staging deploy of the same commit, and the
 * inputs of the release readiness score. Only waiting runs cost requests, so a quiet repository
 * costs one conditional request per deploy workflow.
 */
export class GithubApprovalsSource
  implements SnapshotSource<GithubApprovalsSnapshot>
{
  readonly id = 'github-approvals' as const;

  constructor(
    private readonly clients: GithubClientFactory,
    private readonly options: ApprovalsSourceOptions,
  ) {}

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.github) return annotationMissing('github-approvals');
    return undefined;
  }

  async fetch(target: EntityTarget): Promise<GithubApprovalsSnapshot> {
    const github = target.github;
    if (!github) throw new Error(this.notConfiguredReason(target)?.message);
    const reader = await this.clients.reader(github.owner, github.repo);
    const call = githubCaller(reader.slug, this.options.timeoutMs);

    const waiting = (
      await mapLimited(
        target.environments.filter(env => github.workflows[env]),
        CONCURRENCY,
        env =>
          call(`the waiting runs of ${github.workflows[env]}`, async () => {
            const read = await reader.workflowRuns(github.workflows[env], {
              status: 'waiting',
            });
            return read.items;
          }),
      )
    ).flat();
    const unique = [...new Map(waiting.map(r => [r.id, r])).values()];

    const pending: GithubPendingRun[] = [];
    const tags = unique.length
      ? await call('the tags', () => reader.tags())
      : { bySha: {}, truncated: false };
    const teams: Record<string, string[]> = {};
    for (const run of unique) {
      const gates = await call(`the pending deployments of run ${run.id}`, () =>
        reader.pendingDeployments(run.id),
      );
      for (const gate of gates) {
        pending.push(
          await this.pendingRun(reader, target, run, gate, {
            tags: tags.bySha,
            teams,
            call,
          }),
        );
      }
    }
    return {
      repository: { slug: reader.slug, htmlUrl: reader.htmlUrl },
      pending,
      teams,
    };
  }

  /** One run waiting on one environment, with the context to decide; `teams` is filled in. */
  private async pendingRun(
    reader: GithubRepositoryReader,
    target: EntityTarget,
    run: GithubRunInfo,
    gate: PendingGate,
    context: {
      tags: Record<string, string>;
      teams: Record<string, string[]>;
      call: ReturnType<typeof githubCaller>;
    },
  ): Promise<GithubPendingRun> {
    const { tags, teams, call } = context;
    const envName = gate.environment;
    const warnings: string[] = [];
    const soft = async <T>(what: string, fn: () => Promise<T>) => {
      try {
        return await call(what, fn);
      } catch (error) {
        warnings.push((error as Error).message);
        return undefined;
      }
    };
    const envInfo = await soft(`the ${envName} environment`, () =>
      reader.environment(envName),
    );
    for (const team of gate.reviewers.filter(r => r.type === 'Team')) {
      if (teams[team.name]) continue;
      const members = await soft(`the members of team ${team.name}`, () =>
        reader.teamMembers(team.name),
      );
      if (members) teams[team.name] = members;
    }

    // GitHub's environment names are case-insensitive: `Production` is the catalog's `production`.
    const envIndex = target.environments.findIndex(
      e => e.toLowerCase() === envName.toLowerCase(),
    );
    const previousEnv =
      envIndex > 0 ? target.environments[envIndex - 1] : undefined;
    const [liveRead, staging, ci, readiness] = await Promise.all([
      call(`the live ${envName} deployment`, () =>
        reader.liveDeployment(envName),
      ).then(
        (live): LiveRead => ({ live }),
        (error: Error): LiveRead => ({ error: error.message }),
      ),
      previousEnv
        ? soft(`the ${previousEnv} deploys`, () =>
            stagingContext(reader, previousEnv, run.headSha, tags),
          )
        : Promise.resolve(undefined),
      soft('the checks of the commit', () =>
        readCommitChecks(reader, run.headSha),
      ),
      this.readReadiness(reader, run.headBranch, soft),
    ]);
    const changeSetRead = await readChangeSet(reader, {
      environment: envName,
      liveRead,
      headSha: run.headSha,
      tags,
      call,
    });
    if ('changeSetUnknown' in changeSetRead) {
      warnings.push(
        `The change set is unknown: ${changeSetRead.changeSetUnknown}`,
      );
    } else if (changeSetRead.changeSet.incomplete) {
      warnings.push(changeSetRead.changeSet.incomplete);
    }
    const checks = ci?.checks ?? [];
    const readinessFacts = withCheckReadings(readiness, ci, this.options);

    return {
      runId: run.id,
      runUrl: run.htmlUrl,
      workflowName: run.workflowName,
      headSha: run.headSha,
      headBranch: run.headBranch,
      commitTitle: run.commitTitle,
      triggeringActor: run.triggeringActor ?? run.actor,
      actor: run.actor,
      createdAt: run.createdAt,
      environment: envName,
      environmentId: gate.environmentId ?? 0,
      environmentUrl: gate.environmentUrl,
      waitingSince: gate.waitTimerStartedAt ?? run.updatedAt,
      waitTimerMinutes: gate.waitTimerMinutes,
      reviewers: gate.reviewers,
      preventSelfReview: Boolean(envInfo?.preventSelfReview),
      tag: tags[run.headSha],
      ...changeSetRead,
      ci: ci ? { conclusion: ci.conclusion, checks } : undefined,
      staging,
      readiness: readinessFacts,
      warnings,
    };
  }

  private async readReadiness(
    reader: GithubRepositoryReader,
    branch: string | null,
    soft: <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>,
  ): Promise<ReadinessFacts> {
    const { ciWorkflow } = this.options;
    const [ciRuns, codeScanning, dependabot] = await Promise.all([
      soft(`the last runs of ${ciWorkflow}`, async () => {
        const { items } = await reader.workflowRuns(
          ciWorkflow,
          { status: 'completed', ...(branch ? { branch } : {}) },
          { perPage: 10, maxPages: 1 },
        );
        return {
          total: items.length,
          passed: items.filter(r => r.conclusion === 'success').length,
          workflow: ciWorkflow,
          url: `${reader.htmlUrl}/actions/workflows/${ciWorkflow}`,
        };
      }),
      soft('the code scanning alerts', () => reader.openCodeScanningAlerts()),
      soft('the Dependabot alerts', () => reader.openDependabotAlerts()),
    ]);
    const facts: ReadinessFacts = {};
    if (ciRuns) facts.ciRuns = ciRuns;
    if (codeScanning || dependabot) {
      const counts = countAlerts([
        ...(codeScanning ?? []).map(a => ({
          severity: a.rule.security_severity_level ?? a.rule.severity,
        })),
        ...(dependabot ?? []).map(a => ({
          severity: a.security_advisory.severity,
        })),
      ]);
      facts.security = { ...counts, url: `${reader.htmlUrl}/security` };
    }
    return facts;
  }
}

/** The deploys of the commit to the environment before, and what is live there. */
async function stagingContext(
  reader: GithubRepositoryReader,
  environment: string,
  sha: string,
  tags: Record<string, string>,
): Promise<GithubPendingRun['staging']> {
  const [ofSha, live] = await Promise.all([
    reader.deployments(environment, { sha }, { perPage: 5, maxPages: 1 }),
    reader.liveDeployment(environment),
  ]);
  const liveVersion = live ? tags[live.sha] ?? live.sha.slice(0, 7) : undefined;
  const isLiveOnStaging = live?.sha === sha;
  const deploy = ofSha.items[0];
  if (!deploy) {
    return {
      isLiveOnStaging: false,
      liveVersion,
      health: 'unknown',
      detail: `This commit was never deployed to ${environment}`,
    };
  }
  const state = await reader.deploymentState(deploy.id);
  const ok = state?.state === 'success';
  const failed = state?.state === 'failure' || state?.state === 'error';
  let detail = `Deployed to ${environment} successfully; ${environment} has since moved on to ${liveVersion}`;
  if (!ok) {
    detail = `The ${environment} deploy of this commit ended ${
      state?.state ?? 'without a status'
    }`;
  } else if (isLiveOnStaging) {
    detail = `Live on ${environment}; its deploy succeeded`;
  }
  return {
    isLiveOnStaging,
    liveVersion,
    deployedAt: ok ? state?.at : deploy.createdAt,
    result: state?.state,
    health: (ok && 'healthy') || (failed && 'failing') || 'unknown',
    detail,
  };
}
