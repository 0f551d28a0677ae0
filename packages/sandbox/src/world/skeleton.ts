import { DAY, iso, MINUTE, uuidFrom } from '../random';
import { ON_CALL, PEOPLE, ENGINEERS, releaseApproversTeam } from './people';
import { ReadinessFacts } from './readiness';
import {
  EnvironmentRecord,
  IdSequences,
  NamespaceRecord,
  OpaqueSecretRecord,
  RepoProfile,
  SandboxWorld,
  WorkflowRecord,
  WorldFacts,
} from './types';
import { WorldWriter } from './writer';

export const WORKFLOW_FILES = {
  test: 'test.yml',
  build: 'build.yml',
  deployStaging: 'deploy-staging.yml',
  deployProduction: 'deploy-prod.yml',
} as const;

/**
 * Everything that tells one repository (and its deployment) apart from another before any
 * history is seeded: names, the GitHub ids it starts from, its environments and namespaces.
 */
export interface RepoSpec {
  owner: string;
  repo: string;
  repoId: number;
  ownerId: number;
  releaseName: string;
  namespaces: { staging: string; production: string };
  profile: RepoProfile;
  /** Where its id sequences start: GitHub ids are global, so each repository has a range of its own. */
  ids: Omit<IdSequences, 'kubeRevision'>;
  workflowIdBase: number;
  environmentIds: { staging: number; production: number };
  protectionRuleIds: { reviewers: number; branchPolicy: number };
  externalUrls: { staging: string; production: string };
  /** The cluster's other namespaces the service's world lists (its system namespaces). */
  otherNamespaces: string[];
  replicas: { staging: number; production: number };
  /** Days of delivery history. */
  historyDays: number;
  /** Days since the repository was created. */
  ageDays: number;
}

const EMPTY_READINESS: ReadinessFacts = {
  runId: 0,
  sha: '',
  ciPassRate: 0,
  ciRuns: { workflow: 'test.yml', passed: 0, total: 0, runIds: [] },
  coverage: 0,
  openSecurityAlerts: { critical: 0, high: 0, medium: 0, low: 0 },
  securityScore: 0,
  quality: 0,
  score: 0,
};

function emptyFacts(productionNamespace: string): WorldFacts {
  return {
    waitingRunId: 0,
    waitingRunVersion: '',
    waitingRunTriggeredBy: '',
    waitingRunAuthors: [],
    waitingRunPullRequests: [],
    waitingRunReadiness: EMPTY_READINESS,
    poorReadiness: EMPTY_READINESS,
    latestStagingSha: '',
    lastProductionSha: '',
    lastProductionVersion: '',
    failedProductionRunId: 0,
    failedProductionDeploymentId: 0,
    failedProductionVersion: '',
    autoRollback: {
      namespace: productionNamespace,
      failedRevision: 0,
      rollbackRevision: 0,
      rolledBackTo: 0,
    },
    selfApproved: { runId: 0, version: '', approver: '' },
    manualRollback: {
      namespace: productionNamespace,
      revision: 0,
      rolledBackTo: 0,
      afterRunId: 0,
      by: ON_CALL,
      at: '',
    },
  };
}

/** A world with the repository's identity and nothing seeded yet. */
export function emptyWorld(spec: RepoSpec, nowMs: number): SandboxWorld {
  const { staging, production } = spec.namespaces;
  return {
    now: iso(nowMs),
    owner: spec.owner,
    repo: spec.repo,
    profile: { ...spec.profile },
    repoId: spec.repoId,
    ownerId: spec.ownerId,
    defaultBranch: 'main',
    releaseName: spec.releaseName,
    namespaces: { staging, production },
    people: PEOPLE.map(p => ({ ...p })),
    engineers: [...ENGINEERS],
    teams: [releaseApproversTeam()],
    commits: [],
    tags: [],
    workflows: [],
    runs: [],
    deployments: [],
    environments: [],
    helm: { [staging]: [], [production]: [] },
    replicaSets: { [staging]: [], [production]: [] },
    kubeDeployments: {},
    otherSecrets: [],
    kubeNamespaces: [],
    commitQuality: {},
    codeScanningAlerts: [],
    dependabotAlerts: [],
    facts: emptyFacts(production),
    ids: { ...spec.ids, kubeRevision: {} },
  };
}

/** Test → Build → Deploy to staging on every push; Deploy to production by hand. */
export function seedWorkflows(
  world: SandboxWorld,
  spec: RepoSpec,
  nowMs: number,
): void {
  const repoCreated = nowMs - spec.ageDays * DAY;
  const definitions: Array<[string, string]> = [
    [WORKFLOW_FILES.test, 'Test'],
    [WORKFLOW_FILES.build, 'Build'],
    [WORKFLOW_FILES.deployStaging, 'Deploy to staging'],
    [WORKFLOW_FILES.deployProduction, 'Deploy to production'],
  ];
  world.workflows = definitions.map(
    ([file, name], i): WorkflowRecord => ({
      id: spec.workflowIdBase + i * 1337,
      name,
      file,
      path: `.github/workflows/${file}`,
      createdAt: iso(repoCreated + (i + 3) * DAY + i * 7 * MINUTE),
      updatedAt: iso(nowMs - (120 - i * 9) * DAY),
    }),
  );
}

/** Staging (unprotected) and production (required reviewers, no self-review, protected branches). */
export function seedEnvironments(
  world: SandboxWorld,
  spec: RepoSpec,
  nowMs: number,
): void {
  const repoCreated = nowMs - spec.ageDays * DAY;
  const staging: EnvironmentRecord = {
    id: spec.environmentIds.staging,
    name: 'staging',
    createdAt: iso(repoCreated + 30 * DAY),
    updatedAt: iso(repoCreated + 30 * DAY),
    externalUrl: spec.externalUrls.staging,
    waitTimer: 0,
    preventSelfReview: false,
    reviewers: [],
    protectionRuleIds: { waitTimer: 0, reviewers: 0, branchPolicy: 0 },
    branchPolicy: null,
    customRules: [],
  };
  const production: EnvironmentRecord = {
    id: spec.environmentIds.production,
    name: 'production',
    createdAt: iso(repoCreated + 30 * DAY + 5 * MINUTE),
    updatedAt: iso(nowMs - 100 * DAY),
    externalUrl: spec.externalUrls.production,
    waitTimer: 0,
    preventSelfReview: true,
    reviewers: [
      { type: 'Team', name: 'release-approvers' },
      { type: 'User', name: 'alex-kim' },
      { type: 'User', name: 'jordan-lee' },
    ],
    protectionRuleIds: { waitTimer: 0, ...spec.protectionRuleIds },
    branchPolicy: { protected_branches: true, custom_branch_policies: false },
    customRules: [],
  };
  world.environments = [staging, production];
}

function opaqueSecretData(
  world: SandboxWorld,
  type: string,
): Record<string, string> {
  if (type === 'Opaque') {
    return {
      username: Buffer.from(world.releaseName).toString('base64'),
      password: Buffer.from('sandbox-not-a-secret').toString('base64'),
    };
  }
  return {
    '.dockerconfigjson': Buffer.from(
      '{"auths":{"ghcr.io":{"auth":"c2FuZGJveDpub3QtYS1zZWNyZXQ="}}}',
    ).toString('base64'),
  };
}

/** The service's namespaces, its (not yet rolled out) Deployments and the Secrets beside Helm's. */
export function seedCluster(
  w: WorldWriter,
  spec: RepoSpec,
  nowMs: number,
): void {
  const world = w.world;
  const kubeCreated = nowMs - spec.historyDays * DAY - 40 * DAY;
  const { staging, production } = spec.namespaces;
  const names = [...spec.otherNamespaces, staging, production];
  world.kubeNamespaces = names.map(
    (name, i): NamespaceRecord => ({
      name,
      uid: uuidFrom(`ns/${name}`),
      createdAt: iso(kubeCreated - (names.length - i) * DAY),
      labels: { 'kubernetes.io/metadata.name': name },
      resourceVersion: w.nextResourceVersion(),
    }),
  );
  const release = world.releaseName;
  for (const ns of [staging, production]) {
    world.kubeDeployments[ns] = {
      namespace: ns,
      name: release,
      uid: uuidFrom(`${ns}/deployment/${release}`),
      createdAt: '',
      revision: 0,
      imageTag: '',
      chartVersion: '',
      replicas:
        ns === production ? spec.replicas.production : spec.replicas.staging,
      generation: 0,
      resourceVersion: w.nextResourceVersion(),
    };
    const secrets: Array<[string, string, Record<string, string>]> = [
      [
        `${release}-db-credentials`,
        'Opaque',
        {
          'app.kubernetes.io/name': release,
          'app.kubernetes.io/component': 'database',
        },
      ],
      [
        `${release}-api-keys`,
        'Opaque',
        {
          'app.kubernetes.io/name': release,
          'app.kubernetes.io/component': 'api',
        },
      ],
      ['ghcr-pull-secret', 'kubernetes.io/dockerconfigjson', {}],
    ];
    for (const [name, type, labels] of secrets) {
      const secret: OpaqueSecretRecord = {
        namespace: ns,
        name,
        type,
        labels,
        data: opaqueSecretData(world, type),
        createdAt: iso(kubeCreated + DAY),
        uid: uuidFrom(`${ns}/secret/${name}`),
        resourceVersion: w.nextResourceVersion(),
      };
      world.otherSecrets.push(secret);
    }
  }
}
