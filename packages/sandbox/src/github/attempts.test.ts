import { Octokit } from '@octokit/rest';
import { Sandbox, startSandbox } from '../index';

/** The CI workflow's runs per service: 90 days, re-run attempts, an elite and a struggling profile. */
describe('CI runs with their attempts, jobs and steps', () => {
  let sandbox: Sandbox;
  let octokit: Octokit;
  const NOW = new Date('2026-11-20T15:00:00Z');

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
    octokit = new Octokit({
      auth: sandbox.githubToken,
      baseUrl: sandbox.githubUrl,
    });
  });
  afterAll(() => sandbox.stop());

  const testRuns = async (repo: string) =>
    octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
      owner: 'lexecon-ai',
      repo,
      workflow_id: 'test.yml',
      status: 'completed',
      per_page: 100,
    });

  const passRate = (runs: Array<{ conclusion: string | null }>) =>
    runs.filter(r => r.conclusion === 'success').length / runs.length;

  const p50TestJobSeconds = async (repo: string) => {
    const runs = (await testRuns(repo)).slice(0, 20);
    const seconds: number[] = [];
    for (const run of runs) {
      const { data } = await octokit.rest.actions.listJobsForWorkflowRun({
        owner: 'lexecon-ai',
        repo,
        run_id: run.id,
      });
      for (const job of data.jobs) {
        seconds.push(
          (Date.parse(job.completed_at!) - Date.parse(job.started_at)) / 1000,
        );
      }
    }
    return seconds.sort((a, b) => a - b)[Math.floor(seconds.length / 2)];
  };

  it('gives every portfolio service 90 days of CI runs', async () => {
    for (const repo of ['lexecon', 'decision-ledger', 'web-console']) {
      const runs = await testRuns(repo);
      const oldest = Date.parse(runs[runs.length - 1].created_at);
      expect((NOW.getTime() - oldest) / 86_400_000).toBeGreaterThan(85);
    }
  });

  it('has an elite service and a struggling one', async () => {
    const elite = await testRuns('web-console');
    const struggling = await testRuns('decision-ledger');
    expect(passRate(elite)).toBeGreaterThan(0.93);
    expect(passRate(struggling)).toBeLessThan(0.8);
    const [eliteP50, strugglingP50] = [
      await p50TestJobSeconds('web-console'),
      await p50TestJobSeconds('decision-ledger'),
    ];
    expect(strugglingP50).toBeGreaterThan(eliteP50 * 3);
  });

  it('has a medium service between them: policy-engine fails and takes longer than the elite one, less than the struggling one', async () => {
    const rates = await Promise.all(
      ['web-console', 'policy-engine', 'decision-ledger'].map(async repo =>
        passRate(await testRuns(repo)),
      ),
    );
    const [elite, medium, struggling] = rates;
    expect(medium).toBeLessThan(elite);
    expect(medium).toBeGreaterThan(struggling);
    const p50s = [
      await p50TestJobSeconds('web-console'),
      await p50TestJobSeconds('policy-engine'),
      await p50TestJobSeconds('decision-ledger'),
    ];
    expect(p50s[1]).toBeGreaterThan(p50s[0]);
    expect(p50s[1]).toBeLessThan(p50s[2]);
    const reruns = (await testRuns('policy-engine')).filter(
      r => r.run_attempt === 2,
    );
    expect(reruns.length).toBeGreaterThan(0);
  });

  it('lists every attempt with filter=all, and each attempt on its own', async () => {
    const repo = { owner: 'lexecon-ai', repo: 'decision-ledger' };
    const rerun = (await testRuns(repo.repo)).find(r => r.run_attempt === 2)!;
    expect(rerun).toBeDefined();
    expect(rerun.conclusion).toBe('success');
    expect(rerun.previous_attempt_url).toBe(`${rerun.url}/attempts/1`);

    const latest = await octokit.rest.actions.listJobsForWorkflowRun({
      ...repo,
      run_id: rerun.id,
    });
    expect(latest.data.jobs.every(j => j.run_attempt === 2)).toBe(true);

    const all = await octokit.rest.actions.listJobsForWorkflowRun({
      ...repo,
      run_id: rerun.id,
      filter: 'all',
    });
    const first = all.data.jobs.filter(j => j.run_attempt === 1);
    expect(all.data.total_count).toBe(latest.data.jobs.length * 2);
    expect(first.map(j => j.name).sort()).toEqual(
      latest.data.jobs.map(j => j.name).sort(),
    );
    const failed = first.filter(j => j.conclusion === 'failure');
    expect(failed).toHaveLength(1);
    const failedStep = failed[0].steps!.find(s => s.conclusion === 'failure')!;
    expect(failedStep.name).toMatch(/^Pytest/);
    expect(Date.parse(failedStep.completed_at!)).toBeGreaterThan(
      Date.parse(failedStep.started_at!),
    );
    // the re-run started after the first attempt ended, on the same commit
    const firstEnded = Math.max(...first.map(j => Date.parse(j.completed_at!)));
    expect(Date.parse(rerun.run_started_at!)).toBeGreaterThan(firstEnded);

    const attempt1 = await octokit.rest.actions.getWorkflowRunAttempt({
      ...repo,
      run_id: rerun.id,
      attempt_number: 1,
    });
    expect(attempt1.data).toMatchObject({
      run_attempt: 1,
      conclusion: 'failure',
      head_sha: rerun.head_sha,
      previous_attempt_url: null,
    });
    const attemptJobs = await octokit.request(
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs',
      { ...repo, run_id: rerun.id, attempt_number: 1 },
    );
    expect(attemptJobs.data.jobs.map(j => j.id).sort()).toEqual(
      first.map(j => j.id).sort(),
    );
    await expect(
      octokit.rest.actions.getWorkflowRunAttempt({
        ...repo,
        run_id: rerun.id,
        attempt_number: 3,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('pages the jobs of all attempts with Link headers and answers 304 to a known ETag', async () => {
    const repo = { owner: 'lexecon-ai', repo: 'decision-ledger' };
    const rerun = (await testRuns(repo.repo)).find(r => r.run_attempt === 2)!;
    const page1 = await octokit.rest.actions.listJobsForWorkflowRun({
      ...repo,
      run_id: rerun.id,
      filter: 'all',
      per_page: 4,
    });
    expect(page1.data.jobs).toHaveLength(4);
    expect(page1.headers.link).toContain('filter=all');
    expect(page1.headers.link).toMatch(/page=2>; rel="next"/);
    const paged = await octokit.paginate(
      octokit.rest.actions.listJobsForWorkflowRun,
      { ...repo, run_id: rerun.id, filter: 'all', per_page: 4 },
    );
    expect(paged).toHaveLength(page1.data.total_count);
    expect(new Set(paged.map(j => j.id)).size).toBe(paged.length);

    await expect(
      octokit.rest.actions.listJobsForWorkflowRun({
        ...repo,
        run_id: rerun.id,
        filter: 'all',
        per_page: 4,
        headers: { 'if-none-match': page1.headers.etag },
      }),
    ).rejects.toMatchObject({ status: 304 });
  });

  it('refuses an unknown filter as GitHub does', async () => {
    const run = (await testRuns('lexecon'))[0];
    await expect(
      octokit.request(
        `GET /repos/lexecon-ai/lexecon/actions/runs/${run.id}/jobs?filter=newest`,
      ),
    ).rejects.toMatchObject({ status: 422 });
  });
});
