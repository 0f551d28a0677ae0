import {
  FlagSeed,
  ObservabilitySeed,
  Reliability,
} from '../observability/service';
import { DATADOG_SERVICE, UNLEASH_PROJECT } from '../observability/seed';
import { LEXECON_REPO, OWNER } from '../world/build';
import { CiProfile } from '../world/delivery';
import { DeployProfile } from '../world/deliveryPlan';
import { DeliveryShape } from '../world/serviceWorld';
import { RepoSpec } from '../world/skeleton';
import { compactTestJobs, fullTestJobs } from '../world/steps';

/** One Lexecon service the sandbox serves: its repository, release, flags, SLO and health. */
export interface ServiceSpec {
  /** The catalog entity name. */
  name: string;
  title: string;
  description: string;
  /** Catalog tags. */
  tags: string[];
  repo: RepoSpec;
  unleashProject: string;
  /** The Datadog `service` tag of its SLO and monitors. */
  datadogService: string;
  /** Path of its health endpoint on the health server. */
  healthPath: string;
  /**
   * How it fares this month (see `Reliability`); the Lexecon API is `alerting`: its SLO is met
   * for most of the month, but a latency monitor is alerting and an incident is open.
   */
  reliability: Reliability | 'alerting';
  /** Made up by scale mode (`services: N`), not one of the portfolio. */
  generated: boolean;
}

/**
 * A service seeded from its spec alone (every one but the Lexecon API, whose world and
 * observability tell a story of their own: `buildWorld`, `buildObservability`).
 */
export interface SeededServiceSpec extends ServiceSpec {
  delivery: DeliveryShape;
  observability: ObservabilitySeed;
}

export const LEXECON_API: ServiceSpec = {
  name: 'lexecon-api',
  title: 'Lexecon API',
  description:
    'The Lexecon governance API, shipped by GitHub Actions and Helm to Kubernetes.',
  tags: ['python', 'fastapi', 'helm'],
  repo: LEXECON_REPO,
  unleashProject: UNLEASH_PROJECT,
  datadogService: DATADOG_SERVICE,
  healthPath: '/health',
  reliability: 'alerting',
  generated: false,
};

/** GitHub ids are global: each service's repository numbers from a range of its own. */
function repoSpec(
  index: number,
  name: string,
  profile: Omit<RepoSpec['profile'], 'imageRepository'>,
  historyDays: number,
): RepoSpec {
  const step = 10_000_000;
  const base = LEXECON_REPO.ids;
  return {
    owner: OWNER,
    repo: name,
    repoId: LEXECON_REPO.repoId + index * 7919,
    ownerId: LEXECON_REPO.ownerId,
    releaseName: name,
    namespaces: {
      staging: `${name}-staging`,
      production: `${name}-production`,
    },
    profile: { ...profile, imageRepository: `ghcr.io/${OWNER}/${name}` },
    ids: {
      run: base.run + index * step,
      checkSuite: base.checkSuite + index * step,
      job: base.job + index * step,
      deployment: base.deployment + index * step,
      deploymentStatus: base.deploymentStatus + index * step,
      resourceVersion: base.resourceVersion + index * 1_000_000,
    },
    workflowIdBase: LEXECON_REPO.workflowIdBase + index * 10_000,
    environmentIds: {
      staging: LEXECON_REPO.environmentIds.staging + index * 1000,
      production: LEXECON_REPO.environmentIds.production + index * 1000,
    },
    protectionRuleIds: {
      reviewers: LEXECON_REPO.protectionRuleIds.reviewers + index * 10,
      branchPolicy: LEXECON_REPO.protectionRuleIds.branchPolicy + index * 10,
    },
    externalUrls: {
      staging: `https://${name}.staging.lexecon.ai`,
      production: `https://${name}.lexecon.ai`,
    },
    otherNamespaces: [],
    replicas: { staging: 1, production: 2 },
    historyDays,
    ageDays: 300,
  };
}

interface ServiceDraft {
  index: number;
  name: string;
  title: string;
  description: string;
  tags: string[];
  language: string;
  reliability: Reliability;
  flags: FlagSeed[];
  health: string[];
  pastIncidents: string[];
  outageTitle: string;
  generated: boolean;
  /** How its CI behaves; unset, as the Lexecon API's. */
  ci?: CiProfile;
  /** How its production releases go; unset, all ship. */
  deploys?: DeployProfile;
}

function serviceSpec(draft: ServiceDraft): SeededServiceSpec {
  const { index, name, title } = draft;
  const portfolio = !draft.generated;
  return {
    name,
    title,
    description: draft.description,
    tags: draft.tags,
    repo: repoSpec(
      index,
      name,
      {
        description: `Lexecon ${title}: ${draft.description}`,
        language: draft.language,
        productName: title,
        chartDescription: `Lexecon ${title}`,
      },
      portfolio ? 90 : 10,
    ),
    delivery: {
      testJobs: portfolio ? fullTestJobs() : compactTestJobs(),
      version: { major: portfolio ? 2 : 0, minor: 3 + (index % 7) },
      chartVersion: '0.9.0',
      lastPullRequest: 40 + index * 3,
      runNumber: 100 + index * 7,
      ci: draft.ci,
      deploys: draft.deploys,
    },
    unleashProject: name,
    datadogService: name,
    healthPath: `/${name}/health`,
    reliability: draft.reliability,
    generated: draft.generated,
    observability: {
      service: name,
      unleashProject: name,
      title,
      reliability: draft.reliability,
      flags: draft.flags,
      health: draft.health,
      pastIncidents: draft.pastIncidents,
      outageTitle: draft.outageTitle,
      monitorIdBase: 148_300_000 + index * 10,
      eventIdBase: 20_000 + index * 100,
    },
  };
}

/** Breaching: an ongoing outage after a flag change, alerting, an active SEV-2. */
const DECISION_LEDGER = serviceSpec({
  index: 1,
  name: 'decision-ledger',
  title: 'Decision Ledger',
  description:
    'Append-only, hash-chained ledger of every policy decision and its evidence.',
  tags: ['python', 'postgresql', 'helm'],
  language: 'Python',
  reliability: 'breaching',
  // Struggling delivery: a third of pushes red, builds twice as long, re-runs that pass; one
  // release a week, every third failing its Helm upgrade and every fourth rolled back by hand.
  ci: { failureChance: 0.33, durationScale: 2.2, flakyChance: 0.12 },
  deploys: { slotEvery: 2, failEvery: 3, rollbackEvery: 4 },
  flags: [
    {
      name: 'enable_async_ledger_writes',
      description: 'Acknowledge decision writes before the replica confirms',
      type: 'release',
      createdDaysAgo: 30,
      production: 100,
      minutesBeforeOutage: 22,
    },
    {
      name: 'enable_merkle_batching',
      description: 'Batch hash-chain entries into Merkle trees every second',
      type: 'experiment',
      createdDaysAgo: 45,
      production: 50,
    },
    {
      name: 'enable_cold_storage_tiering',
      description: 'Move ledger segments older than a year to object storage',
      type: 'operational',
      createdDaysAgo: 12,
      production: 0,
    },
  ],
  health: ['database', 'ledger_writer', 'object_storage', 'replica'],
  pastIncidents: [
    'Ledger compaction stalled decision writes',
    'Replica failover took longer than expected',
    'Object storage throttling slowed evidence exports',
  ],
  outageTitle: 'Ledger writes rejected: replica lag above 30 s',
  generated: false,
});

/** At risk: still above target, but burning its error budget, a latency monitor warning. */
const POLICY_ENGINE = serviceSpec({
  index: 2,
  name: 'policy-engine',
  title: 'Policy Engine',
  description:
    'Evaluates governance policies (Rego bundles) for every decision request.',
  tags: ['python', 'opa', 'helm'],
  language: 'Python',
  reliability: 'at-risk',
  // Medium delivery, between the two: one push in eight red, builds a little longer, some re-runs;
  // one release in eight fails its Helm upgrade.
  ci: { failureChance: 0.12, durationScale: 1.25, flakyChance: 0.06 },
  deploys: { slotEvery: 1, failEvery: 8, rollbackEvery: 0 },
  flags: [
    {
      name: 'enable_partial_evaluation',
      description: 'Pre-compile policies with partial evaluation',
      type: 'release',
      createdDaysAgo: 20,
      production: 25,
    },
    {
      name: 'enable_policy_cache',
      description: 'Cache compiled bundles between decision requests',
      type: 'operational',
      createdDaysAgo: 80,
      production: 100,
    },
    {
      name: 'enable_rego_v1_syntax',
      description: 'Accept Rego v1 syntax in uploaded policies',
      type: 'release',
      createdDaysAgo: 6,
      production: 0,
    },
  ],
  health: ['bundle_server', 'policy_cache', 'rego_runtime'],
  pastIncidents: [
    'Policy bundle download timeouts',
    'Rego evaluation latency above 1 s',
    'Bundle signature verification failures',
  ],
  outageTitle: 'Policy bundle server timeouts',
  generated: false,
});

/** Healthy: well above target, nothing alerting. */
const WEB_CONSOLE = serviceSpec({
  index: 3,
  name: 'web-console',
  title: 'Web Console',
  description:
    'Where compliance teams review decisions, evidence and audit trails.',
  tags: ['typescript', 'react', 'helm'],
  language: 'TypeScript',
  reliability: 'healthy',
  // Elite delivery: nearly every push green, short builds, a rare flaky re-run.
  ci: { failureChance: 0.02, durationScale: 0.45, flakyChance: 0.03 },
  flags: [
    {
      name: 'enable_new_dashboard',
      description: 'The redesigned decision dashboard',
      type: 'release',
      createdDaysAgo: 35,
      production: 100,
    },
    {
      name: 'enable_evidence_export_v2',
      description: 'Export evidence packages as signed ZIP files',
      type: 'release',
      createdDaysAgo: 15,
      production: 10,
    },
  ],
  health: ['api_gateway', 'session_store', 'static_assets'],
  pastIncidents: [
    'Sign-in redirects looped for SSO users',
    'Static assets served stale after a release',
  ],
  outageTitle: 'Console pages slow to load',
  generated: false,
});

/** The Lexecon services `npm start` seeds besides the API. */
export const PORTFOLIO: readonly SeededServiceSpec[] = [
  DECISION_LEDGER,
  POLICY_ENGINE,
  WEB_CONSOLE,
];

/** Scale mode's services are numbered from here on (their GitHub id ranges follow the portfolio's). */
const FIRST_GENERATED_INDEX = 10;

/**
 * Scale mode's `n`-th service (1-based): `service-001` …, small but complete (a 10-day
 * history, one SLO, one or two monitors, two flags, health). One in twenty breaches and one in
 * twenty is at risk; the others are healthy.
 */
export function generatedServiceSpec(n: number): SeededServiceSpec {
  const name = `service-${String(n).padStart(3, '0')}`;
  let reliability: Reliability = 'healthy';
  if (n % 20 === 0) reliability = 'breaching';
  else if (n % 20 === 10) reliability = 'at-risk';
  return serviceSpec({
    index: FIRST_GENERATED_INDEX + n,
    name,
    title: `Service ${String(n).padStart(3, '0')}`,
    description: 'A service generated for the scale benchmark.',
    tags: ['generated'],
    language: 'Python',
    reliability,
    flags: [
      {
        name: 'enable_fast_path',
        description: 'Skip revalidation of cached answers',
        type: 'release',
        createdDaysAgo: 10 + (n % 30),
        production: 50,
      },
      {
        name: 'enable_batch_mode',
        description: 'Group writes into batches',
        type: 'operational',
        createdDaysAgo: 40 + (n % 50),
        production: 100,
      },
    ],
    health: ['database', 'cache'],
    pastIncidents: [],
    outageTitle: `${name} unavailable`,
    generated: true,
  });
}

export const MAX_GENERATED_SERVICES = 500;
