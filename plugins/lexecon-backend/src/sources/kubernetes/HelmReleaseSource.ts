import { EntityTarget } from '../../EntityTarget';
import { KubernetesClusterConfig } from '../../config';
import { NotConfigured, SnapshotSource, annotationMissing } from '../types';
import {
  decodeHelmRelease,
  HelmRelease,
  parseRollbackTarget,
} from './decodeHelmRelease';
import { KubernetesApiClient } from './KubernetesApiClient';
import { HelmHistorySnapshot, HelmRevisionSnapshot } from './types';

interface SecretList {
  metadata?: { continue?: string };
  items: Array<{
    metadata: { name: string; labels?: Record<string, string> };
    data?: Record<string, string>;
  }>;
}

const SHA_PATTERN = /^[0-9a-f]{7,40}$/;

/**
 * Helm 3 release history per environment, read from the release Secrets
 * (`owner=helm,name=<release>`) in the environment's namespace.
 */
export class HelmReleaseSource implements SnapshotSource<HelmHistorySnapshot> {
  readonly id = 'kubernetes' as const;
  private readonly clients: Map<string, KubernetesApiClient>;

  constructor(
    private readonly clusters: KubernetesClusterConfig[],
    options: { timeoutMs: number; retries: number },
  ) {
    this.clients = new Map(
      clusters.map(c => [c.name, new KubernetesApiClient(c, options)]),
    );
  }

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.kubernetes) return annotationMissing('kubernetes');
    if (!this.clusters.length) {
      return {
        message:
          'No clusters in lexecon.kubernetes.clusters: add the clusters that run the Helm releases',
        missingAnnotations: [],
      };
    }
    return undefined;
  }

  private clusterFor(environment: string) {
    const cluster = this.clusters.find(c =>
      c.environments.includes(environment),
    );
    return cluster ? this.clients.get(cluster.name) : undefined;
  }

  async fetch(target: EntityTarget): Promise<HelmHistorySnapshot> {
    const kubernetes = target.kubernetes;
    if (!kubernetes) throw new Error(this.notConfiguredReason(target)?.message);
    const environments: HelmHistorySnapshot['environments'] = {};
    for (const env of target.environments) {
      const client = this.clusterFor(env);
      if (!client) continue;
      const namespace = kubernetes.namespaces[env];
      const revisions = await this.readRevisions(
        client,
        namespace,
        kubernetes.release,
      );
      environments[env] = {
        cluster: client.cluster.name,
        namespace,
        release: kubernetes.release,
        revisions,
      };
    }
    return { environments };
  }

  private async readRevisions(
    client: KubernetesApiClient,
    namespace: string,
    release: string,
  ): Promise<HelmRevisionSnapshot[]> {
    const revisions: HelmRevisionSnapshot[] = [];
    let continueToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const list = await client.get<SecretList>(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`,
        {
          labelSelector: `owner=helm,name=${release}`,
          limit: 50,
          continue: continueToken,
        },
      );
      for (const secret of list.items) {
        const encoded = secret.data?.release;
        if (!encoded) continue;
        revisions.push(
          toRevision(
            decodeHelmRelease(encoded),
            namespace,
            secret.metadata.labels,
          ),
        );
      }
      continueToken = list.metadata?.continue;
      if (!continueToken) break;
    }
    return revisions.sort((a, b) => a.revision - b.revision);
  }
}

function toRevision(
  release: HelmRelease,
  namespace: string,
  labels: Record<string, string> = {},
): HelmRevisionSnapshot {
  const image = (release.config?.image ?? {}) as { tag?: unknown };
  const appVersion = release.chart?.metadata?.appVersion;
  const tag = typeof image.tag === 'string' ? image.tag : undefined;
  const sha = [tag, appVersion].find(v => v && SHA_PATTERN.test(v));
  const description = release.info?.description ?? '';
  return {
    revision: release.version,
    status: release.info?.status ?? labels.status ?? 'unknown',
    description,
    chartVersion: release.chart?.metadata?.version,
    appVersion,
    namespace,
    deployedAt: release.info?.last_deployed,
    firstDeployedAt: release.info?.first_deployed,
    rollbackTo: parseRollbackTarget(description),
    sha,
  };
}
