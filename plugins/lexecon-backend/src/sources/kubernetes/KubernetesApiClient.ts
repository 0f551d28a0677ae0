import { readFile } from 'node:fs/promises';
import { Agent, fetch as undiciFetch } from 'undici';
import { KubernetesClusterConfig } from '../../config';
import { readJson, retryWaitMs } from '../http/JsonHttpClient';
import { isConnectionError, isTimeoutError } from '../http/timeoutFetch';
import { UpstreamError } from '../types';

interface KubernetesStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * A small typed client for the few Kubernetes API reads the portal needs, over HTTPS with the
 * cluster's CA and a service-account bearer token. Retries 429/5xx/timeouts/resets a bounded number
 * of times, honouring Retry-After.
 */
export class KubernetesApiClient {
  private agent?: Agent;

  constructor(
    readonly cluster: KubernetesClusterConfig,
    private readonly options: { timeoutMs: number; retries: number },
  ) {}

  /** The CA file may appear after start-up (the sandbox writes it), so it is read on first use. */
  private async getAgent(): Promise<Agent> {
    if (this.agent) return this.agent;
    let ca = this.cluster.caPem;
    if (!ca && this.cluster.caFile) {
      try {
        ca = await readFile(this.cluster.caFile, 'utf8');
      } catch (error) {
        throw new UpstreamError(
          'kubernetes',
          `Cannot read the CA file of cluster ${this.cluster.name} (${
            this.cluster.caFile
          }): ${(error as Error).message}`,
        );
      }
    }
    this.agent = new Agent({
      connect: { ca, rejectUnauthorized: !this.cluster.skipTLSVerify },
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
    });
    return this.agent;
  }

  async get<T>(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<T> {
    const url = new URL(`${this.cluster.url}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '')
        url.searchParams.set(key, String(value));
    }
    const what = `${path} on cluster ${this.cluster.name}`;
    const dispatcher = await this.getAgent();
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.options.retries;
      let response;
      try {
        response = await undiciFetch(url, {
          dispatcher,
          signal: AbortSignal.timeout(this.options.timeoutMs),
          headers: {
            accept: 'application/json',
            ...(this.cluster.serviceAccountToken
              ? { authorization: `Bearer ${this.cluster.serviceAccountToken}` }
              : {}),
          },
        });
      } catch (error) {
        if (!last && (isTimeoutError(error) || isConnectionError(error))) {
          await delay(backoff(attempt));
          continue;
        }
        if (isTimeoutError(error)) {
          throw new UpstreamError(
            'kubernetes',
            `Kubernetes did not answer within ${Math.round(
              this.options.timeoutMs / 1000,
            )}s reading ${what}`,
          );
        }
        throw new UpstreamError(
          'kubernetes',
          `Could not reach Kubernetes reading ${what}: ${describeCause(error)}`,
        );
      }
      if (response.ok) {
        return readJson<T>(
          response,
          'kubernetes',
          `Kubernetes sent a malformed response reading ${what}`,
        );
      }
      if (!last && RETRYABLE.has(response.status)) {
        await response.body?.cancel();
        await delay(
          Math.min(retryWaitMs(response) ?? backoff(attempt), 30_000),
        );
        continue;
      }
      const status = (await response.json().catch(() => undefined)) as
        | KubernetesStatus
        | undefined;
      throw new UpstreamError(
        'kubernetes',
        describeStatus(response.status, what, status),
        response.status,
      );
    }
  }

  async close() {
    await this.agent?.close();
  }
}

function describeStatus(code: number, what: string, status?: KubernetesStatus) {
  const detail = status?.message ? `: ${status.message}` : '';
  switch (code) {
    case 401:
      return `Kubernetes rejected the service account token (401) reading ${what}`;
    case 403:
      return `The service account may not read ${what} (403 Forbidden): grant list/get on secrets in that namespace${detail}`;
    case 404:
      return `Kubernetes has no ${what} (404)${detail}`;
    case 429:
      return `Kubernetes is throttling requests (429) reading ${what}; retried and gave up`;
    default:
      return `Kubernetes failed with ${code} reading ${what}${detail}`;
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })
    .cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function backoff(attempt: number) {
  return Math.min(200 * 2 ** attempt, 2000);
}

function delay(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
