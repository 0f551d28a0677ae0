import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { ClientRequestArgs } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/**
 * The host the notifications Slack module calls: it builds `@slack/web-api`'s WebClient with
 * only the token, so every call goes to the WebClient's default `https://slack.com/api/`, and
 * neither the module nor the WebClient reads another address from config or the environment.
 */
const SLACK_API_HOST = 'slack.com';

/** Where Slack's Web API is answered instead, and the CA that server's certificate is checked against. */
export interface SlackApiRoute {
  host: string;
  port: number;
  ca?: string;
}

/**
 * `lexecon.slackApi` (the sandbox's Slack), or undefined. Only the host and port can change: the
 * WebClient's paths stay `/api/<method>`, and its TLS is kept (the certificate is checked).
 */
export function readSlackApiRoute(config: Config): SlackApiRoute | undefined {
  const raw = config.getOptionalString('lexecon.slackApi.url');
  if (!raw) return undefined;
  const url = new URL(raw);
  if (url.protocol !== 'https:' || url.pathname !== '/api/') {
    throw new Error(
      `lexecon.slackApi.url must be an https URL whose path is /api/ (Slack's own is https://slack.com/api/), got "${raw}"`,
    );
  }
  const caFile = config.getOptionalString('lexecon.slackApi.caFile');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port || 443),
    ca: caFile ? readFileSync(caFile, 'utf8') : undefined,
  };
}

/** Node's default HTTPS agent, except that connections to slack.com go to the route's server. */
class SlackApiAgent extends https.Agent {
  constructor(
    private readonly route: SlackApiRoute,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  createConnection(
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    if (options.host !== SLACK_API_HOST) {
      return super.createConnection(options, callback);
    }
    return super.createConnection(
      {
        ...options,
        host: this.route.host,
        port: this.route.port,
        // The server's certificate is checked for its own name; SNI carries no IP address.
        servername: isIP(this.route.host) ? undefined : this.route.host,
        ...(this.route.ca ? { ca: this.route.ca } : {}),
      } as ClientRequestArgs,
      callback,
    );
  }
}

/**
 * Sends the WebClient's calls (it uses Node's global HTTPS agent) to the route; returns the
 * function that puts the previous agent back.
 */
export function routeSlackApi(route: SlackApiRoute): () => void {
  const previous = https.globalAgent;
  https.globalAgent = new SlackApiAgent(route, previous.options);
  return () => {
    https.globalAgent.destroy();
    https.globalAgent = previous;
  };
}

/** Points the notifications Slack module at `lexecon.slackApi` for as long as the backend runs. */
export const slackApiRouteModule = createBackendModule({
  pluginId: 'notifications',
  moduleId: 'lexecon-slack-api-route',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, lifecycle }) {
        const route = readSlackApiRoute(config);
        if (!route) return;
        lifecycle.addShutdownHook(routeSlackApi(route));
      },
    });
  },
});
