import { DAY, HOUR, iso, MINUTE, Prng, sha1Hex, uuidFrom } from '../random';
import { COMMIT_IDEAS } from './messages';
import {
  CommitRecord,
  EnvironmentRecord,
  NamespaceRecord,
  OpaqueSecretRecord,
  Person,
  RunRecord,
  SandboxWorld,
  WorkflowRecord,
} from './types';
import { StepPlan, WorldWriter } from './writer';
import { readinessFacts, ReadinessFacts, seedReadiness } from './readiness';
import { markWaiting } from './releases';

const SECOND = 1000;

export const OWNER = 'lexecon-ai';
export const REPO = 'lexecon';
export const RELEASE_NAME = 'lexecon';
export const STAGING_NAMESPACE = 'lexecon-staging';
export const PRODUCTION_NAMESPACE = 'lexecon-production';
export const IMAGE_REPOSITORY = 'ghcr.io/lexecon-ai/lexecon';

export const WORKFLOW_FILES = {
  test: 'test.yml',
  build: 'build.yml',
  deployStaging: 'deploy-staging.yml',
  deployProduction: 'deploy-prod.yml',
} as const;

const PEOPLE: Person[] = [
  person('maya-chen', 40213881, 'Maya Chen'),
  person('dev-patel', 51877204, 'Dev Patel'),
  person('sam-okafor', 38810927, 'Sam Okafor'),
  person('lena-fischer', 62044315, 'Lena Fischer'),
  person('tom-ruiz', 47731950, 'Tom Ruiz'),
  person('priya-nair', 70388412, 'Priya Nair'),
  person('alex-kim', 33109876, 'Alex Kim'),
  person('jordan-lee', 45520193, 'Jordan Lee'),
  {
    login: 'github-actions[bot]',
    id: 41898282,
    name: 'github-actions[bot]',
    email: '41898282+github-actions[bot]@users.noreply.github.com',
    type: 'Bot',
  },
  {
    login: 'lexecon-portal[bot]',
    id: 187220431,
    name: 'lexecon-portal[bot]',
    email: '187220431+lexecon-portal[bot]@users.noreply.github.com',
    type: 'Bot',
  },
  {
    login: 'web-flow',
    id: 19864447,
    name: 'GitHub',
    email: 'noreply@github.com',
    type: 'User',
  },
];

const ENGINEERS = [
  'maya-chen',
  'dev-patel',
  'sam-okafor',
  'lena-fischer',
  'tom-ruiz',
  'priya-nair',
];
const APPROVERS = ['alex-kim', 'jordan-lee'];
const ON_CALL = 'sam-okafor';
const WAITING_RUN_TRIGGERED_BY = 'priya-nair';
const CHANGE_SET_MIN = 3;
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
const CHANGE_SET_AUTHORS = ['dev-patel', 'jordan-lee', 'maya-chen', 'tom-ruiz'];

const APPROVAL_COMMENTS = [
  'Checked staging health, LGTM',
  'Staging smoke tests green, error rate flat. Approved.',
  'Changelog reviewed, no migrations. Ship it.',
  'Readiness score above threshold, approving.',
  'Verified on staging with the escalation flow. LGTM',
  'Dashboards look healthy on staging. Approved for prod.',
];

function person(login: string, id: number, name: string): Person {
  return { login, id, name, email: `${login}@lexecon.ai`, type: 'User' };
}

const LINT_STEPS: StepPlan[] = [
  { name: 'Set up job', weight: 2 },
  { name: 'Run actions/checkout@v4', weight: 2 },
  { name: 'Set up Python 3.12', weight: 3 },
  { name: 'Install dependencies', weight: 10 },
  { name: 'Ruff', weight: 3 },
  { name: 'Black (check)', weight: 2 },
  { name: 'Mypy', weight: 12 },
  { name: 'Post Run actions/checkout@v4', weight: 1 },
  { name: 'Complete job', weight: 1 },
];

const PYTEST_STEP = 'Pytest (-n auto, --reruns 2)';

function unitTestSteps(python: string): StepPlan[] {
  return [
    { name: 'Set up job', weight: 2 },
    { name: 'Run actions/checkout@v4', weight: 2 },
    { name: `Set up Python ${python}`, weight: 3 },
    { name: 'Install dependencies', weight: 12 },
    { name: PYTEST_STEP, weight: 60 },
    { name: 'Upload coverage', weight: 3 },
    { name: 'Post Run actions/checkout@v4', weight: 1 },
    { name: 'Complete job', weight: 1 },
  ];
}

const SECURITY_STEPS: StepPlan[] = [
  { name: 'Set up job', weight: 2 },
  { name: 'Run actions/checkout@v4', weight: 2 },
  { name: 'Install dependencies', weight: 10 },
  { name: 'Bandit', weight: 6 },
  { name: 'pip-audit', weight: 8 },
  { name: 'pip check', weight: 1 },
  { name: 'Upload security reports', weight: 2 },
  { name: 'Complete job', weight: 1 },
];

function dockerSteps(sha: string): StepPlan[] {
  return [
    { name: 'Set up job', weight: 2 },
    { name: 'Run actions/checkout@v4', weight: 2 },
    { name: 'Set up Docker Buildx', weight: 4 },
    { name: 'Log in to ghcr.io', weight: 1 },
    {
      name: `Build and push ${IMAGE_REPOSITORY}:${sha.slice(0, 7)}`,
      weight: 60,
    },
    { name: 'Complete job', weight: 1 },
  ];
}

export const HELM_UPGRADE_STAGING_STEP =
  'helm upgrade --install lexecon ./chart -n lexecon-staging --wait';
export const HELM_UPGRADE_PRODUCTION_STEP =
  'helm upgrade --install lexecon ./chart -n lexecon-production --atomic --wait --timeout 60s';

export function stagingDeploySteps(): StepPlan[] {
  return [
    { name: 'Set up job', weight: 2 },
    { name: 'Run actions/checkout@v4', weight: 2 },
    { name: 'Configure kubectl', weight: 3 },
    { name: HELM_UPGRADE_STAGING_STEP, weight: 50 },
    { name: 'Smoke test /health', weight: 6 },
    { name: 'Complete job', weight: 1 },
  ];
}

export function productionDeploySteps(version: string): StepPlan[] {
  return [
    { name: 'Set up job', weight: 2 },
    { name: 'Run actions/checkout@v4', weight: 2 },
    { name: 'Configure kubectl', weight: 3 },
    { name: `Verify tag ${version}`, weight: 1 },
    { name: HELM_UPGRADE_PRODUCTION_STEP, weight: 50 },
    { name: 'Smoke test /health', weight: 6 },
    { name: 'Complete job', weight: 1 },
  ];
}

function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

interface PushPlan {
  kind: 'push';
  t: number;
}
interface ProdPlan {
  kind: 'prod';
  t: number;
  fail: boolean;
  manualRollback: boolean;
}

/** Builds the deterministic world for a seed clock. */
export function buildWorld(now: Date): SandboxWorld {
  const nowMs = Math.floor(now.getTime() / SECOND) * SECOND;
  const rng = new Prng(`${OWNER}/${REPO}`);
  const windowStart = nowMs - 90 * DAY;

  const world: SandboxWorld = {
    now: iso(nowMs),
    owner: OWNER,
    repo: REPO,
    repoId: 712448391,
    ownerId: 139871220,
    defaultBranch: 'main',
    releaseName: RELEASE_NAME,
    namespaces: {
      staging: STAGING_NAMESPACE,
      production: PRODUCTION_NAMESPACE,
    },
    people: PEOPLE.map(p => ({ ...p })),
    engineers: [...ENGINEERS],
    teams: [
      {
        id: 9123456,
        slug: 'release-approvers',
        name: 'Release Approvers',
        description: 'Can approve production deployments of Lexecon',
        members: [...APPROVERS],
      },
    ],
    commits: [],
    tags: [],
    workflows: [],
    runs: [],
    deployments: [],
    environments: [],
    helm: { [STAGING_NAMESPACE]: [], [PRODUCTION_NAMESPACE]: [] },
    replicaSets: { [STAGING_NAMESPACE]: [], [PRODUCTION_NAMESPACE]: [] },
    kubeDeployments: {},
    otherSecrets: [],
    kubeNamespaces: [],
    commitQuality: {},
    codeScanningAlerts: [],
    dependabotAlerts: [],
    facts: {
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
        namespace: PRODUCTION_NAMESPACE,
        failedRevision: 0,
        rollbackRevision: 0,
        rolledBackTo: 0,
      },
      manualRollback: {
        namespace: PRODUCTION_NAMESPACE,
        revision: 0,
        rolledBackTo: 0,
        afterRunId: 0,
        by: ON_CALL,
        at: '',
      },
    },
    ids: {
      run: 11482113000,
      checkSuite: 30512000000,
      job: 31904200000,
      deployment: 2041330000,
      deploymentStatus: 22310400000,
      resourceVersion: 4180000,
      kubeRevision: {},
    },
  };
  const w = new WorldWriter(world, rng);
  const repoCreated = nowMs - 420 * DAY;

  // Workflows
  const workflowDefs: Array<[string, string]> = [
    [WORKFLOW_FILES.test, 'Test'],
    [WORKFLOW_FILES.build, 'Build'],
    [WORKFLOW_FILES.deployStaging, 'Deploy to staging'],
    [WORKFLOW_FILES.deployProduction, 'Deploy to production'],
  ];
  world.workflows = workflowDefs.map(
    ([file, name], i): WorkflowRecord => ({
      id: 61001001 + i * 1337,
      name,
      file,
      path: `.github/workflows/${file}`,
      createdAt: iso(repoCreated + (i + 3) * DAY + i * 7 * MINUTE),
      updatedAt: iso(nowMs - (120 - i * 9) * DAY),
    }),
  );
  const workflowByFile = (file: string) => {
    const wf = world.workflows.find(x => x.file === file);
    if (!wf) throw new Error(`unknown workflow ${file}`);
    return wf;
  };
  const runNumbers: Record<string, number> = {
    [WORKFLOW_FILES.test]: 412,
    [WORKFLOW_FILES.build]: 377,
    [WORKFLOW_FILES.deployStaging]: 361,
    [WORKFLOW_FILES.deployProduction]: 57,
  };

  // Environments
  const environments: EnvironmentRecord[] = [
    {
      id: 1621004470,
      name: 'staging',
      createdAt: iso(repoCreated + 30 * DAY),
      updatedAt: iso(repoCreated + 30 * DAY),
      externalUrl: 'https://staging.lexecon.ai',
      waitTimer: 0,
      preventSelfReview: false,
      reviewers: [],
      protectionRuleIds: { waitTimer: 0, reviewers: 0, branchPolicy: 0 },
      branchPolicy: null,
      customRules: [],
    },
    {
      id: 1621004912,
      name: 'production',
      createdAt: iso(repoCreated + 30 * DAY + 5 * MINUTE),
      updatedAt: iso(nowMs - 100 * DAY),
      externalUrl: 'https://api.lexecon.ai',
      waitTimer: 0,
      preventSelfReview: true,
      reviewers: [
        { type: 'Team', name: 'release-approvers' },
        { type: 'User', name: 'alex-kim' },
        { type: 'User', name: 'jordan-lee' },
      ],
      protectionRuleIds: {
        waitTimer: 0,
        reviewers: 31337201,
        branchPolicy: 31337202,
      },
      branchPolicy: { protected_branches: true, custom_branch_policies: false },
      customRules: [],
    },
  ];
  world.environments = environments;

  // Kubernetes namespaces, Deployments and unrelated Secrets
  const kubeCreated = windowStart - 40 * DAY;
  const nsNames = [
    'default',
    'kube-system',
    STAGING_NAMESPACE,
    PRODUCTION_NAMESPACE,
  ];
  world.kubeNamespaces = nsNames.map(
    (name, i): NamespaceRecord => ({
      name,
      uid: uuidFrom(`ns/${name}`),
      createdAt: iso(kubeCreated - (4 - i) * DAY),
      labels: { 'kubernetes.io/metadata.name': name },
      resourceVersion: w.nextResourceVersion(),
    }),
  );
  for (const ns of [STAGING_NAMESPACE, PRODUCTION_NAMESPACE]) {
    world.kubeDeployments[ns] = {
      namespace: ns,
      name: RELEASE_NAME,
      uid: uuidFrom(`${ns}/deployment/${RELEASE_NAME}`),
      createdAt: '',
      revision: 0,
      imageTag: '',
      chartVersion: '',
      replicas: ns === PRODUCTION_NAMESPACE ? 3 : 2,
      generation: 0,
      resourceVersion: w.nextResourceVersion(),
    };
    const otherSecrets: Array<[string, string, Record<string, string>]> = [
      [
        'lexecon-db-credentials',
        'Opaque',
        {
          'app.kubernetes.io/name': 'lexecon',
          'app.kubernetes.io/component': 'database',
        },
      ],
      [
        'lexecon-api-keys',
        'Opaque',
        {
          'app.kubernetes.io/name': 'lexecon',
          'app.kubernetes.io/component': 'api',
        },
      ],
      ['ghcr-pull-secret', 'kubernetes.io/dockerconfigjson', {}],
    ];
    for (const [name, type, labels] of otherSecrets) {
      const data: Record<string, string> =
        type === 'Opaque'
          ? {
              username: Buffer.from('lexecon').toString('base64'),
              password: Buffer.from('sandbox-not-a-secret').toString('base64'),
            }
          : {
              '.dockerconfigjson': Buffer.from(
                '{"auths":{"ghcr.io":{"auth":"c2FuZGJveDpub3QtYS1zZWNyZXQ="}}}',
              ).toString('base64'),
            };
      const secret: OpaqueSecretRecord = {
        namespace: ns,
        name,
        type,
        labels,
        data,
        createdAt: iso(kubeCreated + DAY),
        uid: uuidFrom(`${ns}/secret/${name}`),
        resourceVersion: w.nextResourceVersion(),
      };
      world.otherSecrets.push(secret);
    }
  }

  // ---- Plan pushes and production slots ----
  const plans: Array<PushPlan | ProdPlan> = [];
  const firstDay = utcDayStart(windowStart);
  for (let d = 0; d <= 91; d++) {
    const dayStart = firstDay + d * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    const two = rng.chance(0.6);
    const slot1 =
      dayStart +
      8.5 * HOUR +
      rng.int(0, 210) * MINUTE +
      rng.int(0, 59) * SECOND;
    const slot2 =
      dayStart + 13 * HOUR + rng.int(0, 180) * MINUTE + rng.int(0, 59) * SECOND;
    const prodT =
      dayStart +
      16.75 * HOUR +
      rng.int(0, 60) * MINUTE +
      rng.int(0, 59) * SECOND;
    if (weekday < 1 || weekday > 5) continue;
    for (const t of two ? [slot1, slot2] : [slot1]) {
      if (t > windowStart && t < nowMs - 75 * MINUTE) {
        plans.push({ kind: 'push', t });
      }
    }
    if (
      (weekday === 2 || weekday === 4) &&
      prodT > windowStart + 2 * DAY &&
      prodT < nowMs - 20 * HOUR
    ) {
      plans.push({
        kind: 'prod',
        t: prodT,
        fail: false,
        manualRollback: false,
      });
    }
  }
  plans.sort((a, b) => a.t - b.t);
  // The waiting release must ship a real change set: drop trailing production slots that would
  // leave fewer than CHANGE_SET_MIN commits after them.
  for (;;) {
    const lastProd = plans.map(p => p.kind).lastIndexOf('prod');
    if (lastProd < 0) break;
    const after = plans.slice(lastProd).filter(p => p.kind === 'push').length;
    if (after >= CHANGE_SET_MIN) break;
    plans.splice(lastProd, 1);
  }
  const prodPlans = plans.filter((p): p is ProdPlan => p.kind === 'prod');
  const closest = (target: number, exclude?: ProdPlan) =>
    prodPlans
      .filter(p => p !== exclude)
      .reduce((best, p) =>
        Math.abs(p.t - target) < Math.abs(best.t - target) ? p : best,
      );
  const failPlan = closest(nowMs - 35 * DAY);
  failPlan.fail = true;
  const manualPlan = closest(nowMs - 14 * DAY, failPlan);
  manualPlan.manualRollback = true;
  const pushTimes = plans.filter(p => p.kind === 'push').map(p => p.t);
  const lastPushT = pushTimes[pushTimes.length - 1];
  // CI history the readiness score reads (test.yml, last 10 runs): 9 of 10 green before the
  // waiting release, 6 of 10 before the release candidate that later failed in production.
  const forcedTestResult = new Map<number, boolean>();
  pushTimes.slice(-10).forEach((t, i) => forcedTestResult.set(t, i === 4));
  pushTimes
    .filter(t => t < failPlan.t)
    .slice(-10)
    .forEach((t, i) => forcedTestResult.set(t, [1, 3, 6, 8].includes(i)));
  // Authors of the waiting release's change set: several, including release approver jordan-lee
  // (so segregation of duties blocks them) but never alex-kim.
  const lastProdT = prodPlans[prodPlans.length - 1]?.t ?? -Infinity;
  const changeSetAuthors = new Map<number, string>();
  pushTimes
    .filter(t => t > lastProdT)
    .forEach((t, i) =>
      changeSetAuthors.set(
        t,
        CHANGE_SET_AUTHORS[i % CHANGE_SET_AUTHORS.length],
      ),
    );

  // ---- Commit message order ----
  const ideas = [...COMMIT_IDEAS];
  for (let i = ideas.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [ideas[i], ideas[j]] = [ideas[j], ideas[i]];
  }

  let parentSha = sha1Hex(`${OWNER}/${REPO}:pre-window-head`);
  let prNumber = 212;
  let commitIndex = 0;
  const staged: Array<{ sha: string; at: number }> = [];
  const version = { minor: 2, patch: -1 };
  let chartVersion = '1.1.9';
  let lastProdSha = '';
  const run = (opts: {
    file: string;
    t: number;
    event: RunRecord['event'];
    sha: string;
    displayTitle: string;
    actor: string;
  }): RunRecord => {
    const wf = workflowByFile(opts.file);
    runNumbers[opts.file] += 1;
    const record: RunRecord = {
      id: w.nextRunId(),
      checkSuiteId: w.nextCheckSuiteId(),
      workflowId: wf.id,
      workflowFile: wf.file,
      name: wf.name,
      displayTitle: opts.displayTitle,
      runNumber: runNumbers[opts.file],
      runAttempt: 1,
      event: opts.event,
      status: 'queued',
      conclusion: null,
      headBranch: world.defaultBranch,
      headSha: opts.sha,
      actor: opts.actor,
      triggeringActor: opts.actor,
      createdAt: iso(opts.t),
      runStartedAt: iso(opts.t),
      updatedAt: iso(opts.t),
      jobs: [],
      approvals: [],
      deploymentIds: [],
    };
    world.runs.push(record);
    return record;
  };
  const finish = (r: RunRecord, at: number) => {
    r.status = 'completed';
    r.conclusion = r.jobs.every(j => j.conclusion === 'success')
      ? 'success'
      : 'failure';
    r.updatedAt = iso(at);
  };

  for (const plan of plans) {
    if (plan.kind === 'push') {
      const t = plan.t;
      const idea = ideas[commitIndex % ideas.length];
      const cycle = Math.floor(commitIndex / ideas.length);
      commitIndex++;
      const title =
        cycle === 0
          ? idea.title
          : `${idea.title.replace(
              /^(\w+)(\([^)]*\))?:/,
              'fix$2:',
            )} (follow-up)`;
      const author = changeSetAuthors.get(t) ?? rng.pick(ENGINEERS);
      const drawnStyle = rng.next();
      // change-set commits all come through squash-merged pull requests
      const style = changeSetAuthors.has(t) ? drawnStyle * 0.6 : drawnStyle;
      let message: string;
      let pr: number | undefined;
      if (style < 0.6) {
        pr = ++prNumber;
        message = `${title} (#${pr})\n\n${idea.body}`;
      } else if (style < 0.8) {
        pr = ++prNumber;
        message = `Merge pull request #${pr} from ${OWNER}/${idea.branch}\n\n${title}`;
      } else {
        message = `${title}\n\n${idea.body}`;
      }
      const sha = sha1Hex(`commit:${parentSha}:${message}:${t}`);
      const commit: CommitRecord = {
        sha,
        treeSha: sha1Hex(`tree:${sha}`),
        message,
        authorLogin: author,
        committerLogin: pr ? 'web-flow' : author,
        date: iso(t),
        parents: [parentSha],
        prNumber: pr,
        branch: pr ? idea.branch : undefined,
        additions: rng.int(4, 420),
        deletions: rng.int(0, 160),
      };
      world.commits.push(commit);
      parentSha = sha;
      const firstLine = message.split('\n')[0];

      // Test
      const testRun = run({
        file: WORKFLOW_FILES.test,
        t: t + rng.int(3, 9) * SECOND,
        event: 'push',
        sha,
        displayTitle: firstLine,
        actor: author,
      });
      const created = Date.parse(testRun.createdAt);
      const drawnFail = t !== lastPushT && rng.chance(0.09);
      const fails = forcedTestResult.get(t) ?? drawnFail;
      const failingPython = rng.pick(['3.11', '3.12', '3.13']);
      const jobSpecs: Array<[string, StepPlan[], number, string | undefined]> =
        [
          ['lint', LINT_STEPS, rng.int(70, 130), undefined],
          ...['3.11', '3.12', '3.13'].map(
            (py): [string, StepPlan[], number, string | undefined] => [
              `unit-tests (${py})`,
              unitTestSteps(py),
              rng.int(180, 330),
              fails && py === failingPython ? PYTEST_STEP : undefined,
            ],
          ),
          ['security-scan', SECURITY_STEPS, rng.int(90, 160), undefined],
        ];
      let testEnd = created;
      for (const [name, steps, duration, failStep] of jobSpecs) {
        const start = created + rng.int(8, 30) * SECOND;
        const end = start + duration * SECOND;
        testEnd = Math.max(testEnd, end);
        testRun.jobs.push(
          w.job({
            name,
            createdAt: created + 2 * SECOND,
            startedAt: start,
            completedAt: end,
            steps,
            failStep,
          }),
        );
      }
      finish(testRun, testEnd + rng.int(2, 6) * SECOND);
      if (testRun.conclusion !== 'success') continue;

      // Build
      const buildCreated =
        Date.parse(testRun.updatedAt) + rng.int(2, 8) * SECOND;
      const buildRun = run({
        file: WORKFLOW_FILES.build,
        t: buildCreated,
        event: 'workflow_run',
        sha,
        displayTitle: firstLine,
        actor: author,
      });
      const buildStart = buildCreated + rng.int(10, 30) * SECOND;
      const buildEnd = buildStart + rng.int(200, 320) * SECOND;
      buildRun.jobs.push(
        w.job({
          name: 'docker-build',
          createdAt: buildCreated + 2 * SECOND,
          startedAt: buildStart,
          completedAt: buildEnd,
          steps: dockerSteps(sha),
        }),
      );
      finish(buildRun, buildEnd + rng.int(2, 6) * SECOND);

      // Deploy to staging
      const deployCreated =
        Date.parse(buildRun.updatedAt) + rng.int(2, 8) * SECOND;
      const deployRun = run({
        file: WORKFLOW_FILES.deployStaging,
        t: deployCreated,
        event: 'workflow_run',
        sha,
        displayTitle: firstLine,
        actor: author,
      });
      deployRun.environment = 'staging';
      const jobStart = deployCreated + rng.int(8, 20) * SECOND;
      const jobEnd = jobStart + rng.int(140, 160) * SECOND;
      const job = w.job({
        name: 'deploy',
        createdAt: deployCreated + 2 * SECOND,
        startedAt: jobStart,
        completedAt: jobEnd,
        steps: stagingDeploySteps(),
        environment: 'staging',
      });
      deployRun.jobs.push(job);
      const deployment = w.createDeployment({
        sha,
        environment: 'staging',
        payload: {},
        at: jobStart + 25 * SECOND,
        runId: deployRun.id,
        jobId: job.id,
      });
      w.addStatus(deployment, 'in_progress', jobStart + 27 * SECOND);
      const helmAt = jobStart + 100 * SECOND;
      const first = world.helm[STAGING_NAMESPACE].length === 0;
      w.helmRecord(STAGING_NAMESPACE, {
        at: helmAt,
        status: 'deployed',
        description: first ? 'Install complete' : 'Upgrade complete',
        chartVersion,
        appVersion: sha,
        imageTag: sha,
        runId: deployRun.id,
      });
      if (!world.kubeDeployments[STAGING_NAMESPACE].createdAt) {
        world.kubeDeployments[STAGING_NAMESPACE].createdAt = iso(helmAt);
      }
      w.rollout(STAGING_NAMESPACE, sha, helmAt + 2 * SECOND, chartVersion);
      w.addStatus(deployment, 'success', jobStart + 130 * SECOND);
      finish(deployRun, jobEnd + rng.int(2, 6) * SECOND);
      staged.push({ sha, at: jobStart + 130 * SECOND });
      continue;
    }

    // Production deploy
    const P = plan.t;
    const candidate = staged.filter(s => s.at < P).slice(-1)[0];
    if (!candidate) continue;
    if (candidate.sha === lastProdSha && !plan.fail && !plan.manualRollback) {
      continue;
    }
    const sha = candidate.sha;
    if (version.patch >= 0 && rng.chance(0.25)) {
      version.minor += 1;
      version.patch = 0;
    } else {
      version.patch += 1;
    }
    const tag = `v1.${version.minor}.${version.patch}`;
    const semver = tag.slice(1);
    world.tags.push({ name: tag, sha, createdAt: iso(P - 2 * MINUTE) });
    const actor = rng.pick(ENGINEERS);
    const approver = rng.pick(APPROVERS.filter(a => a !== actor));
    const prodRun = run({
      file: WORKFLOW_FILES.deployProduction,
      t: P,
      event: 'workflow_dispatch',
      sha,
      displayTitle: `Deploy ${tag} to production`,
      actor,
    });
    prodRun.version = tag;
    prodRun.environment = 'production';
    const approvedAt = P + rng.int(4, 55) * MINUTE + rng.int(0, 59) * SECOND;
    prodRun.approvals.push({
      environment: 'production',
      state: 'approved',
      user: approver,
      comment: rng.pick(APPROVAL_COMMENTS),
      at: iso(approvedAt),
    });
    const jobStart = approvedAt + rng.int(3, 8) * SECOND;
    const helmAt = jobStart + 60 * SECOND;
    const jobEnd = plan.fail ? helmAt + 75 * SECOND : jobStart + 165 * SECOND;
    const job = w.job({
      name: 'deploy',
      createdAt: P + 3 * SECOND,
      startedAt: jobStart,
      completedAt: jobEnd,
      steps: productionDeploySteps(tag),
      environment: 'production',
      failStep: plan.fail ? HELM_UPGRADE_PRODUCTION_STEP : undefined,
    });
    prodRun.jobs.push(job);
    const deployment = w.createDeployment({
      sha,
      environment: 'production',
      payload: { version: tag, run_id: prodRun.id },
      at: jobStart + 20 * SECOND,
      runId: prodRun.id,
      jobId: job.id,
    });
    w.addStatus(deployment, 'in_progress', jobStart + 22 * SECOND);
    const prodHistory = world.helm[PRODUCTION_NAMESPACE];
    if (!world.kubeDeployments[PRODUCTION_NAMESPACE].createdAt) {
      world.kubeDeployments[PRODUCTION_NAMESPACE].createdAt = iso(helmAt);
    }
    if (plan.fail) {
      const previous = w.currentHelm(PRODUCTION_NAMESPACE);
      if (!previous) throw new Error('failed deploy needs a previous release');
      const failed = w.helmRecord(PRODUCTION_NAMESPACE, {
        at: helmAt,
        status: 'failed',
        description: 'Upgrade "lexecon" failed: context deadline exceeded',
        chartVersion: semver,
        appVersion: tag,
        imageTag: sha,
        runId: prodRun.id,
      });
      w.rollout(PRODUCTION_NAMESPACE, sha, helmAt + 2 * SECOND, semver);
      const rollback = w.helmRollback(
        PRODUCTION_NAMESPACE,
        previous.revision,
        helmAt + 60 * SECOND,
        prodRun.id,
      );
      w.addStatus(
        deployment,
        'failure',
        helmAt + 70 * SECOND,
        'Helm upgrade failed: readiness probe failed; rolled back',
      );
      finish(prodRun, jobEnd + 4 * SECOND);
      world.facts.failedProductionRunId = prodRun.id;
      world.facts.failedProductionDeploymentId = deployment.id;
      world.facts.failedProductionVersion = tag;
      world.facts.autoRollback = {
        namespace: PRODUCTION_NAMESPACE,
        failedRevision: failed.revision,
        rollbackRevision: rollback.revision,
        rolledBackTo: previous.revision,
      };
      continue;
    }
    const previous = w.currentHelm(PRODUCTION_NAMESPACE);
    w.helmRecord(PRODUCTION_NAMESPACE, {
      at: helmAt,
      status: 'deployed',
      description:
        prodHistory.length === 0 ? 'Install complete' : 'Upgrade complete',
      chartVersion: semver,
      appVersion: tag,
      imageTag: sha,
      runId: prodRun.id,
    });
    w.rollout(PRODUCTION_NAMESPACE, sha, helmAt + 2 * SECOND, semver);
    w.addStatus(deployment, 'success', jobStart + 150 * SECOND);
    finish(prodRun, jobEnd + 4 * SECOND);
    chartVersion = semver;
    lastProdSha = sha;
    world.facts.lastProductionSha = sha;
    world.facts.lastProductionVersion = tag;
    if (plan.manualRollback && previous) {
      const at = jobEnd + 3 * HOUR + rng.int(0, 50) * MINUTE;
      const rollback = w.helmRollback(
        PRODUCTION_NAMESPACE,
        previous.revision,
        at,
        null,
      );
      world.facts.manualRollback = {
        namespace: PRODUCTION_NAMESPACE,
        revision: rollback.revision,
        rolledBackTo: previous.revision,
        afterRunId: prodRun.id,
        by: ON_CALL,
        at: iso(at),
      };
    }
  }

  // ---- The production run waiting for approval now ----
  const latest = staged[staged.length - 1];
  world.facts.latestStagingSha = latest.sha;
  const P = nowMs - 40 * MINUTE;
  if (rng.chance(0.25)) {
    version.minor += 1;
    version.patch = 0;
  } else {
    version.patch += 1;
  }
  const tag = `v1.${version.minor}.${version.patch}`;
  world.tags.push({
    name: tag,
    sha: latest.sha,
    createdAt: iso(P - 2 * MINUTE),
  });
  const waiting = run({
    file: WORKFLOW_FILES.deployProduction,
    t: P,
    event: 'workflow_dispatch',
    sha: latest.sha,
    displayTitle: `Deploy ${tag} to production`,
    actor: WAITING_RUN_TRIGGERED_BY,
  });
  markWaiting(w, waiting, tag, P);
  world.facts.waitingRunId = waiting.id;
  world.facts.waitingRunVersion = tag;
  world.facts.waitingRunTriggeredBy = WAITING_RUN_TRIGGERED_BY;
  const base = world.commits.findIndex(
    c => c.sha === world.facts.lastProductionSha,
  );
  const changeSet = world.commits.slice(
    base + 1,
    world.commits.findIndex(c => c.sha === latest.sha) + 1,
  );
  world.facts.waitingRunAuthors = [
    ...new Set(changeSet.map(c => c.authorLogin)),
  ].sort();
  world.facts.waitingRunPullRequests = changeSet
    .map(c => c.prNumber)
    .filter((n): n is number => n !== undefined);
  const poorRun = world.runs.find(
    r => r.id === world.facts.failedProductionRunId,
  );
  if (!poorRun) throw new Error('the failed production run is missing');
  seedReadiness(world, { waitingSha: latest.sha, poorSha: poorRun.headSha });
  world.facts.waitingRunReadiness = readinessFacts(world, waiting);
  world.facts.poorReadiness = readinessFacts(world, poorRun);
  return world;
}
