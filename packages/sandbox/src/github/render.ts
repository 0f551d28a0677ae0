import type { components } from '@octokit/openapi-types';
import { sha1Hex } from '../random';
import { PORTAL_APP } from './identity';
import {
  CommitRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  EnvironmentRecord,
  JobRecord,
  RunRecord,
  SandboxWorld,
  TagRecord,
  TeamRecord,
  WorkflowRecord,
} from '../world/types';

type Schemas = components['schemas'];
export type WorkflowRun = Schemas['workflow-run'];
export type Job = Schemas['job'];
export type Deployment = Schemas['deployment'];
export type DeploymentStatus = Schemas['deployment-status'];
export type Environment = Schemas['environment'];
export type PendingDeployment = Schemas['pending-deployment'];
export type EnvironmentApprovals = Schemas['environment-approvals'];
export type CommitComparison = Schemas['commit-comparison'];
export type Commit = Schemas['commit'];
export type SimpleUser = Schemas['simple-user'];
export type MinimalRepository = Schemas['minimal-repository'];
export type Workflow = Schemas['workflow'];
export type Tag = Schemas['tag'];
export type Team = Schemas['team'];
export type Integration = NonNullable<Schemas['integration']>;
export type PrivateUser = Schemas['private-user'];
export type DeploymentProtectionRule = Schemas['deployment-protection-rule'];

/** Renders world records as GitHub REST objects for one base URL pair. */
export class GithubRenderer {
  constructor(
    readonly world: SandboxWorld,
    readonly api: string,
    readonly web: string,
  ) {}

  get repoApi(): string {
    return `${this.api}/repos/${this.world.owner}/${this.world.repo}`;
  }

  get repoWeb(): string {
    return `${this.web}/${this.world.owner}/${this.world.repo}`;
  }

  user(login: string): SimpleUser {
    const p = this.world.people.find(x => x.login === login) ?? {
      login,
      id: parseInt(sha1Hex(login).slice(0, 7), 16),
      name: login,
      email: `${login}@lexecon.ai`,
      type: 'User' as const,
    };
    const u = `${this.api}/users/${encodeURIComponent(p.login)}`;
    return {
      login: p.login,
      id: p.id,
      node_id: nodeId('MDQ6VXNlcj', p.id),
      avatar_url: `${this.web}/avatars/u/${p.id}?v=4`,
      gravatar_id: '',
      url: u,
      html_url:
        p.type === 'Bot'
          ? `${this.web}/apps/${p.login.replace('[bot]', '')}`
          : `${this.web}/${p.login}`,
      followers_url: `${u}/followers`,
      following_url: `${u}/following{/other_user}`,
      gists_url: `${u}/gists{/gist_id}`,
      starred_url: `${u}/starred{/owner}{/repo}`,
      subscriptions_url: `${u}/subscriptions`,
      organizations_url: `${u}/orgs`,
      repos_url: `${u}/repos`,
      events_url: `${u}/events{/privacy}`,
      received_events_url: `${u}/received_events`,
      type: p.type,
      site_admin: false,
    };
  }

  /** `GET /user` for the token's person (GitHub's private-user shape). */
  authenticatedUser(login: string): PrivateUser {
    const p = this.world.people.find(x => x.login === login);
    const created = `20${String(10 + ((p?.id ?? 0) % 12)).padStart(2, '0')}-0${
      1 + ((p?.id ?? 0) % 9)
    }-1${(p?.id ?? 0) % 10}T09:12:44Z`;
    return {
      ...this.user(login),
      name: p?.name ?? login,
      company: '@lexecon-ai',
      blog: '',
      location: null,
      email: p?.email ?? null,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: 3,
      public_gists: 0,
      followers: 4,
      following: 2,
      created_at: created,
      updated_at: this.world.now,
      private_gists: 0,
      total_private_repos: 1,
      owned_private_repos: 0,
      disk_usage: 1024,
      collaborators: 0,
      two_factor_authentication: true,
      plan: {
        name: 'enterprise',
        space: 976562499,
        collaborators: 0,
        private_repos: 9999,
      },
    };
  }

  /** A custom deployment protection rule (a GitHub App) of an environment. */
  customRule(rule: { id: number; appSlug: string }): DeploymentProtectionRule {
    const app = this.portalApp();
    return {
      id: rule.id,
      node_id: nodeId('GA_kwDOK', rule.id),
      enabled: true,
      app: {
        id: app.id,
        slug: app.slug ?? rule.appSlug,
        integration_url: `${this.api}/apps/${rule.appSlug}`,
        node_id: app.node_id,
      },
    };
  }

  /** The portal's GitHub App (custom deployment protection rule, installation token). */
  portalApp(): Integration {
    return {
      id: PORTAL_APP.id,
      slug: PORTAL_APP.slug,
      client_id: PORTAL_APP.clientId,
      node_id: nodeId('A_kwDOB', PORTAL_APP.id),
      owner: this.owner(),
      name: PORTAL_APP.name,
      description:
        'Release & Compliance portal: production approvals with segregation of duties',
      external_url: 'http://localhost:3000',
      html_url: `${this.web}/apps/${PORTAL_APP.slug}`,
      created_at: '2026-06-02T10:20:31Z',
      updated_at: '2026-10-14T08:03:12Z',
      permissions: {
        actions: 'read',
        checks: 'read',
        contents: 'read',
        deployments: 'write',
        metadata: 'read',
        members: 'read',
        security_events: 'read',
        vulnerability_alerts: 'read',
      },
      events: [
        'deployment',
        'deployment_protection_rule',
        'deployment_review',
        'deployment_status',
        'workflow_run',
      ],
    };
  }

  owner(): SimpleUser {
    const u = `${this.api}/users/${this.world.owner}`;
    return {
      ...this.user(this.world.owner),
      id: this.world.ownerId,
      node_id: nodeId('MDEyOk9yZ2FuaXphdGlvbj', this.world.ownerId),
      url: u,
      html_url: `${this.web}/${this.world.owner}`,
      type: 'Organization',
    };
  }

  repository(): MinimalRepository {
    const r = this.repoApi;
    const w = this.world;
    return {
      id: w.repoId,
      node_id: nodeId('R_kgDOK', w.repoId),
      name: w.repo,
      full_name: `${w.owner}/${w.repo}`,
      owner: this.owner(),
      private: true,
      html_url: this.repoWeb,
      description:
        'Lexecon: enterprise-grade AI governance decision engine (policy engine, audit ledger, decision API)',
      fork: false,
      url: r,
      archive_url: `${r}/{archive_format}{/ref}`,
      assignees_url: `${r}/assignees{/user}`,
      blobs_url: `${r}/git/blobs{/sha}`,
      branches_url: `${r}/branches{/branch}`,
      collaborators_url: `${r}/collaborators{/collaborator}`,
      comments_url: `${r}/comments{/number}`,
      commits_url: `${r}/commits{/sha}`,
      compare_url: `${r}/compare/{base}...{head}`,
      contents_url: `${r}/contents/{+path}`,
      contributors_url: `${r}/contributors`,
      deployments_url: `${r}/deployments`,
      downloads_url: `${r}/downloads`,
      events_url: `${r}/events`,
      forks_url: `${r}/forks`,
      git_commits_url: `${r}/git/commits{/sha}`,
      git_refs_url: `${r}/git/refs{/sha}`,
      git_tags_url: `${r}/git/tags{/sha}`,
      issue_comment_url: `${r}/issues/comments{/number}`,
      issue_events_url: `${r}/issues/events{/number}`,
      issues_url: `${r}/issues{/number}`,
      keys_url: `${r}/keys{/key_id}`,
      labels_url: `${r}/labels{/name}`,
      languages_url: `${r}/languages`,
      merges_url: `${r}/merges`,
      milestones_url: `${r}/milestones{/number}`,
      notifications_url: `${r}/notifications{?since,all,participating}`,
      pulls_url: `${r}/pulls{/number}`,
      releases_url: `${r}/releases{/id}`,
      stargazers_url: `${r}/stargazers`,
      statuses_url: `${r}/statuses/{sha}`,
      subscribers_url: `${r}/subscribers`,
      subscription_url: `${r}/subscription`,
      tags_url: `${r}/tags`,
      teams_url: `${r}/teams`,
      trees_url: `${r}/git/trees{/sha}`,
      hooks_url: `${r}/hooks`,
      clone_url: `${this.repoWeb}.git`,
      default_branch: w.defaultBranch,
      visibility: 'private',
      language: 'Python',
      archived: false,
      disabled: false,
      pushed_at: w.commits[w.commits.length - 1]?.date ?? w.now,
      created_at: '2025-09-26T09:14:02Z',
      updated_at: w.now,
      permissions: {
        admin: false,
        maintain: false,
        push: true,
        triage: true,
        pull: true,
      },
    };
  }

  githubActionsApp(): Integration {
    return {
      id: 15368,
      slug: 'github-actions',
      node_id: 'MDM6QXBwMTUzNjg=',
      owner: {
        ...this.user('github'),
        id: 9919,
        node_id: 'MDEyOk9yZ2FuaXphdGlvbjk5MTk=',
        type: 'Organization',
      },
      name: 'GitHub Actions',
      description: 'Automate your workflow from idea to production',
      external_url: 'https://help.github.com/en/actions',
      html_url: `${this.web}/apps/github-actions`,
      created_at: '2018-07-30T09:30:17Z',
      updated_at: '2024-04-10T20:33:16Z',
      permissions: {
        actions: 'write',
        checks: 'write',
        contents: 'write',
        deployments: 'write',
        metadata: 'read',
        statuses: 'write',
      },
      events: ['check_run', 'check_suite', 'deployment', 'workflow_run'],
    };
  }

  workflow(wf: WorkflowRecord): Workflow {
    return {
      id: wf.id,
      node_id: nodeId('W_kwDOK', wf.id),
      name: wf.name,
      path: wf.path,
      state: 'active',
      created_at: wf.createdAt,
      updated_at: wf.updatedAt,
      url: `${this.repoApi}/actions/workflows/${wf.id}`,
      html_url: `${this.repoWeb}/blob/main/${wf.path}`,
      badge_url: `${this.repoWeb}/workflows/${encodeURIComponent(
        wf.name,
      )}/badge.svg`,
    };
  }

  commitRecord(sha: string): CommitRecord | undefined {
    return this.world.commits.find(c => c.sha === sha);
  }

  run(run: RunRecord): WorkflowRun {
    const base = `${this.repoApi}/actions/runs/${run.id}`;
    const commit = this.commitRecord(run.headSha);
    const author = commit
      ? this.world.people.find(p => p.login === commit.authorLogin)
      : undefined;
    const committer = commit
      ? this.world.people.find(p => p.login === commit.committerLogin)
      : undefined;
    return {
      id: run.id,
      name: run.name,
      node_id: nodeId('WFR_kwLOK', run.id),
      check_suite_id: run.checkSuiteId,
      check_suite_node_id: nodeId('CS_kwDOK', run.checkSuiteId),
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: `.github/workflows/${run.workflowFile}`,
      display_title: run.displayTitle,
      run_number: run.runNumber,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: run.workflowId,
      url: base,
      html_url: `${this.repoWeb}/actions/runs/${run.id}`,
      pull_requests: [],
      created_at: run.createdAt,
      updated_at: run.updatedAt,
      actor: this.user(run.actor),
      run_attempt: run.runAttempt,
      referenced_workflows: [],
      run_started_at: run.runStartedAt,
      triggering_actor: this.user(run.triggeringActor),
      jobs_url: `${base}/jobs`,
      logs_url: `${base}/logs`,
      check_suite_url: `${this.repoApi}/check-suites/${run.checkSuiteId}`,
      artifacts_url: `${base}/artifacts`,
      cancel_url: `${base}/cancel`,
      rerun_url: `${base}/rerun`,
      previous_attempt_url:
        run.runAttempt > 1 ? `${base}/attempts/${run.runAttempt - 1}` : null,
      workflow_url: `${this.repoApi}/actions/workflows/${run.workflowId}`,
      head_commit: commit
        ? {
            id: commit.sha,
            tree_id: commit.treeSha,
            message: commit.message,
            timestamp: commit.date,
            author: {
              name: author?.name ?? commit.authorLogin,
              email: author?.email ?? '',
            },
            committer: {
              name: committer?.name ?? commit.committerLogin,
              email: committer?.email ?? '',
            },
          }
        : null,
      repository: this.repository(),
      head_repository: this.repository(),
    };
  }

  /** A job of the run's latest attempt, or of the earlier `attempt` it belongs to. */
  job(run: RunRecord, job: JobRecord, attempt = run.runAttempt): Job {
    return {
      id: job.id,
      run_id: run.id,
      run_url: `${this.repoApi}/actions/runs/${run.id}`,
      run_attempt: attempt,
      node_id: nodeId('CR_kwDOK', job.id),
      head_sha: run.headSha,
      url: `${this.repoApi}/actions/jobs/${job.id}`,
      html_url: `${this.repoWeb}/actions/runs/${run.id}/job/${job.id}`,
      status: job.status,
      conclusion: job.conclusion,
      created_at: job.createdAt,
      started_at: job.startedAt,
      completed_at: job.completedAt,
      name: job.name,
      steps: job.steps.map(s => ({
        name: s.name,
        status: s.status,
        conclusion: s.conclusion,
        number: s.number,
        started_at: s.startedAt,
        completed_at: s.completedAt,
      })),
      check_run_url: `${this.repoApi}/check-runs/${job.id}`,
      labels: ['ubuntu-latest'],
      runner_id: job.runnerId,
      runner_name: job.runnerName,
      runner_group_id: job.runnerId === null ? null : 2,
      runner_group_name: job.runnerId === null ? null : 'GitHub Actions',
      workflow_name: run.name,
      head_branch: run.headBranch,
    };
  }

  deployment(d: DeploymentRecord): Deployment {
    const url = `${this.repoApi}/deployments/${d.id}`;
    return {
      url,
      id: d.id,
      node_id: nodeId('DE_kwDOK', d.id),
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      payload: d.payload,
      original_environment: d.environment,
      environment: d.environment,
      description: d.description,
      creator: this.user(d.creator),
      created_at: d.createdAt,
      updated_at: d.updatedAt,
      statuses_url: `${url}/statuses`,
      repository_url: this.repoApi,
      transient_environment: false,
      production_environment: d.productionEnvironment,
      performed_via_github_app: this.githubActionsApp(),
    };
  }

  deploymentStatus(
    d: DeploymentRecord,
    s: DeploymentStatusRecord,
  ): DeploymentStatus {
    const env = this.world.environments.find(e => e.name === d.environment);
    const logUrl = `${this.repoWeb}/actions/runs/${d.runId}/job/${d.jobId}`;
    return {
      url: `${this.repoApi}/deployments/${d.id}/statuses/${s.id}`,
      id: s.id,
      node_id: nodeId('DES_kwDOK', s.id),
      state: s.state,
      creator: this.user(d.creator),
      description: s.description,
      environment: d.environment,
      target_url: logUrl,
      created_at: s.createdAt,
      updated_at: s.createdAt,
      deployment_url: `${this.repoApi}/deployments/${d.id}`,
      repository_url: this.repoApi,
      environment_url: s.state === 'success' ? env?.externalUrl ?? '' : '',
      log_url: logUrl,
      performed_via_github_app: this.githubActionsApp(),
    };
  }

  team(t: TeamRecord): Team {
    const url = `${this.api}/organizations/${this.world.ownerId}/team/${t.id}`;
    return {
      id: t.id,
      node_id: nodeId('T_kwDOB', t.id),
      name: t.name,
      slug: t.slug,
      description: t.description,
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      url,
      html_url: `${this.web}/orgs/${this.world.owner}/teams/${t.slug}`,
      members_url: `${url}/members{/member}`,
      repositories_url: `${url}/repos`,
      parent: null,
    };
  }

  reviewers(env: EnvironmentRecord): PendingDeployment['reviewers'] {
    return env.reviewers.map(r => {
      if (r.type === 'Team') {
        const team = this.world.teams.find(t => t.slug === r.name);
        return { type: 'Team', reviewer: team ? this.team(team) : undefined };
      }
      return { type: 'User', reviewer: this.user(r.name) };
    });
  }

  environmentRef(env: EnvironmentRecord) {
    return {
      id: env.id,
      node_id: nodeId('EN_kwDOK', env.id),
      name: env.name,
      url: `${this.repoApi}/environments/${encodeURIComponent(env.name)}`,
      html_url: `${
        this.repoWeb
      }/deployments/activity_log?environments_filter=${encodeURIComponent(
        env.name,
      )}`,
    };
  }

  environment(env: EnvironmentRecord): Environment {
    const rules: NonNullable<Environment['protection_rules']> = [];
    if (env.waitTimer > 0) {
      rules.push({
        id: env.protectionRuleIds.waitTimer,
        node_id: nodeId('GA_kwDOK', env.protectionRuleIds.waitTimer),
        type: 'wait_timer',
        wait_timer: env.waitTimer,
      });
    }
    if (env.reviewers.length > 0) {
      rules.push({
        id: env.protectionRuleIds.reviewers,
        node_id: nodeId('GA_kwDOK', env.protectionRuleIds.reviewers),
        prevent_self_review: env.preventSelfReview,
        type: 'required_reviewers',
        reviewers: this.reviewers(env),
      });
    }
    if (env.branchPolicy) {
      rules.push({
        id: env.protectionRuleIds.branchPolicy,
        node_id: nodeId('GA_kwDOK', env.protectionRuleIds.branchPolicy),
        type: 'branch_policy',
      });
    }
    return {
      ...this.environmentRef(env),
      html_url: `${
        this.repoWeb
      }/deployments/activity_log?environments_filter=${encodeURIComponent(
        env.name,
      )}`,
      created_at: env.createdAt,
      updated_at: env.updatedAt,
      protection_rules: rules,
      deployment_branch_policy: env.branchPolicy,
    };
  }

  commit(c: CommitRecord): Commit {
    const author =
      c.unlinked?.author ??
      this.world.people.find(p => p.login === c.authorLogin);
    const committer =
      c.unlinked?.committer ??
      this.world.people.find(p => p.login === c.committerLogin);
    return {
      url: `${this.repoApi}/commits/${c.sha}`,
      sha: c.sha,
      node_id: nodeId('C_kwDOK', parseInt(c.sha.slice(0, 8), 16)),
      html_url: `${this.repoWeb}/commit/${c.sha}`,
      comments_url: `${this.repoApi}/commits/${c.sha}/comments`,
      commit: {
        url: `${this.repoApi}/git/commits/${c.sha}`,
        author: {
          name: author?.name ?? c.authorLogin,
          email: author?.email ?? '',
          date: c.date,
        },
        committer: {
          name: committer?.name ?? c.committerLogin,
          email: committer?.email ?? '',
          date: c.date,
        },
        message: c.message,
        comment_count: 0,
        tree: { sha: c.treeSha, url: `${this.repoApi}/git/trees/${c.treeSha}` },
        verification: {
          verified: c.committerLogin === 'web-flow',
          reason: c.committerLogin === 'web-flow' ? 'valid' : 'unsigned',
          payload: null,
          signature: null,
        },
      },
      author: c.unlinked?.author ? null : this.user(c.authorLogin),
      committer: c.unlinked?.committer ? null : this.user(c.committerLogin),
      parents: c.parents.map(p => ({
        sha: p,
        url: `${this.repoApi}/commits/${p}`,
        html_url: `${this.repoWeb}/commit/${p}`,
      })),
    };
  }

  tag(t: TagRecord): Tag {
    return {
      name: t.name,
      commit: { sha: t.sha, url: `${this.repoApi}/commits/${t.sha}` },
      zipball_url: `${this.repoApi}/zipball/refs/tags/${t.name}`,
      tarball_url: `${this.repoApi}/tarball/refs/tags/${t.name}`,
      node_id: nodeId('REF_kwDOK', parseInt(sha1Hex(t.name).slice(0, 8), 16)),
    };
  }
}

/** GitHub-looking (opaque) node id. */
export function nodeId(prefix: string, id: number): string {
  return `${prefix}${Buffer.from(String(id)).toString('base64url')}`;
}
