import { Octokit } from '@octokit/rest';
import { Sandbox, startSandbox } from '../index';

describe('readiness inputs and change set of the waiting run', () => {
  let sandbox: Sandbox;
  let octokit: Octokit;
  const repo = { owner: 'lexecon-ai', repo: 'lexecon' };

  beforeAll(async () => {
    sandbox = await startSandbox({
      now: new Date('2026-11-20T15:00:00Z'),
      quiet: true,
    });
    octokit = new Octokit({
      auth: sandbox.githubToken,
      baseUrl: sandbox.githubUrl,
    });
  });
  afterAll(() => sandbox.stop());

  it('publishes check runs with coverage and quality for the waiting commit', async () => {
    const facts = sandbox.world.facts.waitingRunReadiness;
    const { data } = await octokit.rest.checks.listForRef({
      ...repo,
      ref: facts.sha,
    });
    const byName = new Map(data.check_runs.map(c => [c.name, c]));
    for (const name of [
      'lint',
      'unit-tests (3.12)',
      'security-scan',
      'test',
      'code-quality',
      'docker-build',
    ]) {
      expect(byName.get(name)?.conclusion).toBe('success');
    }
    expect(byName.get('test')!.output.title).toBe(
      'Coverage 87.4% of statements',
    );
    expect(byName.get('code-quality')!.output.title).toBe(
      'Quality score 92/100',
    );
    expect(byName.get('test')!.html_url).toContain('/actions/runs/');

    const { data: status } = await octokit.rest.repos.getCombinedStatusForRef({
      ...repo,
      ref: facts.sha,
    });
    expect(status.state).toBe('success');
    expect(status.statuses[0].context).toBe('coverage');
    expect(status.statuses[0].description).toMatch(
      /^87\.42% \(\+0\.32%\) compared to [0-9a-f]{7}$/,
    );
  });

  it('scores the waiting run good and the failed candidate poor', async () => {
    const { waitingRunReadiness: good, poorReadiness: poor } =
      sandbox.world.facts;
    expect(good).toMatchObject({
      runId: sandbox.world.facts.waitingRunId,
      ciPassRate: 90,
      coverage: 87.4,
      securityScore: 100,
      quality: 92,
    });
    expect(good.score).toBeGreaterThanOrEqual(91);
    expect(good.score).toBeLessThanOrEqual(93);
    expect(poor.runId).toBe(sandbox.world.facts.failedProductionRunId);
    expect(poor.score).toBeLessThan(80);

    // The pass rate is what the API shows: the last 10 test.yml runs up to the commit.
    const { data } = await octokit.rest.actions.listWorkflowRuns({
      ...repo,
      workflow_id: 'test.yml',
      status: 'completed',
      per_page: 10,
    });
    expect(data.workflow_runs[0].head_sha).toBe(good.sha);
    expect(
      data.workflow_runs.filter(r => r.conclusion === 'success'),
    ).toHaveLength(9);

    const { data: poorChecks } = await octokit.rest.checks.listForRef({
      ...repo,
      ref: poor.sha,
      check_name: 'code-quality',
    });
    expect(poorChecks.check_runs[0].conclusion).toBe('failure');
  });

  it('serves code-scanning and Dependabot alerts with filters', async () => {
    const { data: open } = await octokit.rest.codeScanning.listAlertsForRepo({
      ...repo,
      state: 'open',
    });
    expect(open).toHaveLength(0);
    const { data: fixed } = await octokit.rest.codeScanning.listAlertsForRepo({
      ...repo,
      state: 'fixed',
      severity: 'high',
    });
    expect(fixed.map(a => a.rule.security_severity_level)).toEqual(['high']);
    expect(fixed[0].most_recent_instance.ref).toBe('refs/heads/main');
    const { data: deps } = await octokit.rest.dependabot.listAlertsForRepo({
      ...repo,
      severity: 'critical,high',
    });
    expect(deps.map(a => a.security_advisory.severity).sort()).toEqual([
      'critical',
      'high',
    ]);
    const { data: dismissed } = await octokit.rest.dependabot.listAlertsForRepo(
      { ...repo, state: 'dismissed' },
    );
    expect(dismissed[0]).toMatchObject({
      state: 'dismissed',
      dismissed_reason: 'not_used',
    });
  });

  it('shows a change set with several authors, their pull requests and the approvers team', async () => {
    const w = sandbox.world;
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${w.facts.lastProductionSha}...${w.facts.waitingRunReadiness.sha}`,
    });
    const authors = [...new Set(data.commits.map(c => c.author!.login))].sort();
    expect(authors).toEqual(w.facts.waitingRunAuthors);
    expect(authors.length).toBeGreaterThanOrEqual(3);
    expect(authors).toContain('jordan-lee');
    expect(authors).not.toContain('alex-kim');
    const { data: team } = await octokit.rest.teams.listMembersInOrg({
      org: 'lexecon-ai',
      team_slug: 'release-approvers',
    });
    expect(team.map(u => u.login).sort()).toEqual(['alex-kim', 'jordan-lee']);
    expect(team).not.toContainEqual(
      expect.objectContaining({ login: w.facts.waitingRunTriggeredBy }),
    );

    const jordans = data.commits.find(c => c.author!.login === 'jordan-lee')!;
    const { data: pulls } =
      await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        ...repo,
        commit_sha: jordans.sha,
      });
    expect(pulls).toHaveLength(1);
    expect(pulls[0].user!.login).toBe('jordan-lee');
    expect(w.facts.waitingRunPullRequests).toContain(pulls[0].number);
    const { data: pull } = await octokit.rest.pulls.get({
      ...repo,
      pull_number: pulls[0].number,
    });
    expect(pull).toMatchObject({
      merged: true,
      merge_commit_sha: jordans.sha,
      base: { ref: 'main' },
    });
    await expect(
      octokit.rest.pulls.get({ ...repo, pull_number: 1 }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
