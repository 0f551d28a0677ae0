import { Request, Response } from 'express';
import {
  matchesSelector,
  parseLabelSelector,
  SelectorError,
} from './labelSelector';
import { KubeObject } from './objects';

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function kubeStatus(
  code: number,
  message: string,
  details?: Record<string, unknown>,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: REASONS[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest'),
    ...(details ? { details } : {}),
    code,
  };
}

export function str(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
}

export function send(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.set('Content-Type', 'application/json');
  res.set('Audit-Id', res.locals.auditId);
  res.send(JSON.stringify(body));
}

interface ContinueToken {
  rv: number;
  start: number;
}

function wantsMetadataOnly(req: Request, list: boolean): boolean {
  const accept = req.get('accept') ?? '';
  return list
    ? accept.includes('as=PartialObjectMetadataList')
    : accept.includes('as=PartialObjectMetadata');
}

/** The objects `labelSelector` and `fieldSelector` keep, or the 400 message for a bad selector. */
function select(
  req: Request,
  objects: KubeObject[],
): KubeObject[] | { error: string } {
  let items = objects;
  const selector = str(req, 'labelSelector');
  if (selector) {
    try {
      const reqs = parseLabelSelector(selector);
      items = items.filter(o => matchesSelector(reqs, o.metadata.labels));
    } catch (e) {
      if (e instanceof SelectorError) {
        return { error: `unable to parse requirement: ${e.message}` };
      }
      throw e;
    }
  }
  const fieldSelector = str(req, 'fieldSelector');
  for (const term of fieldSelector ? fieldSelector.split(',') : []) {
    const m = /^metadata\.(name|namespace)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m) {
      return { error: `field label not supported: ${term.split(/[=!]/)[0]}` };
    }
    const field = m[1] as 'name' | 'namespace';
    items = items.filter(o =>
      m[2] === '!=' ? o.metadata[field] !== m[3] : o.metadata[field] === m[3],
    );
  }
  return items;
}

/** Where the page starts (`continue`), or undefined when the token is not one this server made. */
function pageStart(req: Request): number | undefined {
  const cont = str(req, 'continue');
  if (!cont) return 0;
  try {
    const token: ContinueToken = JSON.parse(
      Buffer.from(cont, 'base64url').toString('utf8'),
    );
    if (typeof token.start !== 'number' || typeof token.rv !== 'number') {
      return undefined;
    }
    return token.start;
  } catch {
    return undefined;
  }
}

/**
 * A `List` answer as the API server sends it: selectors applied, paged with `limit` and
 * `continue` (at most `maxPageSize` a page), as `PartialObjectMetadataList` when asked for.
 */
export function sendList(
  req: Request,
  res: Response,
  list: {
    kind: string;
    apiVersion: string;
    objects: KubeObject[];
    resourceVersion: number;
    maxPageSize?: number;
  },
): void {
  const items = select(req, list.objects);
  if ('error' in items) {
    send(res, 400, kubeStatus(400, items.error));
    return;
  }
  const start = pageStart(req);
  if (start === undefined) {
    send(
      res,
      400,
      kubeStatus(
        400,
        'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      ),
    );
    return;
  }
  const rv = list.resourceVersion;
  const limitRaw = Number(str(req, 'limit') ?? 0);
  const limit =
    Number.isInteger(limitRaw) && limitRaw > 0
      ? Math.min(limitRaw, list.maxPageSize ?? limitRaw)
      : 0;
  const end = limit ? start + limit : items.length;
  const page = items.slice(start, end);
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (end < items.length) {
    const token: ContinueToken = { rv, start: end };
    metadata.continue = Buffer.from(JSON.stringify(token)).toString(
      'base64url',
    );
    metadata.remainingItemCount = items.length - end;
  }
  if (wantsMetadataOnly(req, true)) {
    send(res, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata,
      items: page.map(o => ({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: o.metadata,
      })),
    });
    return;
  }
  send(res, 200, {
    kind: list.kind,
    apiVersion: list.apiVersion,
    metadata,
    items: page.map(({ kind: _k, apiVersion: _a, ...rest }) => rest),
  });
}

export function sendObject(req: Request, res: Response, obj: KubeObject) {
  if (wantsMetadataOnly(req, false)) {
    send(res, 200, {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: obj.metadata,
    });
  } else {
    send(res, 200, obj);
  }
}

export function notFound(
  res: Response,
  group: string,
  plural: string,
  name: string,
) {
  send(
    res,
    404,
    kubeStatus(
      404,
      `${plural}${group ? `.${group}` : ''} "${name}" not found`,
      {
        name,
        ...(group ? { group } : {}),
        kind: plural,
      },
    ),
  );
}
