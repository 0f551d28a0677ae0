import { SourceId } from '@internal/plugin-lexecon-common';
import { ApprovalHttpError } from '../../approvals/errors';
import { isConnectionError, isTimeoutError } from '../http/timeoutFetch';
import { UpstreamError } from '../types';

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined> };
}

/**
 * GitHub's failures in words a person can act on, in one place: reads of a refresh (which name
 * what was being read) and the reviews the portal sends.
 */

/** Wraps GitHub calls of one refresh so a failure names what was being read, and of which repo. */
export function githubCaller(
  slug: string,
  timeoutMs: number,
  source: SourceId = 'github',
) {
  return async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      const { message, status } = describeGithubError(
        error,
        `${what} of ${slug}`,
        timeoutMs,
      );
      throw new UpstreamError(source, message, status);
    }
  };
}

/** Turns a failed read into a sentence a person can act on. */
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

/**
 * Turns a failed review sent to GitHub (or the read just before it) into the answer the person
 * gets: a status and a message saying that nothing was recorded and what to do next.
 */
export function describeGithubWriteError(
  error: unknown,
  context: { runId: number; environment: string; timeoutMs: number },
): ApprovalHttpError {
  const { runId, environment, timeoutMs } = context;
  const e = error as RequestErrorLike & {
    name?: string;
    response?: { data?: { message?: string } };
  };
  const upstream = e?.response?.data?.message ?? e?.message ?? String(error);
  const nothing = 'Nothing was recorded as approved.';
  switch (e?.status) {
    case 401:
      return new ApprovalHttpError(
        401,
        'AuthenticationError',
        `GitHub did not accept the GitHub credentials (401): sign in with GitHub again. ${nothing}`,
      );
    case 403:
      return new ApprovalHttpError(
        403,
        'NotAllowedError',
        `GitHub refused the review (403: ${upstream}). Only a required reviewer of ${environment} can review it. ${nothing}`,
      );
    case 404:
      return new ApprovalHttpError(
        404,
        'NotFoundError',
        `GitHub has no waiting run ${runId} for ${environment} (404). ${nothing}`,
      );
    case 422:
      return new ApprovalHttpError(
        422,
        'UnprocessableEntityError',
        `GitHub did not accept the review (422: ${upstream}). ${nothing}`,
      );
    default:
  }
  if (isTimeoutError(error)) {
    return new ApprovalHttpError(
      504,
      'GatewayTimeoutError',
      `GitHub did not answer within ${Math.round(
        timeoutMs / 1000,
      )}s. ${nothing} Check the run in GitHub before trying again.`,
    );
  }
  if (e?.status && e.status >= 500) {
    return new ApprovalHttpError(
      502,
      'BadGatewayError',
      `GitHub failed with ${e.status}. ${nothing} Try again in a moment.`,
    );
  }
  return new ApprovalHttpError(
    502,
    'BadGatewayError',
    `Could not reach GitHub (${upstream}). ${nothing}`,
  );
}

/** The HTTP status GitHub answered with, when the failure came from GitHub. */
export function githubStatusOf(error: unknown): number | undefined {
  const status = (error as RequestErrorLike | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}
