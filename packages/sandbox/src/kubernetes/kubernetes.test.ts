import { Agent, fetch } from 'undici';
import { gunzipSync } from 'node:zlib';
import { Sandbox, startSandbox } from '../index';

const NOW = new Date('2026-11-20T15:00:00Z');

interface Meta {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion: string;
  ownerReferences?: Array<{ kind: string; name: string }>;
}
interface List<T = { metadata: Meta; data?: Record<string, string> }> {
  kind: string;
  apiVersion: string;
  metadata: {
    resourceVersion: string;
    continue?: string;
    remainingItemCount?: number;
  };
  items: T[];
}

/** The parts of Helm's release JSON the tests look at. */
interface HelmRelease {
  name: string;
  namespace: string;
  version: number;
  info: {
    first_deployed: string;
    last_deployed: string;
    deleted: string;
    description: string;
    status: string;
  };
  chart: { metadata: { name: string; version: string; appVersion: string } };
  config: { image: { tag: string } };
  manifest: string;
}

/** Loose view of any Kubernetes response body used by the tests. */
interface KubeBody {
  kind?: string;
  apiVersion?: string;
  message?: string;
  code?: number;
  reason?: string;
  type?: string;
  versions?: string[];
  gitVersion?: string;
  groups?: Array<{ preferredVersion: { groupVersion: string } }>;
  resources?: Array<{ name: string }>;
  data?: Record<string, string>;
  metadata?: Meta;
  items?: Array<{ metadata: Meta; data?: Record<string, string> }>;
}

function decodeRelease(dataRelease: string): HelmRelease {
  const helmB64 = Buffer.from(dataRelease, 'base64').toString('utf8');
  let raw = Buffer.from(helmB64, 'base64');
  expect([raw[0], raw[1], raw[2]]).toEqual([0x1f, 0x8b, 0x08]);
  raw = gunzipSync(raw);
  return JSON.parse(raw.toString('utf8'));
}

describe('Kubernetes stand-in', () => {
  let sandbox: Sandbox;
  let dispatcher: Agent;
  const get = async <T = KubeBody>(
    path: string,
    init: { token?: string | null; accept?: string } = {},
  ) => {
    const headers: Record<string, string> = {
      accept: init.accept ?? 'application/json',
    };
    const token =
      init.token === undefined ? sandbox.kubernetesToken : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${sandbox.kubernetesUrl}${path}`, {
      headers,
      dispatcher,
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
    dispatcher = new Agent({ connect: { ca: sandbox.kubernetesCaPem } });
  });
  afterAll(async () => {
    await dispatcher.close();
    await sandbox.stop();
  });

  it('rejects requests without the bearer token', async () => {
    const res = await get('/api/v1/namespaces/lexecon-production/secrets', {
      token: null,
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect((await get('/version', { token: 'wrong' })).status).toBe(401);
  });

  it('serves discovery', async () => {
    expect((await get('/api')).body.versions).toEqual(['v1']);
    const apis = await get('/apis');
    expect(apis.body.groups![0].preferredVersion.groupVersion).toBe('apps/v1');
    const v1 = await get('/api/v1');
    expect(v1.body.resources!.map((r: { name: string }) => r.name)).toContain(
      'secrets',
    );
    const apps = await get('/apis/apps/v1');
    expect(apps.body.resources!.map((r: { name: string }) => r.name)).toEqual([
      'deployments',
      'replicasets',
    ]);
    expect((await get('/version')).body.gitVersion).toMatch(/^v1\./);
  });

  it('filters secrets by label selector', async () => {
    const ns = 'lexecon-production';
    const all = (await get(`/api/v1/namespaces/${ns}/secrets`)).body as List;
    const helm = (
      await get(
        `/api/v1/namespaces/${ns}/secrets?labelSelector=${encodeURIComponent(
          'owner=helm,name=lexecon',
        )}`,
      )
    ).body as List;
    expect(helm.kind).toBe('SecretList');
    expect(helm.items).toHaveLength(sandbox.world.helm[ns].length);
    expect(all.items.length).toBeGreaterThan(helm.items.length);
    const failed = (
      await get(
        `/api/v1/namespaces/${ns}/secrets?labelSelector=${encodeURIComponent(
          'owner=helm,status in (failed)',
        )}`,
      )
    ).body as List;
    expect(failed.items.map(i => i.metadata.labels?.version)).toEqual([
      String(sandbox.world.facts.autoRollback.failedRevision),
    ]);
    const notHelm = (
      await get(`/api/v1/namespaces/${ns}/secrets?labelSelector=!owner`)
    ).body as List;
    expect(notHelm.items).toHaveLength(all.items.length - helm.items.length);
    const bad = await get(
      `/api/v1/namespaces/${ns}/secrets?labelSelector=${encodeURIComponent(
        'a b',
      )}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.kind).toBe('Status');
  });

  it('pages with limit and continue', async () => {
    const ns = 'lexecon-production';
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const q = new URLSearchParams({
        labelSelector: 'owner=helm',
        limit: '4',
      });
      if (cont) q.set('continue', cont);
      const page = (await get(`/api/v1/namespaces/${ns}/secrets?${q}`))
        .body as List;
      expect(page.items.length).toBeLessThanOrEqual(4);
      expect(page.metadata.resourceVersion).toMatch(/^\d+$/);
      names.push(...page.items.map(i => i.metadata.name));
      cont = page.metadata.continue;
      pages++;
    } while (cont);
    expect(pages).toBe(Math.ceil(sandbox.world.helm[ns].length / 4));
    expect(new Set(names).size).toBe(sandbox.world.helm[ns].length);
    expect(
      (await get(`/api/v1/namespaces/${ns}/secrets?continue=garbage`)).status,
    ).toBe(400);
  });

  it('decodes Helm releases including both rollbacks', async () => {
    const ns = 'lexecon-production';
    const { facts } = sandbox.world;
    const list = (
      await get(
        `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm%2Cname%3Dlexecon`,
      )
    ).body as List;
    const releases = list.items.map(i => decodeRelease(i.data!.release));
    const rollbacks = releases
      .filter(r => /^Rollback to \d+$/.test(r.info.description))
      .sort((a, b) => a.version - b.version);
    expect(rollbacks.map(r => [r.version, r.info.description])).toEqual([
      [
        facts.autoRollback.rollbackRevision,
        `Rollback to ${facts.autoRollback.rolledBackTo}`,
      ],
      [
        facts.manualRollback.revision,
        `Rollback to ${facts.manualRollback.rolledBackTo}`,
      ],
    ]);
    const failed = releases.find(
      r => r.version === facts.autoRollback.failedRevision,
    );
    expect(failed?.info).toMatchObject({
      status: 'failed',
      description: 'Upgrade "lexecon" failed: context deadline exceeded',
      deleted: '',
    });
    const deployed = releases.filter(r => r.info.status === 'deployed');
    expect(deployed).toHaveLength(1);
    expect(deployed[0].chart.metadata.appVersion).toBe(
      facts.lastProductionVersion,
    );
    expect(deployed[0].namespace).toBe(ns);

    const one = await get(
      `/api/v1/namespaces/${ns}/secrets/sh.helm.release.v1.lexecon.v1`,
    );
    expect(one.body.kind).toBe('Secret');
    expect(one.body.type).toBe('helm.sh/release.v1');
    expect(decodeRelease(one.body.data!.release).info.description).toBe(
      'Install complete',
    );

    const staging = (
      await get(
        '/api/v1/namespaces/lexecon-staging/secrets?labelSelector=owner%3Dhelm',
      )
    ).body as List;
    expect(staging.items).toHaveLength(20);
  });

  it('returns metadata-only lists', async () => {
    const res = await get(
      '/api/v1/namespaces/lexecon-production/secrets?labelSelector=owner%3Dhelm&limit=3',
      {
        accept:
          'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
      },
    );
    expect(res.body.kind).toBe('PartialObjectMetadataList');
    expect(res.body.apiVersion).toBe('meta.k8s.io/v1');
    expect(res.body.items).toHaveLength(3);
    expect(res.body.items![0].data).toBeUndefined();
    expect(res.body.items![0].metadata.labels?.owner).toBe('helm');
  });

  it('serves Deployments and ReplicaSets with revision annotations', async () => {
    const ns = 'lexecon-production';
    const dep = await get(`/apis/apps/v1/namespaces/${ns}/deployments/lexecon`);
    expect(dep.body.kind).toBe('Deployment');
    const revision =
      dep.body.metadata?.annotations?.['deployment.kubernetes.io/revision'];
    const rs = (
      await get<
        List<{
          metadata: Meta;
          spec: {
            replicas: number;
            template: { spec: { containers: Array<{ image: string }> } };
          };
        }>
      >(
        `/apis/apps/v1/namespaces/${ns}/replicasets?labelSelector=app.kubernetes.io%2Fname%3Dlexecon`,
      )
    ).body;
    const current = rs.items.find(
      i =>
        i.metadata.annotations?.['deployment.kubernetes.io/revision'] ===
        revision,
    )!;
    expect(current.spec.replicas).toBe(3);
    expect(current.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'lexecon',
    });
    expect(current.spec.template.spec.containers[0].image).toBe(
      `ghcr.io/lexecon-ai/lexecon:${sandbox.world.kubeDeployments[ns].imageTag}`,
    );
    expect(
      rs.items.some(
        i =>
          i.metadata.annotations?.['deployment.kubernetes.io/revision-history'],
      ),
    ).toBe(true);
  });

  it('is deterministic: another sandbox with the same clock serves the same world', async () => {
    const other = await startSandbox({ now: NOW, quiet: true });
    try {
      expect(JSON.stringify(other.world)).toBe(JSON.stringify(sandbox.world));
      const otherAgent = new Agent({ connect: { ca: other.kubernetesCaPem } });
      const path =
        '/api/v1/namespaces/lexecon-production/secrets/sh.helm.release.v1.lexecon.v3';
      const a = await get(path);
      const b = await fetch(`${other.kubernetesUrl}${path}`, {
        headers: { authorization: `Bearer ${other.kubernetesToken}` },
        dispatcher: otherAgent,
      });
      expect(await b.json()).toEqual(a.body);
      await otherAgent.close();
    } finally {
      await other.stop();
    }
  });

  it('answers 404 with a Status for unknown objects and namespaces', async () => {
    const missing = await get(
      '/api/v1/namespaces/lexecon-production/secrets/nope',
    );
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      code: 404,
    });
    const ns = await get('/api/v1/namespaces/nope/secrets');
    expect(ns.status).toBe(404);
    expect(ns.body.message).toBe('namespaces "nope" not found');
  });
});
