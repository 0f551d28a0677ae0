import {
  ChangelogCommit,
  ChangeSet,
  PullRequestSummary,
} from '@internal/plugin-lexecon-common';
import { mapLimited } from '../mapLimited';
import { MAX_COMPARE_COMMITS } from './GithubRepositoryReader';
import type { GithubRepositoryReader } from './GithubRepositoryReader';

/** Pull-request lookups in flight at once for one change set. */
const PR_CONCURRENCY = 6;

/** What is live in the environment: read, read and none, or unreadable (the error's message). */
export type LiveRead = { live?: { sha: string } } | { error: string };

/** The change set of a run, or why it cannot be known (segregation of duties then refuses). */
export type ChangeSetRead =
  | { changeSet: ChangeSet }
  | { changeSetUnknown: string };

/**
 * The commits and pull requests between what is live in the environment and `headSha`, with
 * everyone who had a hand in them. Every commit's pull requests are looked up, and every pull
 * request for who merged it; whatever could not be read is said in `incomplete`.
 */
export async function readChangeSet(
  reader: GithubRepositoryReader,
  args: {
    environment: string;
    liveRead: LiveRead;
    headSha: string;
    tags: Record<string, string>;
    call: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
  },
): Promise<ChangeSetRead> {
  const { environment, liveRead, headSha, tags, call } = args;
  if ('error' in liveRead) return { changeSetUnknown: liveRead.error };
  const { live } = liveRead;
  if (!live) {
    return {
      changeSetUnknown: `no successful ${environment} deploy among the last ten to compare it with`,
    };
  }
  if (live.sha === headSha) {
    return {
      changeSet: {
        commits: [],
        totalCommits: 0,
        pullRequests: [],
        authors: [],
      },
    };
  }
  let comparison;
  try {
    comparison = await call('the change set', () =>
      reader.compare(live.sha, headSha),
    );
  } catch (error) {
    return { changeSetUnknown: (error as Error).message };
  }
  const { commits } = comparison;
  const pulls = comparison.truncated
    ? { pullRequests: [], failed: 0 }
    : await pullRequestsOf(reader, commits);
  let incomplete: string | undefined;
  if (comparison.truncated) {
    incomplete = `The change set has ${comparison.totalCommits} commits and the portal reads at most ${MAX_COMPARE_COMMITS}, so it cannot check segregation of duties on the rest`;
  } else if (pulls.failed) {
    incomplete = `The portal could not read all the pull requests of this change set (${pulls.failed} lookups failed), so it cannot check segregation of duties on them`;
  }
  return {
    changeSet: {
      base: { sha: live.sha, version: tags[live.sha] ?? live.sha.slice(0, 7) },
      commits: [...commits].reverse(),
      totalCommits: comparison.totalCommits,
      pullRequests: pulls.pullRequests,
      authors: contributors(commits, pulls.pullRequests),
      compareUrl: `${reader.htmlUrl}/compare/${live.sha.slice(
        0,
        12,
      )}...${headSha.slice(0, 12)}`,
      ...(incomplete ? { incomplete } : {}),
    },
  };
}

/** The pull requests of every commit, newest first, with who merged them. */
async function pullRequestsOf(
  reader: GithubRepositoryReader,
  commits: ChangelogCommit[],
): Promise<{ pullRequests: PullRequestSummary[]; failed: number }> {
  let failed = 0;
  const numbers = new Set<number>();
  await mapLimited(commits, PR_CONCURRENCY, async c => {
    try {
      const { items, truncated } = await reader.pullRequestsOf(c.sha);
      if (truncated) failed++;
      for (const pr of items) numbers.add(pr.number);
    } catch {
      failed++;
    }
  });
  const pullRequests = await mapLimited(
    [...numbers].sort((a, b) => b - a),
    PR_CONCURRENCY,
    n =>
      reader.pullRequest(n).catch(() => {
        failed++;
        return undefined;
      }),
  );
  return {
    pullRequests: pullRequests.filter((p): p is PullRequestSummary =>
      Boolean(p),
    ),
    failed,
  };
}

/** Logins of everyone with a hand in the change set. */
function contributors(
  commits: ChangelogCommit[],
  pullRequests: PullRequestSummary[],
): string[] {
  const logins = [
    ...commits.flatMap(c => [
      c.author?.login,
      c.committer?.account?.login,
      ...(c.coAuthors ?? []).map(a => a.account?.login),
    ]),
    ...pullRequests.flatMap(p => [p.author?.login, p.mergedBy?.login]),
  ];
  return [...new Set(logins.filter((l): l is string => Boolean(l)))];
}
