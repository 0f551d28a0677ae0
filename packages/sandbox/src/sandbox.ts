import type { Response } from 'express';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import {
  costAnomaly,
  CostAnomalyFact,
  costCredit,
  CostCreditFact,
  CostCalendar,
  costCalendar,
} from './aws/costLedger';
import { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } from './aws/sigv4';
import { createControlApp, RunRequestError } from './control';
import { DATADOG_API_KEY, DATADOG_APPLICATION_KEY } from './datadog/server';
import {
  FaultRule,
  FaultState,
  RecordedRequest,
  RequestLog,
  SourceName,
  validateFaultRules,
} from './faults';
import { GITHUB_TOKEN, TokenRegistry } from './github/identity';
import { DEFAULT_OAUTH_CLIENT, OAuthClient } from './github/oauth';
import { GithubRenderer } from './github/render';
import { WebhookEvents } from './github/webhookEvents';
import { KUBERNETES_TOKEN } from './kubernetes/server';
import { oidcClientOf } from './oidc/server';
import { OversizedWorkload, seedWorkloads } from './opencost/workloads';
import { GcpBillingFacts, gcpBillingFacts } from './bigquery/billingExport';
import { BIGQUERY_TOKEN } from './bigquery/server';
import { isLoopbackHost } from './net';
import type { ObservabilityWorld } from './observability/types';
import type { SandboxOptions } from './options';
import {
  buildPortfolio,
  Portfolio,
  SandboxService,
} from './portfolio/portfolio';
import {
  SLACK_BOT_TOKEN,
  SlackMessage,
  SlackWorkspace,
} from './slack/workspace';
import { StartedRequest, StartedRequestLog } from './startedRequests';
import { loadOrCreateCa } from './tls';
import { UNLEASH_TOKEN } from './unleash/server';
import type { UpstreamContext } from './upstream';
import { UPSTREAMS } from './upstreams';
import {
  DeliveryRecord,
  validateWebhookTarget,
  WebhookSender,
  WebhookTarget,
} from './webhooks';
import { applyGates } from './world/gates';
import { CommitSpec, pushCommits } from './world/push';
import { createWaitingRun as createRun } from './world/releases';
import { SandboxWorld } from './world/types';

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
  /** The Lexecon API's repository. */
  owner: string;
  repo: string;
  /** Unleash Admin API base, e.g. http://127.0.0.1:41237 */
  unleashUrl: string;
  /** Sent raw in `Authorization`, as Unleash expects. */
  unleashToken: string;
  /** The Lexecon API's Unleash project. */
  unleashProject: string;
  /** Datadog API base, e.g. http://127.0.0.1:41238 */
  datadogUrl: string;
  datadogApiKey: string;
  datadogApplicationKey: string;
  /** The health server's base, e.g. http://127.0.0.1:41239 (the Lexecon API's is `/health`). */
  healthUrl: string;
  /**
   * The company's OpenID Connect issuer, e.g. http://127.0.0.1:41240 (discovery at
   * `/.well-known/openid-configuration`), and the portal's client there.
   */
  oidcUrl: string;
  oidcClient: OAuthClient;
  /** AWS Cost Explorer's endpoint (region us-east-1), e.g. http://127.0.0.1:41241, and the portal's IAM key. */
  awsUrl: string;
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
  /** The days Cost Explorer has costs for (the latest estimated) and the seeded cost anomaly. */
  awsCosts: {
    calendar: CostCalendar;
    anomaly: CostAnomalyFact;
    credit: CostCreditFact;
  };
  /** OpenCost's allocation API base (`/allocation`), e.g. http://127.0.0.1:41242. */
  opencostUrl: string;
  /** The days OpenCost has allocations for, and the seeded oversized workload. */
  opencost: { calendar: CostCalendar; oversized: OversizedWorkload };
  /** BigQuery's REST root (the client's `apiEndpoint`), e.g. http://127.0.0.1:41243, and its OAuth token. */
  bigqueryUrl: string;
  bigqueryToken: string;
  /** Where the billing export is (`projectId.dataset.table`, location), its days and the month with credits. */
  gcpBilling: GcpBillingFacts;
  /**
   * Slack's Web API root (`https://slack.com`'s stand-in, methods under `/api/`, served with the
   * sandbox CA `kubernetesCaPem`), e.g. https://127.0.0.1:41244, and the portal's bot token.
   */
  slackUrl: string;
  slackToken: string;
  /** What the bot posted to Slack (channels and direct messages), oldest first. */
  slackMessages(): SlackMessage[];
  /** The Lexecon API's flags, SLO, monitors, incidents and health. */
  observability: ObservabilityWorld;
  /** The Lexecon API's repository, release and cluster objects. */
  world: SandboxWorld;
  /**
   * Every service served: the Lexecon API, decision-ledger, policy-engine and web-console, then
   * the generated ones of scale mode (`generated: true`).
   */
  services: SandboxService[];
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
  /** Clears both logs and what was posted to Slack. */
  clearRequests(): void;
  /** Replaces all rules (validated; throws on a bad rule). */
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  /** Sets (or with undefined clears) the webhook target; throws on a non-loopback URL. */
  setWebhooks(target: WebhookTarget | undefined): void;
  /** Webhook deliveries so far (event, delivery id, status code). */
  deliveries(): DeliveryRecord[];
  /** Resolves when all webhook deliveries started so far are done. */
  webhooksIdle(): Promise<void>;
  /**
   * A new release run for the next version waiting on production (sends webhooks); of the head
   * of `main` unless `sha` names another commit; in the Lexecon API's repository unless
   * `service` names another service.
   */
  createWaitingRun(opts?: { actor?: string; sha?: string; service?: string }): {
    runId: number;
    version: string;
    sha: string;
  };
  /**
   * Pushes commits onto `main` (of the Lexecon API unless `service` names another service),
   * oldest first; returns their shas.
   */
  pushCommits(commits: CommitSpec[], opts?: { service?: string }): string[];
  stop(): Promise<void>;
}

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

/** What the servers share while the sandbox runs. */
interface Runtime {
  portfolio: Portfolio;
  faults: FaultState;
  log: RequestLog;
  started: StartedRequestLog;
  held: Set<Response>;
  delayed: Set<NodeJS.Timeout>;
  webhooks: WebhookSender;
  events: WebhookEvents;
  tokens: TokenRegistry;
  oauthClient: OAuthClient;
  oidcClient: OAuthClient;
  slack: SlackWorkspace;
  clock: () => number;
  /** Base URL per upstream, filled in as each one listens. */
  urls: Partial<Record<SourceName, string>>;
}

function createRuntime(options: SandboxOptions): Runtime {
  const portfolio = buildPortfolio(options.now ?? new Date(), {
    services: options.services,
  });
  for (const s of portfolio.services)
    applyGates(s.service.world, options.gates);
  const primary = portfolio.primary.service.world;
  const seedMs = Date.parse(primary.now);
  const startedAt = Date.now();
  const faults = new FaultState();
  faults.set(validateFaultRules(options.faults ?? []));
  const webhooks = new WebhookSender();
  if (options.webhooks) webhooks.set(validateWebhookTarget(options.webhooks));
  const urls: Runtime['urls'] = {};
  const clock = () => seedMs + (Date.now() - startedAt);
  return {
    portfolio,
    faults,
    log: new RequestLog(),
    started: new StartedRequestLog(),
    held: new Set<Response>(),
    delayed: new Set<NodeJS.Timeout>(),
    webhooks,
    events: new WebhookEvents(
      webhooks,
      world =>
        new GithubRenderer(world, `${urls.github}/api/v3`, `${urls.github}`),
    ),
    tokens: new TokenRegistry(primary),
    oauthClient: {
      clientId: options.oauth?.clientId ?? DEFAULT_OAUTH_CLIENT.clientId,
      clientSecret:
        options.oauth?.clientSecret ?? DEFAULT_OAUTH_CLIENT.clientSecret,
    },
    oidcClient: oidcClientOf(options),
    slack: new SlackWorkspace(clock),
    clock,
    urls,
  };
}

/** Creates each registered upstream's app and server and listens, recording its URL. */
async function startUpstreams(
  rt: Runtime,
  options: SandboxOptions,
  servers: http.Server[],
  tls: { key: string; cert: string },
): Promise<void> {
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;
  for (const upstream of UPSTREAMS) {
    let address = '';
    const ctx: UpstreamContext = {
      portfolio: rt.portfolio,
      options,
      faults: rt.faults,
      log: rt.log,
      held: rt.held,
      delayed: rt.delayed,
      clock: rt.clock,
      self: {
        url: () => rt.urls[upstream.source] ?? '',
        address: () => address,
      },
      github: {
        tokens: rt.tokens,
        oauthClient: rt.oauthClient,
        onReview: e => rt.events.reviewed(e),
      },
      slack: rt.slack,
    };
    const app = upstream.createApp(ctx);
    const server = upstream.tls
      ? https.createServer({ key: tls.key, cert: tls.cert }, app)
      : http.createServer(app);
    rt.started.watch(server, upstream.source);
    const port = await listen(server, options[upstream.portOption] ?? 0, host);
    servers.push(server);
    address = `${urlHost}:${port}`;
    rt.urls[upstream.source] = `${
      upstream.tls ? 'https' : 'http'
    }://${address}`;
  }
}

function waitingRunCreator(rt: Runtime) {
  return (opts: { actor?: string; sha?: string; service?: string } = {}) => {
    const target = opts.service
      ? rt.portfolio.service(opts.service)
      : rt.portfolio.primary;
    if (!target)
      throw new Error(`The sandbox has no service "${opts.service}"`);
    const run = createRun(target.writer, {
      at: rt.clock(),
      actor: opts.actor,
      sha: opts.sha,
    });
    rt.events.waitingRunCreated(target.service.world, run);
    return { runId: run.id, version: run.version ?? '', sha: run.headSha };
  };
}

function sandboxApi(
  rt: Runtime,
  urls: Record<SourceName | 'control', string>,
  caPem: string,
  servers: http.Server[],
): Sandbox {
  const primary = rt.portfolio.primary.service;
  const calendar = costCalendar(primary.world.now);
  let stopped: Promise<void> | undefined;
  return {
    githubUrl: `${urls.github}/api/v3`,
    githubWebUrl: urls.github,
    kubernetesUrl: urls.kubernetes,
    kubernetesCaPem: caPem,
    kubernetesToken: KUBERNETES_TOKEN,
    githubToken: GITHUB_TOKEN,
    oauthClient: rt.oauthClient,
    controlUrl: urls.control,
    unleashUrl: urls.unleash,
    unleashToken: UNLEASH_TOKEN,
    unleashProject: primary.unleashProject,
    datadogUrl: urls.datadog,
    datadogApiKey: DATADOG_API_KEY,
    datadogApplicationKey: DATADOG_APPLICATION_KEY,
    healthUrl: urls.health,
    oidcUrl: urls.oidc,
    oidcClient: rt.oidcClient,
    awsUrl: urls.aws,
    awsAccessKeyId: AWS_ACCESS_KEY_ID,
    awsSecretAccessKey: AWS_SECRET_ACCESS_KEY,
    awsCosts: {
      calendar,
      anomaly: costAnomaly(calendar),
      credit: costCredit(calendar),
    },
    opencostUrl: urls.opencost,
    opencost: { calendar, oversized: seedWorkloads(rt.portfolio).oversized },
    bigqueryUrl: urls.bigquery,
    bigqueryToken: BIGQUERY_TOKEN,
    gcpBilling: gcpBillingFacts(calendar),
    slackUrl: urls.slack,
    slackToken: SLACK_BOT_TOKEN,
    slackMessages: () => rt.slack.list(),
    observability: rt.portfolio.lexeconObservability,
    owner: primary.world.owner,
    repo: primary.world.repo,
    world: primary.world,
    services: rt.portfolio.services.map(s => s.service),
    requests: () => rt.log.list(),
    requestsStarted: afterSeq => rt.started.list(afterSeq),
    lastRequestSeq: () => rt.started.lastSeq(),
    requestsInFlight: () => rt.started.inFlight(),
    clearRequests: () => {
      rt.log.clear();
      rt.started.clear();
      rt.slack.clear();
    },
    setFaults: rules => rt.faults.set(validateFaultRules(rules)),
    clearFaults: () => rt.faults.clear(),
    setWebhooks: target => rt.webhooks.set(target),
    deliveries: () => rt.webhooks.deliveries(),
    webhooksIdle: () => rt.webhooks.idle(),
    createWaitingRun: waitingRunCreator(rt),
    pushCommits: (commits, opts = {}) => {
      const target = opts.service
        ? rt.portfolio.service(opts.service)
        : rt.portfolio.primary;
      if (!target)
        throw new Error(`The sandbox has no service "${opts.service}"`);
      return pushCommits(target.service.world, commits, rt.clock()).map(
        c => c.sha,
      );
    },
    stop: () => {
      if (!stopped) {
        stopped = (async () => {
          await rt.webhooks.idle();
          for (const res of rt.held) res.socket?.destroy();
          rt.held.clear();
          for (const timer of rt.delayed) clearTimeout(timer);
          rt.delayed.clear();
          await Promise.all(servers.map(close));
        })();
      }
      return stopped;
    },
  };
}

/** Starts every registered upstream and the control endpoint, seeded for `options.now`. */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(
      `Sandbox refuses to listen on non-loopback host "${host}"; use 127.0.0.1, ::1 or localhost`,
    );
  }
  const rt = createRuntime(options);
  const ca = loadOrCreateCa(options.stateDir);
  const servers: http.Server[] = [];
  let sandbox: Sandbox | undefined;
  const controlServer = http.createServer(
    createControlApp({
      faults: rt.faults,
      log: rt.log,
      info: () => ({
        githubUrl: sandbox?.githubUrl,
        kubernetesUrl: sandbox?.kubernetesUrl,
        unleashUrl: sandbox?.unleashUrl,
        datadogUrl: sandbox?.datadogUrl,
        healthUrl: sandbox?.healthUrl,
        oidcUrl: sandbox?.oidcUrl,
        awsUrl: sandbox?.awsUrl,
        opencostUrl: sandbox?.opencostUrl,
        bigqueryUrl: sandbox?.bigqueryUrl,
        slackUrl: sandbox?.slackUrl,
        now: rt.portfolio.primary.service.world.now,
        // The seeded release approved in GitHub by one of its authors (the SoD exception).
        selfApproved: rt.portfolio.primary.service.world.facts.selfApproved,
        services: rt.portfolio.services.length,
      }),
      webhooks: rt.webhooks,
      slack: rt.slack,
      createWaitingRun: ({ push, ...run }) => {
        const target = run.service
          ? rt.portfolio.service(run.service)
          : rt.portfolio.primary;
        if (!target) {
          throw new RunRequestError(
            `The sandbox has no service "${run.service}"`,
          );
        }
        if (push?.length) pushCommits(target.service.world, push, rt.clock());
        return waitingRunCreator(rt)(run);
      },
    }),
  );
  try {
    await startUpstreams(rt, options, servers, ca);
    const controlPort = await listen(
      controlServer,
      options.controlPort ?? 0,
      host,
    );
    servers.push(controlServer);
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const urls = {
      ...(rt.urls as Record<SourceName, string>),
      control: `http://${urlHost}:${controlPort}`,
    };
    sandbox = sandboxApi(rt, urls, ca.cert, servers);
    if (!options.quiet) {
      process.stdout.write(
        `[sandbox] github ${sandbox.githubUrl}  kubernetes ${sandbox.kubernetesUrl}  unleash ${sandbox.unleashUrl}  datadog ${sandbox.datadogUrl}  health ${sandbox.healthUrl}  oidc ${sandbox.oidcUrl}  aws ${sandbox.awsUrl}  opencost ${sandbox.opencostUrl}  bigquery ${sandbox.bigqueryUrl}  slack ${sandbox.slackUrl}  control ${sandbox.controlUrl}\n`,
      );
    }
    return sandbox;
  } catch (e) {
    await Promise.all(servers.map(close));
    throw e;
  }
}
