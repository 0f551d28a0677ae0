import { Octokit } from '@octokit/rest';
import { Agent, fetch } from 'undici';
import { gunzipSync } from 'node:zlib';
import { Sandbox, startSandbox } from '../index';

const NOW = new Date('2026-11-20T15:00:00Z');

describe('GitHub stand-in (via @octokit/rest)', () => {
  let sandbox: Sandbox;
  let octokit: Octokit;
  let owner: string;
  let repo: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
    octokit = new Octokit({
      auth: sandbox.githubToken,
      baseUrl: sandbox.githubUrl,
    });
    owner = sandbox.owner;
    repo = sandbox.repo;
  });
  afterAll(() => sandbox.stop());

  it('requires credentials', async () => {
    const anonymous = new Octokit({ baseUrl: sandbox.githubUrl });
    await expect(
      anonymous.rest.repos.get({ owner, repo }),
    ).rejects.toMatchObject({
      status: 401,
    });
    const bad = new Octokit({ auth: 'bad-token', baseUrl: sandbox.githubUrl });
    await expect(bad.rest.repos.get({ owner, repo })).rejects.toMatchObject({
      status: 401,
      response: { data: { message: 'Bad credentials' } },
    });
    const { data } = await octokit.rest.repos.get({ owner, repo });
    expect(data.full_name).toBe('lexecon-ai/lexecon');
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/nope', { owner, repo }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found', status: '404' } },
    });
  });

  it('paginates production runs including the waiting and the failed one', async () => {
    const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
      owner,
      repo,
      workflow_id: 'deploy-prod.yml',
      per_page: 7,
    });
    const expected = sandbox.world.runs.filter(
      r => r.workflowFile === 'deploy-prod.yml',
    );
    expect(runs).toHaveLength(expected.length);
    expect(runs[0].id).toBe(sandbox.world.facts.waitingRunId);
    expect(runs[0].status).toBe('waiting');
    expect(runs[0].display_title).toMatch(
      /^Deploy v1\.\d+\.\d+ to production$/,
    );
    expect(runs[0].event).toBe('workflow_dispatch');
    const failed = runs.find(r => r.conclusion === 'failure');
    expect(failed?.id).toBe(sandbox.world.facts.failedProductionRunId);
    expect(runs[0].html_url).toBe(
      `${sandbox.githubWebUrl}/lexecon-ai/lexecon/actions/runs/${runs[0].id}`,
    );
    // newest first
    const ids = runs.map(r => r.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('formats Link headers like GitHub', async () => {
    const res = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      per_page: 10,
      page: 2,
      event: 'push',
    });
    const link = res.headers.link ?? '';
    const base = `${sandbox.githubUrl}/repos/lexecon-ai/lexecon/actions/runs?per_page=10&page=`;
    expect(link).toContain(`<${base}1&event=push>; rel="prev"`);
    expect(link).toContain(`<${base}3&event=push>; rel="next"`);
    expect(link.split(', ').map(l => /rel="(\w+)"/.exec(l)?.[1])).toEqual([
      'prev',
      'next',
      'last',
      'first',
    ]);
  });

  it('filters runs', async () => {
    const { data: waiting } =
      await octokit.rest.actions.listWorkflowRunsForRepo({
        owner,
        repo,
        status: 'waiting',
      });
    expect(waiting.total_count).toBe(1);
    const { data: failures } = await octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: 'test.yml',
      status: 'failure',
    });
    expect(failures.total_count).toBeGreaterThan(0);
    expect(failures.workflow_runs.every(r => r.conclusion === 'failure')).toBe(
      true,
    );
    const sha = sandbox.world.facts.latestStagingSha;
    const { data: bySha } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      head_sha: sha,
    });
    expect(bySha.workflow_runs.map(r => r.path).sort()).toEqual([
      '.github/workflows/build.yml',
      '.github/workflows/deploy-prod.yml',
      '.github/workflows/deploy-staging.yml',
      '.github/workflows/test.yml',
    ]);
    const { data: recent } = await octokit.rest.actions.listWorkflowRunsForRepo(
      {
        owner,
        repo,
        created: '>=2026-11-13',
        actor: 'priya-nair',
      },
    );
    expect(
      recent.workflow_runs.every(
        r => r.created_at >= '2026-11-13' && r.actor?.login === 'priya-nair',
      ),
    ).toBe(true);
    const { data: range } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      created: '2026-11-01..2026-11-07',
      per_page: 100,
    });
    expect(range.total_count).toBeGreaterThan(0);
    expect(
      range.workflow_runs.every(
        r => r.created_at >= '2026-11-01' && r.created_at < '2026-11-08',
      ),
    ).toBe(true);
  });

  it('answers conditional requests with 304 without spending rate limit', async () => {
    const first = await octokit.rest.actions.getWorkflowRun({
      owner,
      repo,
      run_id: sandbox.world.facts.failedProductionRunId,
    });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    const err = await octokit.rest.actions
      .getWorkflowRun({
        owner,
        repo,
        run_id: sandbox.world.facts.failedProductionRunId,
        headers: { 'if-none-match': etag },
      })
      .then(
        () => undefined,
        (e: {
          status: number;
          response: { headers: Record<string, string> };
        }) => e,
      );
    expect(err?.status).toBe(304);
    expect(Number(err?.response.headers['x-ratelimit-remaining'])).toBe(
      remaining,
    );
    const again = await octokit.rest.rateLimit.get();
    expect(again.data.resources.core.remaining).toBe(remaining);
    const logged = sandbox.requests().filter(r => r.status === 304);
    expect(logged.length).toBeGreaterThan(0);
  });

  it('serves jobs, approvals, deployments, statuses and environments', async () => {
    const failedId = sandbox.world.facts.failedProductionRunId;
    const { data: jobs } = await octokit.rest.actions.listJobsForWorkflowRun({
      owner,
      repo,
      run_id: failedId,
    });
    expect(jobs.jobs[0].name).toBe('deploy');
    expect(jobs.jobs[0].conclusion).toBe('failure');
    const { data: approvals } = await octokit.rest.actions.getReviewsForRun({
      owner,
      repo,
      run_id: failedId,
    });
    expect(approvals[0].state).toBe('approved');
    expect(approvals[0].environments[0].name).toBe('production');

    const deployments = await octokit.paginate(
      octokit.rest.repos.listDeployments,
      {
        owner,
        repo,
        environment: 'production',
        per_page: 50,
      },
    );
    expect(deployments.every(d => d.environment === 'production')).toBe(true);
    const failedDeployment = deployments.find(
      d => d.id === sandbox.world.facts.failedProductionDeploymentId,
    )!;
    expect(failedDeployment.payload).toEqual({
      version: sandbox.world.facts.failedProductionVersion,
      run_id: failedId,
    });
    expect(failedDeployment.performed_via_github_app?.slug).toBe(
      'github-actions',
    );
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
      owner,
      repo,
      deployment_id: failedDeployment.id,
    });
    expect(statuses[0].state).toBe('failure');
    expect(statuses[0].description).toBe(
      'Helm upgrade failed: readiness probe failed; rolled back',
    );

    const { data: envs } = await octokit.rest.repos.getAllEnvironments({
      owner,
      repo,
    });
    const production = envs.environments!.find(e => e.name === 'production')!;
    const reviewersRule = production.protection_rules!.find(
      r => r.type === 'required_reviewers',
    ) as {
      prevent_self_review?: boolean;
      reviewers?: Array<{ type?: string }>;
    };
    expect(reviewersRule.prevent_self_review).toBe(true);
    expect(reviewersRule.reviewers!.map(r => r.type)).toEqual([
      'Team',
      'User',
      'User',
    ]);

    const { data: pending } =
      await octokit.rest.actions.getPendingDeploymentsForRun({
        owner,
        repo,
        run_id: sandbox.world.facts.waitingRunId,
      });
    expect(pending).toHaveLength(1);
    expect(pending[0].environment.name).toBe('production');
    // the service token is an App installation, not a reviewer
    expect(pending[0].current_user_can_approve).toBe(false);
  });

  it('compares commits between releases', async () => {
    const w = sandbox.world;
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `${w.facts.lastProductionVersion}...${w.facts.latestStagingSha}`,
    });
    expect(data.status).toBe('ahead');
    expect(data.total_commits).toBe(data.commits.length);
    expect(data.commits[data.commits.length - 1].sha).toBe(
      w.facts.latestStagingSha,
    );
    const times = data.commits.map(c => c.commit.author?.date ?? '');
    expect([...times].sort()).toEqual(times);
    const reverse = await octokit.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `main...${w.facts.lastProductionSha}`,
    });
    expect(reverse.data.status).toBe('behind');
    const { data: tags } = await octokit.rest.repos.listTags({
      owner,
      repo,
      per_page: 100,
    });
    expect(tags[0].name).toBe(w.facts.waitingRunVersion);
  });

  it('validates and applies approvals of the waiting run', async () => {
    const w = sandbox.world;
    const reviewer = new Octokit({
      auth: 'sandbox-token-for-alex-kim',
      baseUrl: sandbox.githubUrl,
    });
    const runId = w.facts.waitingRunId;
    const envId = w.environments.find(e => e.name === 'production')!.id;
    await expect(
      // no `comment`: GitHub requires all three fields
      reviewer.request(
        'POST /repos/lexecon-ai/lexecon/actions/runs/{run_id}/pending_deployments',
        { run_id: runId, environment_ids: [envId], state: 'approved' },
      ),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: { message: 'Invalid request.\n\n"comment" wasn\'t supplied.' },
      },
    });
    await expect(
      reviewer.rest.actions.reviewPendingDeploymentsForRun({
        owner,
        repo,
        run_id: 1,
        environment_ids: [envId],
        state: 'approved',
        comment: 'x',
      }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      reviewer.rest.actions.reviewPendingDeploymentsForRun({
        owner,
        repo,
        run_id: w.facts.failedProductionRunId,
        environment_ids: [envId],
        state: 'approved',
        comment: 'x',
      }),
    ).rejects.toMatchObject({ status: 422 });

    const helmBefore = w.helm['lexecon-production'].length;
    const { data } = await reviewer.rest.actions.reviewPendingDeploymentsForRun(
      {
        owner,
        repo,
        run_id: runId,
        environment_ids: [envId],
        state: 'approved',
        comment: 'Checked staging health, LGTM',
      },
    );
    expect(data).toHaveLength(1);
    expect(data[0].environment).toBe('production');
    expect(data[0].sha).toBe(w.facts.latestStagingSha);

    const { data: run } = await octokit.rest.actions.getWorkflowRun({
      owner,
      repo,
      run_id: runId,
    });
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('success');
    const { data: approvals } = await octokit.rest.actions.getReviewsForRun({
      owner,
      repo,
      run_id: runId,
    });
    expect(approvals[0]).toMatchObject({
      state: 'approved',
      user: { login: 'alex-kim' },
    });
    await expect(
      reviewer.rest.actions.reviewPendingDeploymentsForRun({
        owner,
        repo,
        run_id: runId,
        environment_ids: [envId],
        state: 'approved',
        comment: 'again',
      }),
    ).rejects.toMatchObject({ status: 422 });

    // The new Helm revision is visible through the Kubernetes API.
    const revision = helmBefore + 1;
    const res = await fetch(
      `${sandbox.kubernetesUrl}/api/v1/namespaces/lexecon-production/secrets/sh.helm.release.v1.lexecon.v${revision}`,
      {
        headers: { authorization: `Bearer ${sandbox.kubernetesToken}` },
        dispatcher: new Agent({ connect: { ca: sandbox.kubernetesCaPem } }),
      },
    );
    expect(res.status).toBe(200);
    const secret = (await res.json()) as {
      metadata: { labels: Record<string, string> };
      data: { release: string };
    };
    expect(secret.metadata.labels.status).toBe('deployed');
    const helmB64 = Buffer.from(secret.data.release, 'base64').toString('utf8');
    const release = JSON.parse(
      gunzipSync(Buffer.from(helmB64, 'base64')).toString('utf8'),
    );
    expect(release.chart.metadata.appVersion).toBe(w.facts.waitingRunVersion);
    expect(release.config.image.tag).toBe(w.facts.latestStagingSha);
    expect(
      w.helm['lexecon-production']
        .filter(r => r.status === 'deployed')
        .map(r => r.revision),
    ).toEqual([revision]);
  });

  it('serves html pages for html_url links', async () => {
    const res = await fetch(
      `${sandbox.githubWebUrl}/lexecon-ai/lexecon/actions/runs/${sandbox.world.facts.failedProductionRunId}`,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Deploy to production');
  });
});
