/**
 * A fetch that gives up after `timeoutMs`, so a hung upstream cannot hold a refresh forever.
 * The caller's own abort signal still works.
 */
export function createTimeoutFetch(
  timeoutMs: number,
  baseFetch: typeof fetch = fetch,
): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal
      ? AbortSignal.any([init.signal, timeout])
      : timeout;
    return baseFetch(input, { ...init, signal });
  };
}

export function isTimeoutError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: unknown }).cause;
  return (
    error.name === 'TimeoutError' ||
    error.name === 'AbortError' ||
    /aborted|timeout/i.test(error.message) ||
    (cause instanceof Error && isTimeoutError(cause))
  );
}

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // Read only an own `code`: Octokit's RequestError has a deprecated `code` getter.
  const code = Object.getOwnPropertyDescriptor(error, 'code')?.value;
  const cause = (error as { cause?: unknown }).cause;
  return (
    code === 'ECONNRESET' ||
    code === 'ECONNREFUSED' ||
    code === 'UND_ERR_SOCKET' ||
    /socket hang up|other side closed|fetch failed|ECONNRESET|ECONNREFUSED/i.test(
      error.message,
    ) ||
    (cause instanceof Error && isConnectionError(cause))
  );
}
