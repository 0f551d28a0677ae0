/**
 * The serial sum, measured: the requests a cold view made, sent again one after another with
 * the same latency injected, with the credentials the backend uses. What a backend that made
 * one call at a time would have waited for the same data.
 */
import http from 'node:http';
import https from 'node:https';
import {
  BIGQUERY_TOKEN,
  DATADOG_API_KEY,
  DATADOG_APPLICATION_KEY,
  GITHUB_TOKEN,
  KUBERNETES_TOKEN,
  SLACK_BOT_TOKEN,
  UNLEASH_TOKEN,
  type Sandbox,
  type SourceName,
  type StartedRequest,
} from '@internal/sandbox';

export interface ReplayResult {
  ms: number;
  calls: number;
  /** Replayed answers whose status differs from what the backend got (0 when faithful). */
  statusMismatches: number;
}

const HEADERS: Record<SourceName, Record<string, string>> = {
  github: {
    authorization: `token ${GITHUB_TOKEN}`,
    accept: 'application/vnd.github+json',
  },
  kubernetes: { authorization: `Bearer ${KUBERNETES_TOKEN}` },
  unleash: { authorization: UNLEASH_TOKEN },
  datadog: {
    'dd-api-key': DATADOG_API_KEY,
    'dd-application-key': DATADOG_APPLICATION_KEY,
  },
  health: {},
  oidc: {},
  // SigV4 signs each request anew: a replayed Cost Explorer call is refused (403).
  aws: {},
  opencost: {},
  bigquery: { authorization: `Bearer ${BIGQUERY_TOKEN}` },
  slack: { authorization: `Bearer ${SLACK_BOT_TOKEN}` },
};

function baseUrl(sandbox: Sandbox, source: SourceName) {
  const urls: Record<SourceName, string> = {
    github: sandbox.githubWebUrl,
    kubernetes: sandbox.kubernetesUrl,
    unleash: sandbox.unleashUrl,
    datadog: sandbox.datadogUrl,
    health: sandbox.healthUrl,
    oidc: sandbox.oidcUrl,
    aws: sandbox.awsUrl,
    opencost: sandbox.opencostUrl,
    bigquery: sandbox.bigqueryUrl,
    slack: sandbox.slackUrl,
  };
  return urls[source];
}

/** Sends the requests one at a time (keep-alive connections, as the backend's clients). */
export async function replaySerially(
  sandbox: Sandbox,
  requests: StartedRequest[],
): Promise<ReplayResult> {
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    ca: sandbox.kubernetesCaPem,
  });
  let statusMismatches = 0;
  const started = performance.now();
  try {
    for (const request of requests) {
      if (request.method !== 'GET') {
        throw new Error(
          `Cannot replay ${request.method} ${request.path}: a cold view only reads`,
        );
      }
      const url = new URL(request.path, baseUrl(sandbox, request.source));
      const status = await get(
        url,
        HEADERS[request.source],
        url.protocol === 'https:' ? httpsAgent : httpAgent,
      );
      if (status !== request.status) statusMismatches++;
    }
  } finally {
    httpAgent.destroy();
    httpsAgent.destroy();
  }
  return {
    ms: performance.now() - started,
    calls: requests.length,
    statusMismatches,
  };
}

function get(
  url: URL,
  headers: Record<string, string>,
  agent: http.Agent,
): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { headers, agent, timeout: 30_000 }, res => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url} timed out`)));
    req.on('error', reject);
  });
}
