import { WebhookSender } from '../webhooks';
import { RunRecord, SandboxWorld } from '../world/types';
import { PORTAL_APP } from './identity';
import { GithubRenderer, nodeId } from './render';
import type { ReviewEvent } from './context';

/** Builds GitHub-shaped webhook payloads for what happens in the sandbox and sends them. */
export class WebhookEvents {
  constructor(
    private readonly sender: WebhookSender,
    private readonly renderer: (world: SandboxWorld) => GithubRenderer,
  ) {}

  private base(r: GithubRenderer, action: string, sender: string) {
    return {
      action,
      repository: r.repository(),
      organization: {
        login: r.world.owner,
        id: r.world.ownerId,
        node_id: nodeId('MDEyOk9yZ2FuaXphdGlvbj', r.world.ownerId),
      },
      sender: r.user(sender),
      installation: {
        id: PORTAL_APP.installationId,
        node_id: nodeId(
          'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u',
          PORTAL_APP.installationId,
        ),
      },
    };
  }

  private jobRuns(r: GithubRenderer, run: RunRecord) {
    return run.jobs
      .filter(j => j.environment)
      .map(j => ({
        id: j.id,
        name: j.name,
        environment: j.environment,
        status: j.status,
        conclusion: j.conclusion,
        html_url: `${r.repoWeb}/actions/runs/${run.id}/job/${j.id}`,
        created_at: j.createdAt,
        updated_at: j.completedAt ?? j.startedAt,
      }));
  }

  private workflowRun(r: GithubRenderer, run: RunRecord, action: string) {
    const rendered = r.run(run);
    if (action === 'in_progress') {
      Object.assign(rendered, { status: 'in_progress', conclusion: null });
    }
    if (action === 'requested') {
      Object.assign(rendered, { status: 'waiting', conclusion: null });
    }
    this.sender.send('workflow_run', {
      ...this.base(r, action, run.triggeringActor),
      workflow_run: rendered,
      workflow: r.workflow(
        r.world.workflows.find(w => w.id === run.workflowId)!,
      ),
    });
  }

  /** After a review (people) or a protection-rule answer (the App). */
  reviewed(e: ReviewEvent): void {
    const r = this.renderer(e.world);
    const { run } = e;
    if (e.via === 'required-reviewers') {
      this.sender.send('deployment_review', {
        ...this.base(r, e.state, e.reviewer),
        approver: r.user(e.reviewer),
        comment: e.comment,
        since: e.since,
        environment: e.environment.name,
        reviewers: r.reviewers(e.environment),
        workflow_run: r.run(run),
        workflow_job_runs: this.jobRuns(r, run),
      });
    }
    if (e.state === 'approved') {
      this.workflowRun(r, run, 'in_progress');
      for (const d of e.deployments) {
        this.sender.send('deployment', {
          ...this.base(r, 'created', d.creator),
          deployment: r.deployment(d),
          workflow_run: r.run(run),
        });
        for (const s of d.statuses) {
          this.sender.send('deployment_status', {
            ...this.base(r, 'created', d.creator),
            deployment_status: r.deploymentStatus(d, s),
            deployment: r.deployment(d),
            workflow_run: r.run(run),
          });
        }
      }
    }
    this.workflowRun(r, run, 'completed');
  }

  /** A new release run of `world`'s repository waiting on production. */
  waitingRunCreated(world: SandboxWorld, run: RunRecord): void {
    const r = this.renderer(world);
    this.workflowRun(r, run, 'requested');
    const env = world.environments.find(e => e.name === run.pendingEnvironment);
    if (!env) return;
    if (env.reviewers.length > 0) {
      this.sender.send('deployment_review', {
        ...this.base(r, 'requested', run.triggeringActor),
        requestor: r.user(run.triggeringActor),
        since: run.waitTimerStartedAt ?? run.createdAt,
        environment: env.name,
        reviewers: r.reviewers(env),
        workflow_run: r.run(run),
        workflow_job_run: this.jobRuns(r, run)[0],
        workflow_job_runs: this.jobRuns(r, run),
      });
    }
    if (env.customRules.some(c => c.appSlug === PORTAL_APP.slug)) {
      this.sender.send('deployment_protection_rule', {
        ...this.base(r, 'requested', run.triggeringActor),
        environment: env.name,
        event: run.event,
        deployment_callback_url: `${r.repoApi}/actions/runs/${run.id}/deployment_protection_rule`,
        pull_requests: [],
        workflow_run: r.run(run),
      });
    }
  }
}
