import { Octokit } from '@octokit/rest';
import { Sandbox, startSandbox } from '../index';

const NOW = new Date('2026-11-20T15:00:00Z');

describe('GitHub token identities and review rules', () => {
  let sandbox: Sandbox;
  const as = (token: string) =>
    new Octokit({ auth: token, baseUrl: sandbox.githubUrl });
  const review = (
    token: string,
    runId: number,
    body: Record<string, unknown>,
  ) =>
    as(token).request(
      'POST /repos/lexecon-ai/lexecon/actions/runs/{run_id}/pending_deployments',
      { run_id: runId, ...body },
    );
  const rejected = (status: number, message: unknown) => ({
    status,
    response: { data: { message } },
  });
  /** A review by `login` that GitHub refuses with 422 and `message`. */
  const refused = (
    login: string,
    runId: number,
    body: Record<string, unknown>,
    message: unknown,
  ) =>
    expect(
      review(`sandbox-token-for-${login}`, runId, body),
    ).rejects.toMatchObject(rejected(422, message));
  const productionId = () =>
    sandbox.world.environments.find(e => e.name === 'production')!.id;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
  });
  afterAll(() => sandbox.stop());

  it('rejects unknown tokens and unknown people', async () => {
    for (const token of ['nope', 'sandbox-token-for-nobody']) {
      await expect(as(token).request('GET /user')).rejects.toMatchObject(
        rejected(401, 'Bad credentials'),
      );
    }
  });

  it('treats the service token as the portal App installation', async () => {
    const bot = as(sandbox.githubToken);
    const { data: runs } = await bot.rest.actions.listWorkflowRunsForRepo({
      owner: sandbox.owner,
      repo: sandbox.repo,
      status: 'waiting',
    });
    expect(runs.workflow_runs.map(r => r.id)).toEqual([
      sandbox.world.facts.waitingRunId,
    ]);
    await expect(bot.request('GET /user')).rejects.toMatchObject(
      rejected(403, 'Resource not accessible by integration'),
    );
    await expect(
      review(sandbox.githubToken, sandbox.world.facts.waitingRunId, {
        environment_ids: [productionId()],
        state: 'approved',
        comment: 'bot approval',
      }),
    ).rejects.toMatchObject({
      status: 403,
      response: {
        data: {
          message: 'Resource not accessible by integration',
          documentation_url: expect.stringContaining(
            'review-pending-deployments-for-a-workflow-run',
          ),
        },
      },
    });
  });

  it('computes current_user_can_approve for the token user', async () => {
    const canApprove = async (login: string) => {
      const { data } = await as(
        `sandbox-token-for-${login}`,
      ).rest.actions.getPendingDeploymentsForRun({
        owner: sandbox.owner,
        repo: sandbox.repo,
        run_id: sandbox.world.facts.waitingRunId,
      });
      return data[0].current_user_can_approve;
    };
    expect(await canApprove('alex-kim')).toBe(true);
    expect(await canApprove('jordan-lee')).toBe(true);
    expect(await canApprove('maya-chen')).toBe(false);
    // the person who triggered the run: prevent_self_review
    expect(await canApprove(sandbox.world.facts.waitingRunTriggeredBy)).toBe(
      false,
    );
  });

  it('enforces required fields, reviewers and self-review', async () => {
    const runId = sandbox.world.facts.waitingRunId;
    const ok = {
      environment_ids: [productionId()],
      state: 'approved',
      comment: 'LGTM',
    };
    for (const field of ['environment_ids', 'state', 'comment'] as const) {
      const body: Record<string, unknown> = { ...ok };
      delete body[field];
      await refused(
        'alex-kim',
        runId,
        body,
        `Invalid request.\n\n"${field}" wasn't supplied.`,
      );
    }
    await refused(
      'maya-chen',
      runId,
      ok,
      'Unable to review: maya-chen is not a required reviewer for environment production.',
    );
    const run = sandbox.world.runs.find(r => r.id === runId)!;
    const triggeredBy = run.triggeringActor;
    run.triggeringActor = 'jordan-lee';
    try {
      await refused(
        'jordan-lee',
        runId,
        ok,
        expect.stringContaining('prevents self-review'),
      );
    } finally {
      run.triggeringActor = triggeredBy;
    }
    const failed = sandbox.world.facts.failedProductionRunId;
    await refused(
      'alex-kim',
      failed,
      ok,
      'Unable to review: this workflow run has no pending deployments.',
    );
    // Still waiting: nothing above changed the run.
    expect(run.status).toBe('waiting');
  });

  it('lets only the App answer custom protection rules', async () => {
    const runId = sandbox.world.facts.waitingRunId;
    await expect(
      as('sandbox-token-for-alex-kim').request(
        'POST /repos/lexecon-ai/lexecon/actions/runs/{run_id}/deployment_protection_rule',
        { run_id: runId, environment_name: 'production', state: 'approved' },
      ),
    ).rejects.toMatchObject({ status: 403 });
    // required-reviewers gate: production has no custom rule of the portal App
    await expect(
      as(sandbox.githubToken).request(
        'POST /repos/lexecon-ai/lexecon/actions/runs/{run_id}/deployment_protection_rule',
        { run_id: runId, environment_name: 'production', state: 'approved' },
      ),
    ).rejects.toMatchObject({ status: 422 });
    const { data } = await as(sandbox.githubToken).request(
      'GET /repos/lexecon-ai/lexecon/environments/{environment_name}/deployment_protection_rules',
      { environment_name: 'production' },
    );
    expect(data).toEqual({
      total_count: 0,
      custom_deployment_protection_rules: [],
    });
  });
});
