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
  /** Whoever triggered the run or had a hand in its changes may not decide. */
  segregationOfDuties: boolean;
}

/** What GitHub says of an environment's gate, for the defaults of an unconfigured one. */
export interface EnvironmentGate {
  requiresReviewers: boolean;
}

export interface ApprovalsConfig {
  readinessGate: number;
  /** Groups (entity refs) whose members may approve a release that does not pass the gate. */
  overrideGroups: string[];
  ciWorkflow: string;
  /**
   * How long an unfinished decision holds its run: past this, its replica is taken to have died
   * mid-request and another request may take the claim over.
   */
  claimExpiryMs: number;
  /**
   * An environment's settings, its name matched case-insensitively as GitHub does. Segregation
   * of duties is on unless configured off, for production and for every environment with
   * required reviewers or in `portal-gate` mode; elsewhere it is off unless configured on.
   */
  forEnvironment(
    environment: string,
    gate?: EnvironmentGate,
  ): ApprovalEnvironmentConfig;
}

const APPROVAL_MODES: ApprovalMode[] = ['github-reviewers', 'portal-gate'];
const DEFAULT_CLAIM_EXPIRY: HumanDuration = { minutes: 2 };

function readClaimExpiryMs(root: Config): number {
  const key = 'lexecon.approvals.claimExpiry';
  const ms = durationToMilliseconds(
    root.has(key)
      ? readDurationFromConfig(root, { key })
      : DEFAULT_CLAIM_EXPIRY,
  );
  if (!(ms > 0)) {
    throw new Error(
      `${key} must be a positive duration, such as { minutes: 2 }`,
    );
  }
  return ms;
}

function readApprovals(root: Config): ApprovalsConfig {
  const config = root.getOptionalConfig('lexecon.approvals');
  // A Map, so that `constructor` or `__proto__` name no environment.
  const environments = new Map<
    string,
    { mode: ApprovalMode; segregationOfDuties?: boolean }
  >();
  const envConfig = config?.getOptionalConfig('environments');
  for (const name of envConfig?.keys() ?? []) {
    const key = name.toLowerCase();
    if (environments.has(key)) {
      throw new Error(
        `lexecon.approvals.environments names ${name} twice: GitHub's environment names ignore case`,
      );
    }
    const env = envConfig!.getConfig(name);
    const mode = env.getOptionalString('mode') ?? 'github-reviewers';
    if (!APPROVAL_MODES.includes(mode as ApprovalMode)) {
      throw new Error(
        `lexecon.approvals.environments.${name}.mode must be one of ${APPROVAL_MODES.join(
          ', ',
        )}, not "${mode}"`,
      );
    }
    environments.set(key, {
      mode: mode as ApprovalMode,
      segregationOfDuties: env.getOptionalBoolean('segregationOfDuties'),
    });
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
    claimExpiryMs: readClaimExpiryMs(root),
    forEnvironment: (environment, protection) => {
      const configured = environments.get(environment.toLowerCase());
      const mode = configured?.mode ?? 'github-reviewers';
      return {
        mode,
        segregationOfDuties:
          configured?.segregationOfDuties ??
          (environment.toLowerCase() === 'production' ||
            mode === 'portal-gate' ||
            Boolean(protection?.requiresReviewers)),
      };
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
    /** A manual refresh sooner than this after the last fetch waits for it to pass. */
    minIntervalMs: number;
    /** The same for a webhook's refresh: short, so a new waiting run is listed at once. */
    webhookMinIntervalMs: number;
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
    approvals: readApprovals(root),
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
      webhookMinIntervalMs: durationToMilliseconds(
        duration(
          root,
          'webhookMinInterval',
          { seconds: 2 },
          { allowZero: true },
        ),
      ),
      concurrency: integer(config, 'refresh.concurrency', 4, 1),
    },
    upstreamTimeoutMs: integer(config, 'upstreamTimeoutMs', 10_000, 1),
    upstreamRetries: integer(config, 'upstreamRetries', 2, 0),
    historyDays: config?.getOptionalNumber('historyDays') ?? 90,
    kubernetesClusters: clusters,
  };
}
