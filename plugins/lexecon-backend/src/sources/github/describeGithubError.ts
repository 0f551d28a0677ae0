import { isConnectionError, isTimeoutError } from '../http/timeoutFetch';

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined> };
}

/** Turns an Octokit failure into a sentence a person can act on. */
export function describeGithubError(
  error: unknown,
  what: string,
  timeoutMs: number,
): { message: string; status?: number } {
  const e = error as RequestErrorLike;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const headers = e?.response?.headers ?? {};
  if (status === 401) {
    return {
      status,
      message: `GitHub rejected the configured credentials (401) while reading ${what}: check the token or GitHub App in integrations.github`,
    };
  }
  if (status === 403 || status === 429) {
    const limited =
      status === 429 ||
      headers['x-ratelimit-remaining'] === '0' ||
      /rate limit/i.test(e.message ?? '');
    if (limited) {
      const retryAfter = headers['retry-after'];
      return {
        status,
        message: `GitHub rate limit reached while reading ${what}${
          retryAfter ? `; GitHub asks to retry after ${retryAfter}s` : ''
        }`,
      };
    }
    return {
      status,
      message: `GitHub denied access to ${what} (403): the credentials lack permission (Actions: read, Deployments: read, Contents: read)`,
    };
  }
  if (status === 404) {
    return {
      status,
      message: `GitHub has no ${what} (404): check the github.com/project-slug annotation and that the credentials can see the repository`,
    };
  }
  if (isTimeoutError(error)) {
    return {
      message: `GitHub did not answer within ${Math.round(
        timeoutMs / 1000,
      )}s while reading ${what}`,
    };
  }
  if (isConnectionError(error)) {
    return {
      message: `Could not reach GitHub while reading ${what}: the connection failed or was reset`,
    };
  }
  if (error instanceof SyntaxError || /JSON/i.test(e?.message ?? '')) {
    return {
      message: `GitHub sent a malformed response while reading ${what}`,
    };
  }
  if (status && status >= 500) {
    return {
      status,
      message: `GitHub failed with ${status} while reading ${what}; retried and gave up`,
    };
  }
  return {
    status,
    message: `Reading ${what} from GitHub failed: ${
      e?.message ?? String(error)
    }`,
  };
}
