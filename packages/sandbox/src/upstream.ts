import express, { RequestHandler, Response } from 'express';
import {
  FaultBodies,
  faultMiddleware,
  FaultState,
  RequestLog,
  SourceName,
} from './faults';
import type { ReviewEvent } from './github/context';
import type { TokenRegistry } from './github/identity';
import type { OAuthClient } from './github/oauth';
import type { SandboxOptions } from './options';
import type { Portfolio } from './portfolio/portfolio';
import type { SlackWorkspace } from './slack/workspace';

/** What every fake upstream is built from: the seeded services and the sandbox's shared runtime. */
export interface UpstreamContext {
  portfolio: Portfolio;
  options: SandboxOptions;
  faults: FaultState;
  log: RequestLog;
  /** Responses held open by `timeout` faults, released when the sandbox stops. */
  held: Set<Response>;
  /** Requests waiting out a `latency` fault, dropped unhandled when the sandbox stops. */
  delayed: Set<NodeJS.Timeout>;
  /** Sandbox clock in ms (seed `now` + elapsed time). */
  clock: () => number;
  /** This server's own base URL (`http://127.0.0.1:7100`) and `host:port`, once it listens. */
  self: { url: () => string; address: () => string };
  /** GitHub's people, the portal's OAuth App, and who hears about reviews (webhooks). */
  github: {
    tokens: TokenRegistry;
    oauthClient: OAuthClient;
    onReview: (event: ReviewEvent) => void;
  };
  /** The Slack workspace the portal's bot posts into (what was posted, for tests). */
  slack: SlackWorkspace;
}

/**
 * One fake upstream: the name its requests and fault rules use, the option that fixes its port,
 * whether it speaks HTTPS (with the sandbox CA's certificate, as a cluster API server does), and
 * its Express app. `startSandbox` starts every module of `UPSTREAMS` the same way.
 */
export interface UpstreamModule {
  source: SourceName;
  portOption:
    | 'githubPort'
    | 'kubernetesPort'
    | 'unleashPort'
    | 'datadogPort'
    | 'healthPort'
    | 'oidcPort'
    | 'awsPort'
    | 'opencostPort'
    | 'bigqueryPort'
    | 'slackPort';
  tls: boolean;
  createApp(ctx: UpstreamContext): express.Express;
}

/**
 * The start of every upstream's Express app: no `X-Powered-By`, no ETags of Express's own (the
 * GitHub stand-in makes GitHub's), the web pages people open from the portal's links (never
 * logged or faulted), then the request log and fault injection with the upstream's error bodies.
 *
 * `receive` reads request bodies on arrival, before any fault rule: a request slowed by a
 * latency fault is then handled with its body even if its client has gone meanwhile (Node drops
 * an unread body when the connection closes). A body it refuses is not answered here: the error
 * waits for the upstream's own error handling, behind `receivedBody`.
 */
export function upstreamApp(
  ctx: UpstreamContext,
  source: SourceName,
  bodies: FaultBodies,
  webPages?: express.Router,
  receive?: RequestHandler,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (webPages) app.use(webPages);
  if (receive) {
    app.use((req, res, next) =>
      receive(req, res, error => {
        res.locals.receiveError = error;
        next();
      }),
    );
  }
  app.use(
    faultMiddleware({
      source,
      faults: ctx.faults,
      log: ctx.log,
      held: ctx.held,
      delayed: ctx.delayed,
      bodies,
    }),
  );
  return app;
}

/** Passes on the error `upstreamApp`'s `receive` met reading the body, where the upstream handles errors. */
export const receivedBody: RequestHandler = (_req, res, next) =>
  next(res.locals.receiveError);
