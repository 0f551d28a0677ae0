import { ChangelogCommit } from '@internal/plugin-lexecon-common';

/** Who had a hand in one commit, as segregation of duties counts them. */
export interface CommitPeople {
  /** GitHub logins of the author, the committer and the co-authors linked to an account. */
  logins: string[];
  /** Those GitHub links to no account, e.g. `the author “Sam”`: they could be anyone. */
  unlinked: string[];
}

/** The author, committer and co-authors of a commit, split into linked logins and the rest. */
export function commitPeople(
  c: Pick<ChangelogCommit, 'author' | 'authorName' | 'committer' | 'coAuthors'>,
): CommitPeople {
  const logins: string[] = [];
  const unlinked: string[] = [];
  if (c.author) logins.push(c.author.login);
  else unlinked.push(`the author “${c.authorName ?? 'unknown'}”`);
  if (c.committer?.account) logins.push(c.committer.account.login);
  else if (c.committer) unlinked.push(`the committer “${c.committer.name}”`);
  for (const coAuthor of c.coAuthors ?? []) {
    if (coAuthor.account) logins.push(coAuthor.account.login);
    else unlinked.push(`the co-author “${coAuthor.name}”`);
  }
  return { logins: [...new Set(logins)], unlinked };
}
