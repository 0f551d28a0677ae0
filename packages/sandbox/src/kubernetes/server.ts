import express, { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Portfolio } from '../portfolio/portfolio';
import {
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';
import { kubeStatus, notFound, send, sendList, sendObject } from './lists';
import {
  KubeObject,
  deploymentObject,
  replicaSetObject,
  secretsIn,
} from './objects';

export { kubeStatus } from './lists';
export const KUBERNETES_TOKEN = 'sandbox-kube-token';

function resource(
  name: string,
  singularName: string,
  kind: string,
  namespaced: boolean,
  shortNames?: string[],
) {
  return {
    name,
    singularName,
    namespaced,
    kind,
    verbs: ['get', 'list'],
    ...(shortNames ? { shortNames } : {}),
  };
}

/** `/version`, `/api`, `/apis` and the two group versions the sandbox serves. */
function registerDiscovery(app: express.Express, address: () => string) {
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
        { clientCIDR: '0.0.0.0/0', serverAddress: address() },
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
}

/** The cluster's objects: every service's namespaces, Secrets, Deployments and ReplicaSets. */
class ClusterObjects {
  constructor(private readonly portfolio: Portfolio) {}

  namespace(name: string): KubeObject | undefined {
    const ns = this.portfolio.kubeNamespaces().find(n => n.name === name);
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
  }

  namespaces(): KubeObject[] {
    return this.portfolio
      .kubeNamespaces()
      .map(n => this.namespace(n.name))
      .filter((o): o is KubeObject => o !== undefined);
  }

  /** The resourceVersion a list of `namespace` answers with (the cluster's for all namespaces). */
  resourceVersion(namespace?: string): number {
    const owner = namespace && this.portfolio.namespaceOwner(namespace);
    return owner ? owner.ids.resourceVersion : this.portfolio.resourceVersion();
  }

  secrets(ns: string): KubeObject[] {
    const world = this.portfolio.namespaceOwner(ns);
    return world ? secretsIn(world, ns) : [];
  }

  deployments(ns: string): KubeObject[] {
    const world = this.portfolio.namespaceOwner(ns);
    const d = world?.kubeDeployments[ns];
    return world && d && d.revision > 0 ? [deploymentObject(d, world)] : [];
  }

  replicaSets(ns: string): KubeObject[] {
    const world = this.portfolio.namespaceOwner(ns);
    const d = world?.kubeDeployments[ns];
    if (!world || !d) return [];
    return (world.replicaSets[ns] ?? [])
      .map(rs => replicaSetObject(rs, d, world))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  all(list: (ns: string) => KubeObject[]): KubeObject[] {
    return this.portfolio.kubeNamespaces().flatMap(n => list(n.name));
  }
}

/** Namespaced and cluster-wide lists and gets of the four resources the sandbox serves. */
function registerResources(
  app: express.Express,
  cluster: ClusterObjects,
  maxPageSize: number | undefined,
) {
  const list =
    (kind: string, apiVersion: string, objects: (ns: string) => KubeObject[]) =>
    (req: Request, res: Response) =>
      sendList(req, res, {
        kind,
        apiVersion,
        objects: objects(req.params.ns),
        resourceVersion: cluster.resourceVersion(req.params.ns),
        maxPageSize,
      });
  const get =
    (group: string, plural: string, objects: (ns: string) => KubeObject[]) =>
    (req: Request, res: Response) => {
      const obj = objects(req.params.ns).find(
        o => o.metadata.name === req.params.name,
      );
      if (!obj) notFound(res, group, plural, req.params.name);
      else sendObject(req, res, obj);
    };
  const requireNamespace = (
    req: Request,
    res: Response,
    next: NextFunction,
  ) => {
    if (!cluster.namespace(req.params.ns)) {
      notFound(res, '', 'namespaces', req.params.ns);
      return;
    }
    next();
  };
  const secrets = (ns: string) => cluster.secrets(ns);
  const deployments = (ns: string) => cluster.deployments(ns);
  const replicaSets = (ns: string) => cluster.replicaSets(ns);

  app.get(
    '/api/v1/namespaces',
    list('NamespaceList', 'v1', () => cluster.namespaces()),
  );
  app.get('/api/v1/namespaces/:ns', (req, res) => {
    const obj = cluster.namespace(req.params.ns);
    if (!obj) notFound(res, '', 'namespaces', req.params.ns);
    else sendObject(req, res, obj);
  });
  const ns = '/namespaces/:ns';
  app.get(
    `/api/v1${ns}/secrets`,
    requireNamespace,
    list('SecretList', 'v1', secrets),
  );
  app.get(
    `/api/v1${ns}/secrets/:name`,
    requireNamespace,
    get('', 'secrets', secrets),
  );
  app.get(
    `/apis/apps/v1${ns}/deployments`,
    requireNamespace,
    list('DeploymentList', 'apps/v1', deployments),
  );
  app.get(
    `/apis/apps/v1${ns}/deployments/:name`,
    requireNamespace,
    get('apps', 'deployments', deployments),
  );
  app.get(
    `/apis/apps/v1${ns}/replicasets`,
    requireNamespace,
    list('ReplicaSetList', 'apps/v1', replicaSets),
  );
  app.get(
    `/apis/apps/v1${ns}/replicasets/:name`,
    requireNamespace,
    get('apps', 'replicasets', replicaSets),
  );
  app.get(
    '/apis/apps/v1/deployments',
    list('DeploymentList', 'apps/v1', () => cluster.all(deployments)),
  );
  app.get(
    '/apis/apps/v1/replicasets',
    list('ReplicaSetList', 'apps/v1', () => cluster.all(replicaSets)),
  );
}

/** A Kubernetes API server (read-only, bearer token) over every service's namespaces. */
export function createKubernetesApp(ctx: UpstreamContext): express.Express {
  const app = upstreamApp(ctx, 'kubernetes', {
    error: (status, message) => ({ body: kubeStatus(status, message) }),
    malformed:
      '{"kind":"SecretList","apiVersion":"v1","metadata":{"resourceVersion":"41',
  });
  app.use((req, res, next) => {
    res.locals.auditId = randomUUID();
    if (req.get('authorization') !== `Bearer ${KUBERNETES_TOKEN}`) {
      send(res, 401, kubeStatus(401, 'Unauthorized'));
      return;
    }
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
  registerDiscovery(app, ctx.self.address);
  registerResources(
    app,
    new ClusterObjects(ctx.portfolio),
    ctx.options.maxPageSize,
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

export const kubernetesUpstream: UpstreamModule = {
  source: 'kubernetes',
  portOption: 'kubernetesPort',
  tls: true,
  createApp: createKubernetesApp,
};
