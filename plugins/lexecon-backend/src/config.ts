import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  ApprovalMode,
  DEFAULT_READINESS_GATE,
} from '@internal/plugin-lexecon-common';

export interface KubernetesClusterConfig {
  name: string;
  url: string;
  environments: string[];
  serviceAccountToken?: string;
  caPem?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

export interface ApprovalEnvironmentConfig {
  mode: ApprovalMode;
  /** Whoever triggered the run or authored a change in it may not decide. */
  segregationOfDuties: boolean;
}

export interface ApprovalsConfig {
  readinessGate: number;
  ciWorkflow: string;
  /** Settings per environment; environments not listed get `forEnvironment`'s defaults. */
  environments: Record<string, ApprovalEnvironmentConfig>;
  forEnvironment(environment: string): ApprovalEnvironmentConfig;
}

const APPROVAL_MODES: ApprovalMode[] = ['github-reviewers', 'portal-gate'];

function readApprovals(config: Config | undefined): ApprovalsConfig {
  const environments: Record<string, ApprovalEnvironmentConfig> = {};
  const envConfig = config?.getOptionalConfig('environments');
  for (const name of envConfig?.keys() ?? []) {
    const env = envConfig!.getConfig(name);
    const mode = env.getOptionalString('mode') ?? 'github-reviewers';
    if (!APPROVAL_MODES.includes(mode as ApprovalMode)) {
      throw new Error(
        `lexecon.approvals.environments.${name}.mode must be one of ${APPROVAL_MODES.join(
          ', ',
        )}, not "${mode}"`,
      );
    }
    environments[name] = {
      mode: mode as ApprovalMode,
      segregationOfDuties:
        env.getOptionalBoolean('segregationOfDuties') ?? name === 'production',
    };
  }
  const gate =
    config?.getOptionalNumber('readinessGate') ?? DEFAULT_READINESS_GATE;
  if (gate < 0 || gate > 100) {
    throw new Error(
      'lexecon.approvals.readinessGate must be between 0 and 100',
    );
  }
  return {
    readinessGate: gate,
    ciWorkflow: config?.getOptionalString('ciWorkflow') ?? 'test.yml',
    environments,
    forEnvironment: environment =>
      environments[environment] ?? {
        mode: 'github-reviewers',
        segregationOfDuties: environment === 'production',
      },
  };
}

export interface LexeconConfig {
  approvals: ApprovalsConfig;
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
    approvals: readApprovals(config?.getOptionalConfig('approvals')),
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
