import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

export interface KubernetesClusterConfig {
  name: string;
  url: string;
  environments: string[];
  serviceAccountToken?: string;
  caPem?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

export interface LexeconConfig {
  githubHost: string;
  refresh: {
    frequency: HumanDuration;
    timeout: HumanDuration;
    initialDelay: HumanDuration;
    staleAfterMs: number;
    onDemandWaitMs: number;
  };
  upstreamTimeoutMs: number;
  upstreamRetries: number;
  historyDays: number;
  kubernetesClusters: KubernetesClusterConfig[];
}

function duration(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  return config?.has(key) ? readDurationFromConfig(config, { key }) : fallback;
}

export function readLexeconConfig(root: Config): LexeconConfig {
  const config = root.getOptionalConfig('lexecon');
  const refresh = config?.getOptionalConfig('refresh');
  const clusters = (
    config?.getOptionalConfigArray('kubernetes.clusters') ?? []
  ).map(cluster => {
    return {
      name: cluster.getString('name'),
      url: cluster.getString('url').replace(/\/+$/, ''),
      environments: cluster.getStringArray('environments'),
      serviceAccountToken: cluster.getOptionalString('serviceAccountToken'),
      caPem: cluster.getOptionalString('caData'),
      caFile: cluster.getOptionalString('caFile'),
      skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
    };
  });
  return {
    githubHost: config?.getOptionalString('github.host') ?? 'github.com',
    refresh: {
      frequency: duration(refresh, 'frequency', { minutes: 5 }),
      timeout: duration(refresh, 'timeout', { minutes: 10 }),
      initialDelay: duration(refresh, 'initialDelay', { seconds: 10 }),
      staleAfterMs: durationToMilliseconds(
        duration(refresh, 'staleAfter', { minutes: 30 }),
      ),
      onDemandWaitMs: durationToMilliseconds(
        duration(refresh, 'onDemandWait', { seconds: 25 }),
      ),
    },
    upstreamTimeoutMs: config?.getOptionalNumber('upstreamTimeoutMs') ?? 10_000,
    upstreamRetries: config?.getOptionalNumber('upstreamRetries') ?? 2,
    historyDays: config?.getOptionalNumber('historyDays') ?? 90,
    kubernetesClusters: clusters,
  };
}
