/**
 * `@internal/sandbox`: a loopback-only stand-in for GitHub REST and the Kubernetes API,
 * seeded with a deterministic Lexecon delivery history.
 *
 * @packageDocumentation
 */
import type { Response } from 'express';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { createControlApp } from './control';
import {
  FaultRule,
  FaultState,
  RecordedRequest,
  RequestLog,
  validateFaultRules,
} from './faults';
import { GITHUB_TOKEN, TokenRegistry } from './github/identity';
import { DEFAULT_OAUTH_CLIENT, OAuthClient } from './github/oauth';
import { createGithubApp } from './github/server';
import { WebhookEvents } from './github/webhookEvents';
import { GithubRenderer } from './github/render';
import {
  DeliveryRecord,
  validateWebhookTarget,
  WebhookSender,
  WebhookTarget,
} from './webhooks';
import { createWaitingRun as createRun } from './world/releases';
import { isLoopbackHost } from './net';
import { createKubernetesApp } from './kubernetes/server';
import { createDatadogApp } from './datadog/server';
import { createHealthApp } from './health/server';
import { buildObservability } from './observability/seed';
import { createUnleashApp } from './unleash/server';
import { Prng } from './random';
import { StartedRequest, StartedRequestLog } from './startedRequests';
import { loadOrCreateCa } from './tls';
import { buildWorld } from './world/build';
import { applyGates, GateOptions } from './world/gates';
import { SandboxWorld } from './world/types';
import type { ObservabilityWorld } from './observability/seed';
import { WorldWriter } from './world/writer';

export type {
  FaultRule,
  FaultKind,
  RecordedRequest,
  SourceName,
} from './faults';
export type {
  ApprovalRecord,
  CommitRecord,
  DeploymentRecord,
  DeploymentState,
  DeploymentStatusRecord,
  EnvironmentRecord,
  HelmRevisionRecord,
  HelmStatus,
  JobRecord,
  KubeDeploymentRecord,
  NamespaceRecord,
  OpaqueSecretRecord,
  Person,
  ReplicaSetRecord,
  RunConclusion,
  RunRecord,
  RunStatus,
  SandboxWorld,
  StepRecord,
  TagRecord,
  TeamRecord,
  WorkflowRecord,
  WorldFacts,
} from './world/types';
export type { GateOptions, ProductionGate } from './world/gates';
export type { DeliveryRecord, WebhookTarget } from './webhooks';
export type { StartedRequest } from './startedRequests';
export type { ReadinessFacts } from './world/readiness';
export type { OAuthClient } from './github/oauth';
export { GITHUB_TOKEN, PORTAL_APP, USER_TOKEN_PREFIX } from './github/identity';
export { DEFAULT_OAUTH_CLIENT } from './github/oauth';
export {
  OWNER,
  REPO,
  RELEASE_NAME,
  STAGING_NAMESPACE,
  PRODUCTION_NAMESPACE,
  WORKFLOW_FILES,
  IMAGE_REPOSITORY,
} from './world/build';
export type {
  ObservabilityWorld,
  FlagRecord,
  FlagEventRecord,
  IncidentRecord,
  MonitorRecord,
  SloRecord,
} from './observability/seed';
export {
  UNLEASH_PROJECT,
  DATADOG_SERVICE,
  FLAG_ENVIRONMENTS,
} from './observability/seed';

export interface SandboxOptions {
  /** Default '127.0.0.1'; anything not loopback is refused. */
  host?: string;
  /** Default 0 (ephemeral). */
  githubPort?: number;
  kubernetesPort?: number;
  controlPort?: number;
  unleashPort?: number;
  datadogPort?: number;
  healthPort?: number;
  /** Datadog rate limit per endpoint family; default 1000 requests per 60 s. */
  datadogRateLimit?: { limit: number; periodSeconds: number };
  /** Seed clock; default `new Date()`. */
  now?: Date;
  /** Where to keep the generated CA (`ca.pem`, `ca-key.pem`; reused if present). Default: in memory only. */
  stateDir?: string;
  /** Initial fault rules. */
  faults?: FaultRule[];
  quiet?: boolean;
  /** The OAuth App the portal signs in with; default `sandbox-client-id` / `sandbox-client-secret`. */
  oauth?: Partial<OAuthClient>;
  /** How `production` is protected; default `{ production: 'required-reviewers' }`. */
  gates?: GateOptions;
  /** Where to POST signed webhook deliveries (loopback only); default none. */
  webhooks?: WebhookTarget;
  /**
   * The most items one page of a GitHub or Kubernetes list holds, whatever the client asks for
   * (GitHub's own cap is 100; a Kubernetes server may return fewer than `limit`). A small cap
   * makes the seeded lists span several pages, to test a client's paging.
   */
  maxPageSize?: number;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:41234/api/v3 */
  githubUrl: string;
  /** e.g. http://127.0.0.1:41234 (html_url base) */
  githubWebUrl: string;
  /** e.g. https://127.0.0.1:41235 */
  kubernetesUrl: string;
  kubernetesCaPem: string;
  kubernetesToken: string;
  /** The portal's service token: acts as the `lexecon-portal` GitHub App installation. */
  githubToken: string;
  /** The OAuth App users sign in through (`{githubWebUrl}/login/oauth/authorize`). */
  oauthClient: OAuthClient;
  /** e.g. http://127.0.0.1:41236 */
  controlUrl: string;
  owner: string;
  repo: string;
  /** Unleash Admin API base, e.g. http://127.0.0.1:41237 */
  unleashUrl: string;
  /** Sent raw in `Authorization`, as Unleash expects. */
  unleashToken: string;
  unleashProject: string;
  /** Datadog API base, e.g. http://127.0.0.1:41238 */
  datadogUrl: string;
  datadogApiKey: string;
  datadogApplicationKey: string;
  /** Lexecon's own health endpoints base, e.g. http://127.0.0.1:41239 (`/health`) */
  healthUrl: string;
  observability: ObservabilityWorld;
  /** Requests with their response finished, in the order they finished. */
  requests(): RecordedRequest[];
  /**
   * Requests as they arrived, in flight ones included; with `afterSeq`, only those after it
   * (see `lastRequestSeq`), so a caller can take a window without clearing anyone's log.
   */
  requestsStarted(afterSeq?: number): StartedRequest[];
  /** The number of the last request any upstream server received. */
  lastRequestSeq(): number;
  /** Requests received and not answered yet. */
  requestsInFlight(): number;
  /** Clears both logs. */
  clearRequests(): void;
  /** Replaces all rules (validated; throws on a bad rule). */
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  world: SandboxWorld;
  /** Sets (or with undefined clears) the webhook target; throws on a non-loopback URL. */
  setWebhooks(target: WebhookTarget | undefined): void;
  /** Webhook deliveries so far (event, delivery id, status code). */
  deliveries(): DeliveryRecord[];
  /** Resolves when all webhook deliveries started so far are done. */
  webhooksIdle(): Promise<void>;
  /**
   * A new release run for the next version waiting on production (sends webhooks); of the head
   * of `main` unless `sha` names another commit.
   */
  createWaitingRun(opts?: { actor?: string; sha?: string }): {
    runId: number;
    version: string;
    sha: string;
  };
  stop(): Promise<void>;
}

export const KUBERNETES_TOKEN = 'sandbox-kube-token';
export const UNLEASH_TOKEN = 'user:sandbox-unleash-admin-token';
export const DATADOG_API_KEY = 'sandbox-datadog-api-key';
export const DATADOG_APPLICATION_KEY = 'sandbox-datadog-application-key';

function listen(
  server: http.Server,
  port: number,
  host: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise(resolve => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(
      `Sandbox refuses to listen on non-loopback host "${host}"; use 127.0.0.1, ::1 or localhost`,
    );
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const world = buildWorld(options.now ?? new Date());
  applyGates(world, options.gates);
  const tokens = new TokenRegistry(world);
  const oauthClient: OAuthClient = {
    clientId: options.oauth?.clientId ?? DEFAULT_OAUTH_CLIENT.clientId,
    clientSecret:
      options.oauth?.clientSecret ?? DEFAULT_OAUTH_CLIENT.clientSecret,
  };
  const seedMs = Date.parse(world.now);
  const startedAt = Date.now();
  const clock = () => seedMs + (Date.now() - startedAt);
  const writer = new WorldWriter(world, new Prng(`runtime:${world.now}`));
  const faults = new FaultState();
  faults.set(validateFaultRules(options.faults ?? []));
  const log = new RequestLog();
  const started = new StartedRequestLog();
  const held = new Set<Response>();
  const ca = loadOrCreateCa(options.stateDir);

  const webhooks = new WebhookSender();
  if (options.webhooks) webhooks.set(validateWebhookTarget(options.webhooks));
  let githubWebUrl = '';
  const events = new WebhookEvents(
    world,
    webhooks,
    () => new GithubRenderer(world, `${githubWebUrl}/api/v3`, githubWebUrl),
  );
  const createWaitingRun = (opts: { actor?: string; sha?: string } = {}) => {
    const run = createRun(writer, {
      at: clock(),
      actor: opts.actor,
      sha: opts.sha,
    });
    events.waitingRunCreated(run);
    return { runId: run.id, version: run.version ?? '', sha: run.headSha };
  };
  let kubernetesAddress = '';
  const githubServer = http.createServer(
    createGithubApp({
      world,
      writer,
      faults,
      log,
      held,
      webUrl: () => githubWebUrl,
      clock,
      tokens,
      oauthClient,
      onReview: e => events.reviewed(e),
      maxPageSize: options.maxPageSize,
    }),
  );
  const kubernetesServer = https.createServer(
    { key: ca.key, cert: ca.cert },
    createKubernetesApp({
      world,
      token: KUBERNETES_TOKEN,
      faults,
      log,
      held,
      address: () => kubernetesAddress,
      maxPageSize: options.maxPageSize,
    }),
  );
  const observability = buildObservability(world);
  const unleashServer = http.createServer(
    createUnleashApp({
      observability,
      tokens: [UNLEASH_TOKEN],
      faults,
      log,
      held,
    }),
  );
  const datadogServer = http.createServer(
    createDatadogApp({
      observability,
      apiKey: DATADOG_API_KEY,
      applicationKey: DATADOG_APPLICATION_KEY,
      rateLimit: options.datadogRateLimit,
      faults,
      log,
      held,
      clock,
    }),
  );
  const healthServer = http.createServer(
    createHealthApp({ observability, faults, log, held, clock }),
  );
  started.watch(githubServer, 'github');
  started.watch(kubernetesServer, 'kubernetes');
  started.watch(unleashServer, 'unleash');
  started.watch(datadogServer, 'datadog');
  started.watch(healthServer, 'health');
  const servers: http.Server[] = [];
  let sandbox: Sandbox | undefined;
  const controlServer = http.createServer(
    createControlApp({
      faults,
      log,
      info: () => ({
        githubUrl: sandbox?.githubUrl,
        kubernetesUrl: sandbox?.kubernetesUrl,
        unleashUrl: sandbox?.unleashUrl,
        datadogUrl: sandbox?.datadogUrl,
        healthUrl: sandbox?.healthUrl,
        now: world.now,
      }),
      webhooks,
      createWaitingRun: () => createWaitingRun(),
    }),
  );
  try {
    const githubPort = await listen(
      githubServer,
      options.githubPort ?? 0,
      host,
    );
    servers.push(githubServer);
    githubWebUrl = `http://${urlHost}:${githubPort}`;
    const kubernetesPort = await listen(
      kubernetesServer,
      options.kubernetesPort ?? 0,
      host,
    );
    servers.push(kubernetesServer);
    kubernetesAddress = `${urlHost}:${kubernetesPort}`;
    const controlPort = await listen(
      controlServer,
      options.controlPort ?? 0,
      host,
    );
    servers.push(controlServer);
    const extraUrl = async (server: http.Server, port: number | undefined) => {
      const bound = await listen(server, port ?? 0, host);
      servers.push(server);
      return `http://${urlHost}:${bound}`;
    };
    const unleashUrl = await extraUrl(unleashServer, options.unleashPort);
    const datadogUrl = await extraUrl(datadogServer, options.datadogPort);
    const healthUrl = await extraUrl(healthServer, options.healthPort);

    let stopped: Promise<void> | undefined;
    sandbox = {
      githubUrl: `${githubWebUrl}/api/v3`,
      githubWebUrl,
      kubernetesUrl: `https://${kubernetesAddress}`,
      kubernetesCaPem: ca.cert,
      kubernetesToken: KUBERNETES_TOKEN,
      githubToken: GITHUB_TOKEN,
      oauthClient,
      controlUrl: `http://${urlHost}:${controlPort}`,
      unleashUrl,
      unleashToken: UNLEASH_TOKEN,
      unleashProject: observability.unleashProject,
      datadogUrl,
      datadogApiKey: DATADOG_API_KEY,
      datadogApplicationKey: DATADOG_APPLICATION_KEY,
      healthUrl,
      observability,
      owner: world.owner,
      repo: world.repo,
      requests: () => log.list(),
      requestsStarted: afterSeq => started.list(afterSeq),
      lastRequestSeq: () => started.lastSeq(),
      requestsInFlight: () => started.inFlight(),
      clearRequests: () => {
        log.clear();
        started.clear();
      },
      setFaults: rules => faults.set(validateFaultRules(rules)),
      clearFaults: () => faults.clear(),
      world,
      setWebhooks: target => webhooks.set(target),
      deliveries: () => webhooks.deliveries(),
      webhooksIdle: () => webhooks.idle(),
      createWaitingRun,
      stop: () => {
        if (!stopped) {
          stopped = (async () => {
            await webhooks.idle();
            for (const res of held) res.socket?.destroy();
            held.clear();
            await Promise.all(servers.map(close));
          })();
        }
        return stopped;
      },
    };
    if (!options.quiet) {
      process.stdout.write(
        `[sandbox] github ${sandbox.githubUrl}  kubernetes ${sandbox.kubernetesUrl}  unleash ${sandbox.unleashUrl}  datadog ${sandbox.datadogUrl}  health ${sandbox.healthUrl}  control ${sandbox.controlUrl}\n`,
      );
    }
    return sandbox;
  } catch (e) {
    await Promise.all(servers.map(close));
    throw e;
  }
}
