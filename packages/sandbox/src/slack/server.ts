import express, { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  receivedBody,
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';
import {
  SLACK_BOT,
  SLACK_BOT_TOKEN,
  SLACK_TEAM,
  SlackApiError,
  SlackMessage,
  SlackWorkspace,
} from './workspace';

type Params = Record<string, unknown>;

/** The bot token's scopes: post anywhere it was invited, find people by their email. */
const SCOPES = 'chat:write,users:read,users:read.email';

function text(params: Params, key: string): string | undefined {
  const v = params[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Attachments and blocks: JSON arrays in a JSON body, JSON-encoded strings in a form body (how
 * `@slack/web-api` sends them).
 */
function jsonArray(params: Params, key: string): unknown[] | undefined {
  const v = params[key];
  if (v === undefined || v === '') return undefined;
  let parsed = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new SlackApiError(`invalid_${key}`);
    }
  }
  if (!Array.isArray(parsed)) throw new SlackApiError(`invalid_${key}`);
  return parsed;
}

function required(params: Params, key: string, error: string): string {
  const v = text(params, key);
  if (!v) throw new SlackApiError(error);
  return v;
}

function messageJson(m: SlackMessage) {
  return {
    type: 'message',
    subtype: 'bot_message',
    user: SLACK_BOT.userId,
    bot_id: SLACK_BOT.botId,
    app_id: SLACK_BOT.appId,
    team: SLACK_TEAM.id,
    text: m.text ?? '',
    ...(m.username ? { username: m.username } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.edited ? { edited: m.edited } : {}),
    ts: m.ts,
  };
}

function content(params: Params) {
  return {
    text: text(params, 'text'),
    attachments: jsonArray(params, 'attachments'),
    blocks: jsonArray(params, 'blocks'),
  };
}

/** The Web API methods the notifications Slack module calls (and `auth.test`, to check a token). */
function webApiMethods(
  workspace: SlackWorkspace,
  ctx: UpstreamContext,
): Record<string, (params: Params) => Record<string, unknown>> {
  return {
    'auth.test': () => ({
      url: `https://${SLACK_TEAM.domain}.slack.com/`,
      team: SLACK_TEAM.name,
      user: SLACK_BOT.name,
      team_id: SLACK_TEAM.id,
      user_id: SLACK_BOT.userId,
      bot_id: SLACK_BOT.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': params => {
      const message = workspace.post({
        channel: required(params, 'channel', 'channel_not_found'),
        username: text(params, 'username'),
        ...content(params),
      });
      return {
        channel: message.channel,
        ts: message.ts,
        message: messageJson(message),
      };
    },
    'chat.update': params => {
      const message = workspace.update(
        required(params, 'channel', 'channel_not_found'),
        required(params, 'ts', 'message_not_found'),
        content(params),
      );
      return {
        channel: message.channel,
        ts: message.ts,
        text: message.text ?? '',
        message: messageJson(message),
      };
    },
    'users.lookupByEmail': params => {
      const member = workspace.lookupByEmail(
        required(params, 'email', 'invalid_arguments'),
      );
      return {
        user: {
          id: member.id,
          team_id: SLACK_TEAM.id,
          name: member.name,
          deleted: false,
          real_name: member.realName,
          tz: 'Europe/London',
          is_bot: false,
          is_admin: false,
          updated: Math.floor(ctx.clock() / 1000),
          profile: {
            real_name: member.realName,
            display_name: member.realName,
            email: member.email,
            team: SLACK_TEAM.id,
          },
        },
      };
    },
  };
}

/**
 * The token a call carries: `Authorization: Bearer` (how `@slack/web-api` sends it), or a `token`
 * field of a form body or query, which Slack still accepts; never one inside a JSON body.
 */
function tokenOf(req: Request): string | undefined {
  const header = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (header) return header[1];
  const fromBody = req.is('application/x-www-form-urlencoded')
    ? (req.body as Params | undefined)?.token
    : undefined;
  const token = fromBody ?? req.query.token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/**
 * Slack's Web API (`https://slack.com/api/<method>`) for the portal's bot: `chat.postMessage`,
 * `chat.update`, `users.lookupByEmail` and `auth.test`, form-encoded or JSON. As Slack does, it
 * answers HTTP 200 with `{ ok: false, error }` for every refusal (`not_authed`, `invalid_auth`,
 * `channel_not_found`, ...) and 429 with `Retry-After` when rate limited (a fault rule).
 */
export function createSlackApp(ctx: UpstreamContext): express.Express {
  const urlencoded = express.urlencoded({ extended: false, limit: '1mb' });
  const json = express.json({ limit: '1mb' });
  const app = upstreamApp(
    ctx,
    'slack',
    {
      error: status => ({
        body: {
          ok: false,
          error: status === 429 ? 'ratelimited' : 'internal_error',
        },
      }),
      malformed: '{"ok":true,"channel":"C0LEXRELEASES","ts":"17',
    },
    undefined,
    (req, res, next) =>
      urlencoded(req, res, error =>
        error ? next(error) : json(req, res, next),
      ),
  );
  const methods = webApiMethods(ctx.slack, ctx);
  app.use((_req, res, next) => {
    res.set({ 'x-slack-req-id': randomUUID(), 'x-oauth-scopes': SCOPES });
    next();
  });
  app.all('/api/:method', receivedBody, (req, res) => {
    const method = methods[req.params.method];
    if (!method) {
      res.json({
        ok: false,
        error: 'unknown_method',
        req_method: req.params.method,
      });
      return;
    }
    const token = tokenOf(req);
    if (!token) {
      res.json({ ok: false, error: 'not_authed' });
      return;
    }
    if (token !== SLACK_BOT_TOKEN) {
      res.json({ ok: false, error: 'invalid_auth' });
      return;
    }
    const params: Params = {
      ...(req.query as Params),
      ...((req.body as Params | undefined) ?? {}),
    };
    try {
      res.json({ ok: true, ...method(params) });
    } catch (e) {
      if (!(e instanceof SlackApiError)) throw e;
      res.json({ ok: false, error: e.code });
    }
  });
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not Found');
  });
  app.use(
    (
      err: { type?: string },
      req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      if (err.type === 'entity.parse.failed') {
        res.json({
          ok: false,
          error: req.is('application/json')
            ? 'invalid_json'
            : 'invalid_form_data',
        });
        return;
      }
      res.status(500).json({ ok: false, error: 'internal_error' });
    },
  );
  return app;
}

export const slackUpstream: UpstreamModule = {
  source: 'slack',
  portOption: 'slackPort',
  tls: true,
  createApp: createSlackApp,
};
