/** Resolves once nothing accepts connections on the port (a previous run's backend may linger). */
export function waitForPortFree(
  port: number,
  timeoutMs?: number,
): Promise<void>;
