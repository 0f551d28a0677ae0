import { Octokit } from '@octokit/rest';
import {
  GITHUB_TOKEN_WITHOUT_SECURITY_EVENTS,
  Sandbox,
  startSandbox,
} from '../index';

const NOW = new Date('2026-11-20T15:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const owner = 'lexecon-ai';

describe('GitHub stand-in: what SOC 2 evidence reads', () => {
  let sandbox: Sandbox;
  let octokit: Octokit;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
    octokit = new Octokit({
      auth: sandbox.githubToken,
      baseUrl: sandbox.githubUrl,
    });
  });
  afterAll(() => sandbox.stop());

  it("reads the Lexecon API's branch protection; web-console's main is protected by a ruleset instead", async () => {
    const { data } = await octokit.rest.repos.getBranchProtection({
      owner,
      repo: 'lexecon',
      branch: 'main',
    });
    expect(data.required_pull_request_reviews).toMatchObject({
      required_approving_review_count: 1,
      dismiss_stale_reviews: true,
    });
    expect(data.enforce_admins?.enabled).toBe(true);
    expect(data.required_status_checks?.contexts).toEqual(['test']);
    await expect(
      octokit.rest.repos.getBranchRules({
        owner,
        repo: 'lexecon',
        branch: 'main',
      }),
    ).resolves.toMatchObject({ data: [] });

    await expect(
      octokit.rest.repos.getBranchProtection({
        owner,
        repo: 'web-console',
        branch: 'main',
      }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Branch not protected' } },
    });
    await expect(
      octokit.rest.repos.getBranchProtection({
        owner,
        repo: 'lexecon',
        branch: 'gone',
      }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Branch not found' } },
    });
    const rules = await octokit.paginate(octokit.rest.repos.getBranchRules, {
      owner,
      repo: 'web-console',
      branch: 'main',
      per_page: 3,
    });
    expect(rules.map(r => r.type).sort()).toEqual([
      'deletion',
      'non_fast_forward',
      'pull_request',
      'required_status_checks',
    ]);
    expect(rules.find(r => r.type === 'pull_request')).toMatchObject({
      parameters: { required_approving_review_count: 1 },
      ruleset_source_type: 'Repository',
      ruleset_source: 'lexecon-ai/web-console',
    });
  });

  it("reads the production environment's required reviewers and prevent_self_review", async () => {
    const { data } = await octokit.rest.repos.getEnvironment({
      owner,
      repo: 'lexecon',
      environment_name: 'production',
    });
    const reviewers = data.protection_rules?.find(
      r => r.type === 'required_reviewers',
    );
    expect(reviewers).toMatchObject({ prevent_self_review: true });
    expect(
      (reviewers as { reviewers: unknown[] }).reviewers.length,
    ).toBeGreaterThan(0);
  });

  it('counts admins: two direct admins of the Lexecon API, four of decision-ledger, two org owners', async () => {
    const admins = async (repo: string, affiliation: 'direct' | 'all') =>
      (
        await octokit.paginate(octokit.rest.repos.listCollaborators, {
          owner,
          repo,
          permission: 'admin',
          affiliation,
          per_page: 1,
        })
      ).map(c => c.login);
    expect(await admins('lexecon', 'direct')).toEqual([
      'alex-kim',
      'lena-fischer',
    ]);
    expect(await admins('decision-ledger', 'direct')).toHaveLength(4);
    const writers = await octokit.rest.repos.listCollaborators({
      owner,
      repo: 'lexecon',
      permission: 'push',
      affiliation: 'direct',
    });
    expect(writers.data.length).toBeGreaterThan(2);
    const writer = writers.data.find(c => c.role_name === 'write');
    expect(writer?.permissions).toEqual({
      admin: false,
      maintain: false,
      push: true,
      triage: true,
      pull: true,
    });

    const owners = await octokit.paginate(octokit.rest.orgs.listMembers, {
      org: owner,
      role: 'admin',
      per_page: 1,
    });
    expect(owners.map(m => m.login)).toEqual(['alex-kim', 'lena-fischer']);
    const everyone = await octokit.paginate(octokit.rest.orgs.listMembers, {
      org: owner,
    });
    expect(everyone.length).toBeGreaterThan(owners.length);
    await expect(
      octokit.rest.orgs.listMembers({ org: 'someone-else' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("lists policy-engine's open alerts with GitHub's severity fields and ages from the sandbox clock", async () => {
    const dependabot = await octokit.paginate(
      octokit.rest.dependabot.listAlertsForRepo,
      { owner, repo: 'policy-engine', state: 'open', per_page: 1 },
    );
    const ages = dependabot.map(a => [
      a.security_advisory.severity,
      (NOW.getTime() - Date.parse(a.created_at)) / HOUR,
    ]);
    expect(ages.sort()).toEqual([
      ['critical', 72],
      ['medium', 240],
    ]);
    const codeScanning = await octokit.rest.codeScanning.listAlertsForRepo({
      owner,
      repo: 'policy-engine',
      state: 'open',
    });
    expect(
      codeScanning.data.map(a => [
        a.rule.security_severity_level,
        (NOW.getTime() - Date.parse(a.created_at)) / HOUR,
      ]),
    ).toEqual([['high', 48]]);
    // The Lexecon API's alerts are all fixed or dismissed (its readiness story needs none open).
    await expect(
      octokit.rest.dependabot.listAlertsForRepo({
        owner,
        repo: 'lexecon',
        state: 'open',
      }),
    ).resolves.toMatchObject({ data: [] });
  });

  it('refuses the alerts to an installation without security_events (403), not an empty list', async () => {
    const limited = new Octokit({
      auth: GITHUB_TOKEN_WITHOUT_SECURITY_EVENTS,
      baseUrl: sandbox.githubUrl,
    });
    const forbidden = {
      status: 403,
      response: {
        data: { message: 'Resource not accessible by integration' },
      },
    };
    await expect(
      limited.rest.dependabot.listAlertsForRepo({
        owner,
        repo: 'policy-engine',
        state: 'open',
      }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      limited.rest.codeScanning.listAlertsForRepo({
        owner,
        repo: 'policy-engine',
      }),
    ).rejects.toMatchObject(forbidden);
    // Everything else it may read.
    await expect(
      limited.rest.repos.getBranchProtection({
        owner,
        repo: 'lexecon',
        branch: 'main',
      }),
    ).resolves.toMatchObject({ status: 200 });
  });

  it('lists the policy documents and dates their last review by the newest commit touching each', async () => {
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo: 'lexecon',
      path: 'docs/policies',
    });
    if (!Array.isArray(data)) throw new Error('expected a directory listing');
    expect(data.map(f => [f.type, f.name])).toContainEqual([
      'file',
      'data-retention-policy.md',
    ]);
    const lastReviewDays: Record<string, number> = {};
    for (const file of data) {
      const commits = await octokit.rest.repos.listCommits({
        owner,
        repo: 'lexecon',
        path: file.path,
        per_page: 1,
      });
      expect(commits.data).toHaveLength(1);
      lastReviewDays[file.name] = Math.round(
        (NOW.getTime() - Date.parse(commits.data[0].commit.committer!.date!)) /
          DAY,
      );
    }
    expect(lastReviewDays['data-retention-policy.md']).toBe(395);
    expect(
      Object.entries(lastReviewDays).filter(([, days]) => days > 365),
    ).toHaveLength(1);

    const file = await octokit.rest.repos.getContent({
      owner,
      repo: 'lexecon',
      path: 'docs/policies/data-retention-policy.md',
    });
    if (Array.isArray(file.data) || file.data.type !== 'file') {
      throw new Error('expected a file');
    }
    expect(Buffer.from(file.data.content, 'base64').toString()).toMatch(
      /^# Data Retention Policy/,
    );
    await expect(
      octokit.rest.repos.getContent({
        owner,
        repo: 'lexecon',
        path: 'docs/nothing-here',
      }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.rest.repos.getContent({
        owner,
        repo: 'decision-ledger',
        path: 'docs/policies',
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('answers a repeated read with 304 when its ETag still matches, and counts each request', async () => {
    sandbox.clearRequests();
    const first = await octokit.rest.repos.getBranchProtection({
      owner,
      repo: 'lexecon',
      branch: 'main',
    });
    await expect(
      octokit.rest.repos.getBranchProtection({
        owner,
        repo: 'lexecon',
        branch: 'main',
        headers: { 'if-none-match': first.headers.etag },
      }),
    ).rejects.toMatchObject({ status: 304 });
    expect(sandbox.requests().map(r => r.status)).toEqual([200, 304]);
  });
});
