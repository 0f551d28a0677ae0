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
  /** Groups (entity refs) whose members may approve a release that does not pass the gate. */
  overrideGroups: string[];
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
    overrideGroups: config?.getOptionalStringArray('overrideGroups') ?? [
      'group:default/release-managers',
    ],
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
  /** Bounds of the GitHub conditional-request cache; unset fields take EtagCache's defaults. */
  githubEtagCache: { ttlMs?: number; maxEntries?: number };
  refresh: {
    frequency: HumanDuration;
    timeout: HumanDuration;
    initialDelay: HumanDuration;
    staleAfterMs: number;
    onDemandWaitMs: number;
    /** A manual or webhook refresh sooner than this after the last fetch waits for it to pass. */
    minIntervalMs: number;
    /** Entities refreshed in parallel by one source's scheduled cycle. */
    concurrency: number;
  };
  upstreamTimeoutMs: number;
  upstreamRetries: number;
  historyDays: number;
  kubernetesClusters: KubernetesClusterConfig[];
}

/** A `lexecon.refresh.*` duration; zero is refused unless `allowZero`, negative always. */
function duration(
  root: Config,
  key: string,
  fallback: HumanDuration,
  options: { allowZero?: boolean } = {},
): HumanDuration {
  const fullKey = `lexecon.refresh.${key}`;
  if (!root.has(fullKey)) return fallback;
  const value = readDurationFromConfig(root, { key: fullKey });
  const ms = durationToMilliseconds(value);
  if (ms < 0 || (ms === 0 && !options.allowZero)) {
    throw new Error(
      `${fullKey} must be a ${
        options.allowZero ? 'non-negative' : 'positive'
      } duration, such as { minutes: 5 }`,
    );
  }
  return value;
}

/** An optional whole number of at least `min`; the error names the key. */
function integer(
  config: Config | undefined,
  key: string,
  fallback: number,
  min: number,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new Error(
      `lexecon.${key} must be a whole number of at least ${min}, not ${value}`,
    );
  }
  return value;
}

function readEtagCache(root: Config): LexeconConfig['githubEtagCache'] {
  const key = 'lexecon.github.etagCache';
  const cache = root.getOptionalConfig(key);
  if (!cache) return {};
  const ttl = cache.has('ttl')
    ? durationToMilliseconds(readDurationFromConfig(cache, { key: 'ttl' }))
    : undefined;
  if (ttl !== undefined && ttl <= 0) {
    throw new Error(`${key}.ttl must be a positive duration`);
  }
  const maxEntries = cache.getOptionalNumber('maxEntries');
  if (
    maxEntries !== undefined &&
    (!Number.isInteger(maxEntries) || maxEntries < 1)
  ) {
    throw new Error(`${key}.maxEntries must be a whole number of at least 1`);
  }
  // Only what is set: an undefined field would override EtagCache's default.
  return {
    ...(ttl !== undefined ? { ttlMs: ttl } : {}),
    ...(maxEntries !== undefined ? { maxEntries } : {}),
  };
}

export function readLexeconConfig(root: Config): LexeconConfig {
  const config = root.getOptionalConfig('lexecon');
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
    githubEtagCache: readEtagCache(root),
    refresh: {
      frequency: duration(root, 'frequency', { minutes: 5 }),
      timeout: duration(root, 'timeout', { minutes: 10 }),
      initialDelay: duration(
        root,
        'initialDelay',
        { seconds: 10 },
        { allowZero: true },
      ),
      staleAfterMs: durationToMilliseconds(
        duration(root, 'staleAfter', { minutes: 30 }),
      ),
      onDemandWaitMs: durationToMilliseconds(
        duration(root, 'onDemandWait', { seconds: 25 }, { allowZero: true }),
      ),
      minIntervalMs: durationToMilliseconds(
        duration(root, 'minInterval', { seconds: 30 }, { allowZero: true }),
      ),
      concurrency: integer(config, 'refresh.concurrency', 4, 1),
    },
    upstreamTimeoutMs: integer(config, 'upstreamTimeoutMs', 10_000, 1),
    upstreamRetries: integer(config, 'upstreamRetries', 2, 0),
    historyDays: config?.getOptionalNumber('historyDays') ?? 90,
    kubernetesClusters: clusters,
  };
}
