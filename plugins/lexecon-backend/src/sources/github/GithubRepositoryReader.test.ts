import { fakeGithubApi, sha } from './__fixtures__/fakeGithubApi';
import { GithubRepositoryReader } from './GithubRepositoryReader';

const repository = {
  owner: 'acme',
  repo: 'shop',
  htmlUrl: 'https://github.test/acme/shop',
};

describe('GithubRepositoryReader paging', () => {
  it('reads every page of tags, not only the first hundred', async () => {
    const { octokit, requested } = fakeGithubApi({ tags: 250 });
    const tags = await new GithubRepositoryReader(octokit, repository).tags();

    expect(Object.keys(tags.bySha)).toHaveLength(250);
    expect(tags.bySha[sha(0)]).toBe('v1.250');
    expect(tags.bySha[sha(249)]).toBe('v1.1');
    expect(tags.truncated).toBe(false);
    expect(requested.filter(r => r.includes('/tags'))).toHaveLength(3);
  });

  it('stops at its bound and says the tags are incomplete', async () => {
    const { octokit } = fakeGithubApi({ tags: 250 });
    const tags = await new GithubRepositoryReader(octokit, repository).tags({
      maxPages: 2,
    });

    expect(Object.keys(tags.bySha)).toHaveLength(200);
    expect(tags.truncated).toBe(true);
  });

  it('reads a comparison of more than 100 commits page by page', async () => {
    const { octokit, requested } = fakeGithubApi({ compareCommits: 230 });
    const comparison = await new GithubRepositoryReader(
      octokit,
      repository,
    ).compare('base', 'head');

    expect(comparison.totalCommits).toBe(230);
    expect(comparison.commits).toHaveLength(230);
    expect(new Set(comparison.commits.map(c => c.sha)).size).toBe(230);
    expect(comparison.commits[229]).toMatchObject({
      sha: sha(229),
      shortSha: sha(229).slice(0, 7),
      title: 'Change 229',
      author: { login: 'dev-229', name: 'Dev 229' },
    });
    expect(comparison.truncated).toBe(false);
    expect(requested.filter(r => r.includes('/compare/'))).toHaveLength(3);
  });

  it('marks a comparison cut at its bound as truncated, keeping the oldest commits', async () => {
    const { octokit } = fakeGithubApi({ compareCommits: 230 });
    const comparison = await new GithubRepositoryReader(
      octokit,
      repository,
    ).compare('base', 'head', 100);

    expect(comparison.commits.map(c => c.sha)).toEqual(
      Array.from({ length: 100 }, (_, i) => sha(i)),
    );
    expect(comparison.totalCommits).toBe(230);
    expect(comparison.truncated).toBe(true);
  });
});
