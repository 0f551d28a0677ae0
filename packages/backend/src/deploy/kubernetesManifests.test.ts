import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { mockServices } from '@backstage/backend-test-utils';
import { createConfigSecretEnumerator } from '@backstage/backend-defaults/rootConfig';
import { ConfigReader } from '@backstage/config';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';

const ROOT = path.resolve(__dirname, '../../../..');
const MANIFESTS = path.join(ROOT, 'deploy/kubernetes');
const CONFIG_FILES = ['app-config.yaml', 'app-config.production.yaml'];
const HEALTH = {
  readiness: '/.backstage/health/v1/readiness',
  liveness: '/.backstage/health/v1/liveness',
};

interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  resources: string[];
  configMapGenerator: Array<{ name: string; files: string[] }>;
}

const readText = (file: string) => readFileSync(file, 'utf8');
const kustomization: Kustomization = parse(
  readText(path.join(MANIFESTS, 'kustomization.yaml')),
);

/** What `kubectl apply -k` applies: the listed manifests and the generated ConfigMaps. */
function kustomizedObjects(): KubernetesObject[] {
  const listed = kustomization.resources.map(
    file => parse(readText(path.join(MANIFESTS, file))) as KubernetesObject,
  );
  const generated = kustomization.configMapGenerator.map(generator => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: generator.name },
    data: Object.fromEntries(
      generator.files.map(file => [
        path.basename(file),
        readText(path.join(MANIFESTS, file)),
      ]),
    ),
  }));
  return [...listed, ...generated];
}

/** The OpenAPI schema's complaint about each object, or null (validateKubernetesObjects.mjs). */
function schemaProblems(objects: unknown[]): Array<string | null> {
  const output = execFileSync(
    process.execPath,
    [path.join(__dirname, 'validateKubernetesObjects.mjs')],
    { input: JSON.stringify(objects), encoding: 'utf8' },
  );
  return JSON.parse(output);
}

function only<T>(objects: KubernetesObject[], kind: string): T {
  const found = objects.filter(object => object.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as unknown as T;
}

/** The `${VAR}`s the production configuration reads, leaving out commented-out lines. */
function productionVariables(): string[] {
  const live = readText(path.join(ROOT, 'app-config.production.yaml'))
    .split('\n')
    .filter(line => !line.trimStart().startsWith('#'))
    .join('\n');
  return [...new Set([...live.matchAll(/\$\{(\w+)\}/g)].map(m => m[1]))];
}

/** The variables whose value the configuration schema calls a secret. */
async function secretVariables(variables: string[]): Promise<string[]> {
  const marker = (name: string) => `variable-${name}-value`;
  const data = CONFIG_FILES.map(file =>
    parse(
      readText(path.join(ROOT, file)).replace(/\$\{(\w+)\}/g, (_, name) =>
        marker(name),
      ),
    ),
  );
  const enumerate = await createConfigSecretEnumerator({
    logger: mockServices.logger.mock(),
    dir: ROOT,
  });
  const secrets = [
    ...enumerate(
      ConfigReader.fromConfigs(
        data.map((d, i) => ({ context: CONFIG_FILES[i], data: d })),
      ),
    ),
  ];
  return variables.filter(name =>
    secrets.some(secret => secret.includes(marker(name))),
  );
}

/** Bytes in a Kubernetes memory quantity with a binary suffix (512Mi, 1Gi). */
function bytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(quantity);
  if (!match) throw new Error(`Unexpected memory quantity ${quantity}`);
  const power = { Ki: 1, Mi: 2, Gi: 3 }[match[2] as 'Ki' | 'Mi' | 'Gi'] ?? 0;
  return Number(match[1]) * 1024 ** power;
}

const matches = (
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
) =>
  !!selector &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);

describe('the Kubernetes manifests (deploy/kubernetes)', () => {
  const objects = kustomizedObjects();
  const deployment = only<IDeployment>(objects, 'Deployment');
  const pod = deployment.spec!.template;
  // One container: the backend, which also serves the app.
  const [container, ...sidecars]: IContainer[] = pod.spec!.containers;
  const env: IEnvVar[] = container.env ?? [];
  const envValue = (name: string) => env.find(e => e.name === name)?.value;

  it('lists every manifest of the folder in the kustomization, the example Secret aside', () => {
    const manifests = readdirSync(MANIFESTS).filter(
      file =>
        file.endsWith('.yaml') &&
        !['kustomization.yaml', 'secret.example.yaml'].includes(file),
    );

    expect([...kustomization.resources].sort()).toEqual(manifests.sort());
  });

  it('is valid against the Kubernetes OpenAPI schema, which reports a malformed object', () => {
    const example = parse(
      readText(path.join(MANIFESTS, 'secret.example.yaml')),
    );
    const malformed = {
      ...deployment,
      spec: { ...deployment.spec, replicas: 'two' },
    };

    const problems = schemaProblems([...objects, example, malformed]);

    expect(
      Object.fromEntries(
        objects.map((o, i) => [`${o.kind} ${o.metadata.name}`, problems[i]]),
      ),
    ).toEqual(
      Object.fromEntries(
        objects.map(o => [`${o.kind} ${o.metadata.name}`, null]),
      ),
    );
    expect(problems[objects.length]).toBeNull();
    expect(problems[objects.length + 1]).toMatch(
      'spec/replicas must be integer',
    );
  });

  it('runs two replicas and rolls a new pod in before an old one goes', () => {
    expect(deployment.spec!.replicas).toBe(2);
    expect(deployment.spec!.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
  });

  it("probes Backstage's health endpoints on the port the backend listens on", () => {
    const listen = parse(readText(path.join(ROOT, CONFIG_FILES[1]))).backend
      .listen.port;
    const port = (probe: IProbe | undefined) => {
      const named = probe?.httpGet?.port;
      return container.ports?.find(
        p => p.name === named || p.containerPort === named,
      )?.containerPort;
    };
    const budget = (probe: IProbe | undefined) =>
      (probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3);

    expect(sidecars).toEqual([]);
    expect(container.readinessProbe?.httpGet?.path).toBe(HEALTH.readiness);
    expect(container.livenessProbe?.httpGet?.path).toBe(HEALTH.liveness);
    expect(Object.values(HEALTH)).toContain(
      container.startupProbe?.httpGet?.path,
    );
    for (const probe of [
      container.readinessProbe,
      container.livenessProbe,
      container.startupProbe,
    ]) {
      expect(port(probe)).toBe(listen);
    }
    // Liveness only starts once the startup probe passes: its budget covers the migrations.
    expect(budget(container.startupProbe)).toBeGreaterThanOrEqual(300);
  });

  it('selects the pods with the Deployment, the Service, the PodDisruptionBudget and the spread constraint', () => {
    const service = only<IService>(objects, 'Service');
    const budget = only<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    const labels = pod.metadata?.labels;

    expect(matches(deployment.spec!.selector.matchLabels, labels)).toBe(true);
    expect(matches(service.spec?.selector, labels)).toBe(true);
    expect(matches(budget.spec?.selector?.matchLabels, labels)).toBe(true);
    expect(budget.spec?.minAvailable).toBe(1);
    expect(pod.spec?.topologySpreadConstraints).not.toHaveLength(0);
    for (const spread of pod.spec?.topologySpreadConstraints ?? []) {
      expect(matches(spread.labelSelector?.matchLabels, labels)).toBe(true);
    }
  });

  it('routes the Ingress host the base URLs name to a port of the Service that reaches the container', () => {
    const service = only<IService>(objects, 'Service');
    const ingress = only<IIngress>(objects, 'Ingress');
    const [rule] = ingress.spec?.rules ?? [];
    const backend = rule.http?.paths[0].backend.service;
    const servicePort = service.spec?.ports?.find(
      p => p.name === backend?.port?.name || p.port === backend?.port?.number,
    );

    expect(backend?.name).toBe(service.metadata?.name);
    expect(servicePort).toBeDefined();
    expect(container.ports?.map(p => p.name)).toContain(
      servicePort?.targetPort,
    );
    expect(ingress.spec?.tls?.[0].hosts).toContain(rule.host);
    for (const name of ['APP_BASE_URL', 'BACKEND_BASE_URL']) {
      expect(new URL(envValue(name)!).host).toBe(rule.host);
    }
  });

  it('provides every variable of app-config.production.yaml, each secret from the one Secret', async () => {
    const variables = productionVariables();
    const secrets = await secretVariables(variables);
    const example = parse(
      readText(path.join(MANIFESTS, 'secret.example.yaml')),
    );
    const references = env.flatMap(e =>
      e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [],
    );

    expect(secrets).toContain('POSTGRES_PASSWORD');
    expect(
      variables.filter(
        name =>
          !env.some(
            e =>
              e.name === name &&
              (e.value !== undefined || e.valueFrom?.secretKeyRef),
          ),
      ),
    ).toEqual([]);
    // A repeated name would let a later literal value override the Secret.
    expect(new Set(env.map(e => e.name)).size).toBe(env.length);
    expect(
      secrets.filter(name => {
        const variable = env.find(e => e.name === name);
        return (
          variable?.value !== undefined || !variable?.valueFrom?.secretKeyRef
        );
      }),
    ).toEqual([]);
    expect(new Set(references.map(ref => ref.name))).toEqual(
      new Set([example.metadata.name]),
    );
    // secret.example.yaml names exactly the keys the pods read.
    expect(Object.keys(example.stringData).sort()).toEqual(
      references.map(ref => ref.key).sort(),
    );
  }, 30_000);

  it("mounts the repository's configuration and loads app-config.yaml, then app-config.production.yaml", () => {
    const volumes = pod.spec?.volumes ?? [];
    const mount = container.volumeMounts?.find(m =>
      volumes.some(v => v.name === m.name && v.configMap),
    );
    const volume = volumes.find(v => v.name === mount?.name);
    const configMap = objects.find(
      o =>
        o.kind === 'ConfigMap' && o.metadata.name === volume?.configMap?.name,
    ) as { data?: Record<string, string> } | undefined;
    const args = container.args ?? [];
    const loaded = args.flatMap((arg, i) =>
      arg === '--config' ? [args[i + 1]] : [],
    );

    // On a difference: cp app-config.yaml app-config.production.yaml deploy/kubernetes/config/
    expect(configMap?.data).toEqual(
      Object.fromEntries(
        CONFIG_FILES.map(file => [file, readText(path.join(ROOT, file))]),
      ),
    );
    expect(loaded).toEqual(
      CONFIG_FILES.map(file => `${mount?.mountPath}/${file}`),
    );
  });

  it('requests CPU and memory and limits memory, with the heap stopping below the limit', () => {
    const { requests, limits } = container.resources ?? {};
    const heap = /--max-old-space-size=(\d+)/.exec(
      envValue('NODE_OPTIONS') ?? '',
    );

    expect(requests?.cpu).toBeDefined();
    expect(requests?.memory).toBeDefined();
    expect(bytes(String(limits?.memory))).toBeGreaterThanOrEqual(
      bytes(String(requests?.memory)),
    );
    expect(Number(heap?.[1]) * 1024 ** 2).toBeLessThan(
      bytes(String(limits?.memory)),
    );
    expect(envValue('NODE_ENV')).toBe('production');
  });

  it('runs a pinned image as the non-root node user on a read-only filesystem', () => {
    const tag = /^[^@]+:([\w.-]+)$/.exec(container.image ?? '')?.[1];

    expect(tag).toBeDefined();
    expect(tag).not.toBe('latest');
    expect(pod.spec?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toContainEqual(
      expect.objectContaining({ mountPath: '/tmp' }),
    );
    expect(pod.spec?.automountServiceAccountToken).toBe(false);
  });
});
