import express, { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { FaultState, RequestLog, faultMiddleware } from '../faults';
import { SandboxWorld } from '../world/types';
import {
  SelectorError,
  matchesSelector,
  parseLabelSelector,
} from './labelSelector';
import {
  KubeObject,
  deploymentObject,
  replicaSetObject,
  secretsIn,
} from './objects';

export interface KubernetesServerOptions {
  world: SandboxWorld;
  token: string;
  faults: FaultState;
  log: RequestLog;
  held: Set<Response>;
  /** host:port the server listens on (for discovery). */
  address: () => string;
  /** Items per page at most when the client sets `limit`. */
  maxPageSize?: number;
}

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

function str(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
}

interface ContinueToken {
  rv: number;
  start: number;
}

export function createKubernetesApp(
  opts: KubernetesServerOptions,
): express.Express {
  const { world } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    faultMiddleware({
      source: 'kubernetes',
      faults: opts.faults,
      log: opts.log,
      held: opts.held,
      bodies: {
        error: (status, message) => ({ body: kubeStatus(status, message) }),
        malformed:
          '{"kind":"SecretList","apiVersion":"v1","metadata":{"resourceVersion":"41',
      },
    }),
  );
  const send = (res: Response, status: number, body: unknown) => {
    res.status(status);
    res.set('Content-Type', 'application/json');
    res.set('Audit-Id', res.locals.auditId);
    res.send(JSON.stringify(body));
  };
  app.use((req, res, next) => {
    res.locals.auditId = randomUUID();
    const header = req.get('authorization');
    if (header !== `Bearer ${opts.token}`) {
      send(res, 401, kubeStatus(401, 'Unauthorized'));
      return;
    }
    next();
  });
  app.use((req, res, next) => {
    if (req.method !== 'GET') {
      send(
        res,
        405,
        kubeStatus(
          405,
          `the server does not allow this method on the requested resource`,
        ),
      );
      return;
    }
    next();
  });

  app.get('/version', (_req, res) =>
    send(res, 200, {
      major: '1',
      minor: '30',
      gitVersion: 'v1.30.4',
      gitCommit: 'a51b3b711150f57ffc1f526a640ec058514ed596',
      gitTreeState: 'clean',
      buildDate: '2024-08-14T19:04:10Z',
      goVersion: 'go1.22.5',
      compiler: 'gc',
      platform: 'linux/amd64',
    }),
  );
  app.get('/api', (_req, res) =>
    send(res, 200, {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [
        { clientCIDR: '0.0.0.0/0', serverAddress: opts.address() },
      ],
    }),
  );
  app.get('/apis', (_req, res) =>
    send(res, 200, {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        {
          name: 'apps',
          versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
          preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
        },
      ],
    }),
  );
  const resource = (
    name: string,
    singularName: string,
    kind: string,
    namespaced: boolean,
    shortNames?: string[],
  ) => ({
    name,
    singularName,
    namespaced,
    kind,
    verbs: ['get', 'list'],
    ...(shortNames ? { shortNames } : {}),
  });
  app.get('/api/v1', (_req, res) =>
    send(res, 200, {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [
        resource('namespaces', 'namespace', 'Namespace', false, ['ns']),
        resource('secrets', 'secret', 'Secret', true),
      ],
    }),
  );
  app.get('/apis/apps/v1', (_req, res) =>
    send(res, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'apps/v1',
      resources: [
        resource('deployments', 'deployment', 'Deployment', true, ['deploy']),
        resource('replicasets', 'replicaset', 'ReplicaSet', true, ['rs']),
      ],
    }),
  );

  const namespaceObject = (name: string): KubeObject | undefined => {
    const ns = world.kubeNamespaces.find(n => n.name === name);
    if (!ns) return undefined;
    return {
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: {
        name: ns.name,
        uid: ns.uid,
        resourceVersion: String(ns.resourceVersion),
        creationTimestamp: ns.createdAt,
        labels: { ...ns.labels },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
  };

  const wantsMetadataOnly = (req: Request, list: boolean) => {
    const accept = req.get('accept') ?? '';
    return list
      ? accept.includes('as=PartialObjectMetadataList')
      : accept.includes('as=PartialObjectMetadata');
  };

  const sendList = (
    req: Request,
    res: Response,
    kind: string,
    apiVersion: string,
    objects: KubeObject[],
  ) => {
    let items = objects;
    const selector = str(req, 'labelSelector');
    if (selector) {
      try {
        const reqs = parseLabelSelector(selector);
        items = items.filter(o => matchesSelector(reqs, o.metadata.labels));
      } catch (e) {
        if (e instanceof SelectorError) {
          send(
            res,
            400,
            kubeStatus(400, `unable to parse requirement: ${e.message}`),
          );
          return;
        }
        throw e;
      }
    }
    const fieldSelector = str(req, 'fieldSelector');
    if (fieldSelector) {
      for (const term of fieldSelector.split(',')) {
        const m = /^metadata\.(name|namespace)(==|=|!=)(.*)$/.exec(term.trim());
        if (!m) {
          send(
            res,
            400,
            kubeStatus(
              400,
              `field label not supported: ${term.split(/[=!]/)[0]}`,
            ),
          );
          return;
        }
        const field = m[1] as 'name' | 'namespace';
        items = items.filter(o =>
          m[2] === '!='
            ? o.metadata[field] !== m[3]
            : o.metadata[field] === m[3],
        );
      }
    }
    const rv = world.ids.resourceVersion;
    let start = 0;
    const cont = str(req, 'continue');
    if (cont) {
      try {
        const token: ContinueToken = JSON.parse(
          Buffer.from(cont, 'base64url').toString('utf8'),
        );
        if (typeof token.start !== 'number' || typeof token.rv !== 'number') {
          throw new Error('bad token');
        }
        start = token.start;
      } catch {
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
    }
    const limitRaw = Number(str(req, 'limit') ?? 0);
    const limit =
      Number.isInteger(limitRaw) && limitRaw > 0
        ? Math.min(limitRaw, opts.maxPageSize ?? limitRaw)
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
      kind,
      apiVersion,
      metadata,
      items: page.map(({ kind: _k, apiVersion: _a, ...rest }) => rest),
    });
  };

  const sendObject = (req: Request, res: Response, obj: KubeObject) => {
    if (wantsMetadataOnly(req, false)) {
      send(res, 200, {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: obj.metadata,
      });
    } else {
      send(res, 200, obj);
    }
  };

  const notFound = (
    res: Response,
    group: string,
    plural: string,
    name: string,
  ) =>
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

  app.get('/api/v1/namespaces', (req, res) =>
    sendList(
      req,
      res,
      'NamespaceList',
      'v1',
      world.kubeNamespaces
        .map(n => namespaceObject(n.name))
        .filter((o): o is KubeObject => o !== undefined),
    ),
  );
  app.get('/api/v1/namespaces/:ns', (req, res) => {
    const obj = namespaceObject(req.params.ns);
    if (!obj) notFound(res, '', 'namespaces', req.params.ns);
    else sendObject(req, res, obj);
  });
  const requireNamespace = (
    req: Request,
    res: Response,
    next: NextFunction,
  ) => {
    if (!world.kubeNamespaces.some(n => n.name === req.params.ns)) {
      notFound(res, '', 'namespaces', req.params.ns);
      return;
    }
    next();
  };

  app.get('/api/v1/namespaces/:ns/secrets', requireNamespace, (req, res) =>
    sendList(req, res, 'SecretList', 'v1', secretsIn(world, req.params.ns)),
  );
  app.get(
    '/api/v1/namespaces/:ns/secrets/:name',
    requireNamespace,
    (req, res) => {
      const obj = secretsIn(world, req.params.ns).find(
        s => s.metadata.name === req.params.name,
      );
      if (!obj) notFound(res, '', 'secrets', req.params.name);
      else sendObject(req, res, obj);
    },
  );

  const deploymentsIn = (ns: string): KubeObject[] => {
    const d = world.kubeDeployments[ns];
    return d && d.revision > 0 ? [deploymentObject(d)] : [];
  };
  const replicaSetsIn = (ns: string): KubeObject[] => {
    const d = world.kubeDeployments[ns];
    if (!d) return [];
    return (world.replicaSets[ns] ?? [])
      .map(rs => replicaSetObject(rs, d))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  };
  app.get(
    '/apis/apps/v1/namespaces/:ns/deployments',
    requireNamespace,
    (req, res) =>
      sendList(
        req,
        res,
        'DeploymentList',
        'apps/v1',
        deploymentsIn(req.params.ns),
      ),
  );
  app.get(
    '/apis/apps/v1/namespaces/:ns/deployments/:name',
    requireNamespace,
    (req, res) => {
      const obj = deploymentsIn(req.params.ns).find(
        o => o.metadata.name === req.params.name,
      );
      if (!obj) notFound(res, 'apps', 'deployments', req.params.name);
      else sendObject(req, res, obj);
    },
  );
  app.get(
    '/apis/apps/v1/namespaces/:ns/replicasets',
    requireNamespace,
    (req, res) =>
      sendList(
        req,
        res,
        'ReplicaSetList',
        'apps/v1',
        replicaSetsIn(req.params.ns),
      ),
  );
  app.get(
    '/apis/apps/v1/namespaces/:ns/replicasets/:name',
    requireNamespace,
    (req, res) => {
      const obj = replicaSetsIn(req.params.ns).find(
        o => o.metadata.name === req.params.name,
      );
      if (!obj) notFound(res, 'apps', 'replicasets', req.params.name);
      else sendObject(req, res, obj);
    },
  );
  // Cluster-wide lists.
  app.get('/apis/apps/v1/deployments', (req, res) =>
    sendList(
      req,
      res,
      'DeploymentList',
      'apps/v1',
      world.kubeNamespaces.flatMap(n => deploymentsIn(n.name)),
    ),
  );
  app.get('/apis/apps/v1/replicasets', (req, res) =>
    sendList(
      req,
      res,
      'ReplicaSetList',
      'apps/v1',
      world.kubeNamespaces.flatMap(n => replicaSetsIn(n.name)),
    ),
  );

  app.use((_req, res) =>
    send(
      res,
      404,
      kubeStatus(404, 'the server could not find the requested resource'),
    ),
  );
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    send(
      res,
      500,
      kubeStatus(500, err instanceof Error ? err.message : 'internal error'),
    );
  });
  return app;
}
