import { iso, sha1Hex } from '../random';
import { CommitRecord, GitIdentity, SandboxWorld } from './types';

const SECOND = 1000;

/** A commit to push onto `main`, as a test describes it. */
export interface CommitSpec {
  title: string;
  /** GitHub login of the author; ignored with `unlinkedAuthor`. Default priya-nair. */
  author?: string;
  /** An author whose email no GitHub account claims (the API shows `author: null`). */
  unlinkedAuthor?: GitIdentity;
  /** Login of the committer when not the author (`web-flow` for a merge in GitHub's UI). */
  committer?: string;
  unlinkedCommitter?: GitIdentity;
  /** `Co-authored-by` trailers, written as git writes them. */
  coAuthors?: GitIdentity[];
  /** Merged through a pull request: who opened it (default the author) and who merged it. */
  pullRequest?: { author?: string; mergedBy?: string };
}

/**
 * Appends commits to `main`, oldest first, one second apart from `at`: what a push or a
 * merged pull request does. Returns the new commits.
 */
export function pushCommits(
  world: SandboxWorld,
  specs: CommitSpec[],
  at: number,
): CommitRecord[] {
  let parent = world.commits[world.commits.length - 1]?.sha;
  let lastPr = Math.max(0, ...world.commits.map(c => c.prNumber ?? 0));
  return specs.map((spec, i) => {
    const author = spec.author ?? 'priya-nair';
    const prNumber = spec.pullRequest ? ++lastPr : undefined;
    const trailers = (spec.coAuthors ?? []).map(
      c => `Co-authored-by: ${c.name} <${c.email}>`,
    );
    const message = [
      prNumber ? `${spec.title} (#${prNumber})` : spec.title,
      ...(trailers.length ? ['', ...trailers] : []),
    ].join('\n');
    const date = iso(at + i * SECOND);
    const sha = sha1Hex(`commit:${parent}:${message}:${date}`);
    const commit: CommitRecord = {
      sha,
      treeSha: sha1Hex(`tree:${sha}`),
      message,
      authorLogin: author,
      committerLogin: spec.committer ?? author,
      unlinked:
        spec.unlinkedAuthor || spec.unlinkedCommitter
          ? { author: spec.unlinkedAuthor, committer: spec.unlinkedCommitter }
          : undefined,
      date,
      parents: parent ? [parent] : [],
      prNumber,
      branch: prNumber ? `change-${prNumber}` : undefined,
      prAuthor: spec.pullRequest?.author,
      mergedBy: spec.pullRequest?.mergedBy,
      additions: 10 + i,
      deletions: i % 5,
    };
    world.commits.push(commit);
    parent = sha;
    return commit;
  });
}
