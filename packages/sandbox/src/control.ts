import express, { NextFunction, Request, Response } from 'express';
import {
  FaultState,
  FaultValidationError,
  RequestLog,
  SOURCES,
  SourceName,
  validateFaultRules,
} from './faults';
import type { SlackWorkspace } from './slack/workspace';
import {
  validateWebhookTarget,
  WebhookSender,
  WebhookValidationError,
} from './webhooks';

/** Answers `apply()`'s result as JSON, or 400 with the message of a validation error. */
function answerValidated(res: Response, apply: () => unknown): void {
  try {
    res.json(apply());
  } catch (e) {
    if (
      e instanceof FaultValidationError ||
      e instanceof WebhookValidationError
    ) {
      res.status(400).json({ message: e.message });
      return;
    }
    throw e;
  }
}

/**
 * What `POST /runs` may ask for: the service (default the Lexecon API), who dispatched the run,
 * and commits to push onto `main` first (a release of changes the pipeline has not measured yet:
 * no coverage or quality report exists for them).
 */
export interface WaitingRunRequest {
  service?: string;
  actor?: string;
  push?: Array<{ title: string; author?: string }>;
}

/** A `POST /runs` request the sandbox cannot serve (answered 400 with its message). */
export class RunRequestError extends Error {}

function parseWaitingRunRequest(body: unknown): WaitingRunRequest {
  const value = (body ?? {}) as Record<string, unknown>;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new RunRequestError('the body must be a JSON object');
  }
  const optionalString = (key: string) => {
    const v = value[key];
    if (v !== undefined && typeof v !== 'string') {
      throw new RunRequestError(`${key} must be a string`);
    }
    return v as string | undefined;
  };
  const push = value.push;
  if (push !== undefined && !Array.isArray(push)) {
    throw new RunRequestError('push must be an array of commits');
  }
  return {
    service: optionalString('service'),
    actor: optionalString('actor'),
    push: (push as unknown[] | undefined)?.map((c, i) => {
      const commit = (c ?? {}) as Record<string, unknown>;
      if (typeof commit.title !== 'string' || !commit.title) {
        throw new RunRequestError(
          `push[${i}].title must be a non-empty string`,
        );
      }
      if (commit.author !== undefined && typeof commit.author !== 'string') {
        throw new RunRequestError(`push[${i}].author must be a string`);
      }
      return {
        title: commit.title,
        author: commit.author as string | undefined,
      };
    }),
  };
}

/** The JSON control API (not logged, no faults). */
export function createControlApp(opts: {
  faults: FaultState;
  log: RequestLog;
  info: () => Record<string, unknown>;
  webhooks: WebhookSender;
  slack: SlackWorkspace;
  createWaitingRun: (request: WaitingRunRequest) => {
    runId: number;
    version: string;
    sha: string;
  };
}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', ...opts.info() });
  });
  app.get('/faults', (_req, res) => {
    res.json(opts.faults.list());
  });
  app.put('/faults', (req, res) =>
    answerValidated(res, () => {
      opts.faults.set(validateFaultRules(req.body));
      return opts.faults.list();
    }),
  );
  app.delete('/faults', (_req, res) => {
    opts.faults.clear();
    res.status(204).end();
  });
  app.get('/requests', (_req, res) => {
    const requests = opts.log.list();
    const counts = Object.fromEntries(SOURCES.map(s => [s, 0])) as Record<
      SourceName,
      number
    >;
    for (const r of requests) counts[r.source] += 1;
    res.json({ total: requests.length, counts, requests });
  });
  app.delete('/requests', (_req, res) => {
    opts.log.clear();
    res.status(204).end();
  });
  app.get('/webhooks', (_req, res) => {
    res.json(opts.webhooks.current() ?? null);
  });
  app.put('/webhooks', (req, res) =>
    answerValidated(res, () => {
      opts.webhooks.set(
        req.body === null || Object.keys(req.body ?? {}).length === 0
          ? undefined
          : validateWebhookTarget(req.body),
      );
      return opts.webhooks.current() ?? null;
    }),
  );
  app.delete('/webhooks', (_req, res) => {
    opts.webhooks.set(undefined);
    res.status(204).end();
  });
  app.get('/webhooks/deliveries', (_req, res) => {
    res.json(opts.webhooks.deliveries());
  });
  app.get('/slack/messages', (_req, res) => {
    res.json(opts.slack.list());
  });
  app.delete('/slack/messages', (_req, res) => {
    opts.slack.clear();
    res.status(204).end();
  });
  app.post('/runs', (req, res) => {
    try {
      res
        .status(201)
        .json(opts.createWaitingRun(parseWaitingRunRequest(req.body)));
    } catch (e) {
      if (!(e instanceof RunRequestError)) throw e;
      res.status(400).json({ message: e.message });
    }
  });
  app.use((_req, res) => {
    res.status(404).json({ message: 'Not Found' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const parseError =
      typeof err === 'object' &&
      err !== null &&
      'type' in err &&
      err.type === 'entity.parse.failed';
    res
      .status(parseError ? 400 : 500)
      .json({ message: parseError ? 'body is not valid JSON' : String(err) });
  });
  return app;
}
