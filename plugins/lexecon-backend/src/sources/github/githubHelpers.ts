import { Person } from '@internal/plugin-lexecon-common';
import { UpstreamError } from '../types';
import { describeGithubError } from './describeGithubError';

type UserLike =
  | {
      login: string;
      avatar_url?: string;
      html_url?: string;
      name?: string | null;
    }
  | null
  | undefined;

export function toPerson(value: UserLike | object): Person | undefined {
  const user = value as UserLike;
  if (typeof user?.login !== 'string' || !user.login) return undefined;
  return {
    login: user.login,
    name: user.name ?? undefined,
    avatarUrl: user.avatar_url,
    htmlUrl: user.html_url,
  };
}

/** Wraps GitHub calls of one refresh so a failure names what was being read, and of which repo. */
export function githubCaller(slug: string, timeoutMs: number) {
  return async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      const { message, status } = describeGithubError(
        error,
        `${what} of ${slug}`,
        timeoutMs,
      );
      throw new UpstreamError('github', message, status);
    }
  };
}
