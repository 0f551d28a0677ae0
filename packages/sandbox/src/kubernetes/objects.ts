import { gzipSync } from 'node:zlib';
import {
  HelmRevisionRecord,
  KubeDeploymentRecord,
  ReplicaSetRecord,
  SandboxWorld,
} from '../world/types';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller: boolean;
    blockOwnerDeletion: boolean;
  }>;
  managedFields?: unknown[];
}

export interface KubeObject {
  kind?: string;
  apiVersion?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

function unix(isoTime: string): string {
  return String(Math.floor(Date.parse(isoTime) / 1000));
}

/** The release JSON Helm 3 stores (lower snake case keys, as helm/helm serialises it). */
export function helmReleaseJson(rev: HelmRevisionRecord, world: SandboxWorld) {
  const replicas = world.kubeDeployments[rev.namespace]?.replicas ?? 2;
  return {
    name: rev.name,
    info: {
      first_deployed: rev.firstDeployed,
      last_deployed: rev.lastDeployed,
      deleted: '',
      description: rev.description,
      status: rev.status,
      notes: `${world.profile.productName} ${rev.appVersion} is running in ${rev.namespace}.`,
    },
    chart: {
      metadata: {
        name: world.releaseName,
        version: rev.chartVersion,
        description: world.profile.chartDescription,
        apiVersion: 'v2',
        appVersion: rev.appVersion,
        type: 'application',
      },
      lock: null,
      templates: [],
      values: {
        replicaCount: 2,
        image: { repository: world.profile.imageRepository, tag: 'latest' },
      },
      schema: null,
      files: [],
    },
    config: {
      image: { tag: rev.imageTag },
      replicaCount: replicas,
    },
    manifest: renderManifest(rev, replicas, world),
    version: rev.revision,
    namespace: rev.namespace,
  };
}

function renderManifest(
  rev: HelmRevisionRecord,
  replicas: number,
  world: SandboxWorld,
): string {
  const name = world.releaseName;
  return [
    '---',
    `# Source: ${name}/templates/service.yaml`,
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app.kubernetes.io/name: ${name}`,
    `    app.kubernetes.io/instance: ${name}`,
    `    helm.sh/chart: ${name}-${rev.chartVersion}`,
    'spec:',
    '  type: ClusterIP',
    '  ports:',
    '    - port: 80',
    '      targetPort: 8000',
    '  selector:',
    `    app.kubernetes.io/name: ${name}`,
    `    app.kubernetes.io/instance: ${name}`,
    '---',
    `# Source: ${name}/templates/deployment.yaml`,
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  replicas: ${replicas}`,
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: "${world.profile.imageRepository}:${rev.imageTag}"`,
    '          readinessProbe:',
    '            httpGet: { path: /health, port: 8000 }',
    '',
  ].join('\n');
}

/** base64(gzip(json)) as Helm stores it in the Secret's `release` key (before the API's own base64). */
export function encodeHelmRelease(release: unknown): string {
  return gzipSync(Buffer.from(JSON.stringify(release)), { level: 9 }).toString(
    'base64',
  );
}

export function helmSecret(
  rev: HelmRevisionRecord,
  world: SandboxWorld,
): KubeObject {
  const helmB64 = encodeHelmRelease(helmReleaseJson(rev, world));
  return {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: {
      name: `sh.helm.release.v1.${rev.name}.v${rev.revision}`,
      namespace: rev.namespace,
      uid: rev.uid,
      resourceVersion: String(rev.resourceVersion),
      creationTimestamp: rev.createdAt,
      labels: {
        createdAt: unix(rev.createdAt),
        modifiedAt: unix(rev.modifiedAt),
        name: rev.name,
        owner: 'helm',
        status: rev.status,
        version: String(rev.revision),
      },
    },
    data: { release: Buffer.from(helmB64).toString('base64') },
    type: 'helm.sh/release.v1',
  };
}

function appLabels(world: SandboxWorld) {
  return {
    'app.kubernetes.io/name': world.releaseName,
    'app.kubernetes.io/instance': world.releaseName,
  };
}

function podTemplate(
  world: SandboxWorld,
  imageTag: string,
  extraLabels: Record<string, string> = {},
) {
  return {
    metadata: { labels: { ...appLabels(world), ...extraLabels } },
    spec: {
      containers: [
        {
          name: world.releaseName,
          image: `${world.profile.imageRepository}:${imageTag}`,
          ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }],
          readinessProbe: {
            httpGet: { path: '/health', port: 8000, scheme: 'HTTP' },
            initialDelaySeconds: 10,
            periodSeconds: 5,
          },
          resources: {
            requests: { cpu: '250m', memory: '256Mi' },
            limits: { memory: '512Mi' },
          },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
  };
}

export function deploymentObject(
  d: KubeDeploymentRecord,
  world: SandboxWorld,
): KubeObject {
  const labels = appLabels(world);
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: d.name,
      namespace: d.namespace,
      uid: d.uid,
      resourceVersion: String(d.resourceVersion),
      generation: d.generation,
      creationTimestamp: d.createdAt,
      labels: {
        ...labels,
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/version': d.imageTag.slice(0, 12),
        'helm.sh/chart': `${world.releaseName}-${d.chartVersion}`,
      },
      annotations: {
        'deployment.kubernetes.io/revision': String(d.revision),
        'meta.helm.sh/release-name': world.releaseName,
        'meta.helm.sh/release-namespace': d.namespace,
      },
    },
    spec: {
      replicas: d.replicas,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { ...labels } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: podTemplate(world, d.imageTag),
    },
    status: {
      observedGeneration: d.generation,
      replicas: d.replicas,
      updatedReplicas: d.replicas,
      readyReplicas: d.replicas,
      availableReplicas: d.replicas,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${world.releaseName}" has successfully progressed.`,
        },
      ],
    },
  };
}

export function replicaSetObject(
  rs: ReplicaSetRecord,
  d: KubeDeploymentRecord,
  world: SandboxWorld,
): KubeObject {
  const labels = {
    ...appLabels(world),
    'pod-template-hash': rs.podTemplateHash,
  };
  const annotations: Record<string, string> = {
    'deployment.kubernetes.io/desired-replicas': String(d.replicas),
    'deployment.kubernetes.io/max-replicas': String(
      d.replicas + Math.ceil(d.replicas * 0.25),
    ),
    'deployment.kubernetes.io/revision': String(rs.revision),
    'meta.helm.sh/release-name': world.releaseName,
    'meta.helm.sh/release-namespace': rs.namespace,
  };
  if (rs.revisionHistory.length > 0) {
    annotations['deployment.kubernetes.io/revision-history'] =
      rs.revisionHistory.join(',');
  }
  return {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    metadata: {
      name: rs.name,
      namespace: rs.namespace,
      uid: rs.uid,
      resourceVersion: String(rs.resourceVersion),
      generation: rs.revisionHistory.length + 1,
      creationTimestamp: rs.createdAt,
      labels,
      annotations,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: d.name,
          uid: d.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: rs.replicas,
      selector: {
        matchLabels: { ...labels },
      },
      template: podTemplate(world, rs.imageTag, {
        'pod-template-hash': rs.podTemplateHash,
      }),
    },
    status: {
      replicas: rs.replicas,
      fullyLabeledReplicas: rs.replicas,
      readyReplicas: rs.replicas,
      availableReplicas: rs.replicas,
      observedGeneration: rs.revisionHistory.length + 1,
    },
  };
}

/** All Secrets in a namespace (Helm release secrets and others), oldest first. */
export function secretsIn(
  world: SandboxWorld,
  namespace: string,
): KubeObject[] {
  const helm = (world.helm[namespace] ?? []).map(r => helmSecret(r, world));
  const others = world.otherSecrets
    .filter(s => s.namespace === namespace)
    .map(
      (s): KubeObject => ({
        kind: 'Secret',
        apiVersion: 'v1',
        metadata: {
          name: s.name,
          namespace: s.namespace,
          uid: s.uid,
          resourceVersion: String(s.resourceVersion),
          creationTimestamp: s.createdAt,
          labels: Object.keys(s.labels).length ? { ...s.labels } : undefined,
        },
        data: { ...s.data },
        type: s.type,
      }),
    );
  return [...others, ...helm].sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name),
  );
}
