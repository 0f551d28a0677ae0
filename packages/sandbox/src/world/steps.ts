import { SandboxWorld } from './types';
import { StepPlan } from './writer';

/** One job of the test workflow, its steps, and how long it runs. */
export interface TestJobPlan {
  name: string;
  steps: StepPlan[];
  /** Duration range in seconds. */
  seconds: [number, number];
  /** Set on the jobs a red run can fail in: the step that fails. */
  failStep?: string;
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

const unitTestJob = (python: string): TestJobPlan => ({
  name: `unit-tests (${python})`,
  steps: unitTestSteps(python),
  seconds: [180, 330],
  failStep: PYTEST_STEP,
});

/** Lint, unit tests on three Pythons and a security scan (Lexecon's own test.yml). */
export function fullTestJobs(): TestJobPlan[] {
  return [
    { name: 'lint', steps: LINT_STEPS, seconds: [70, 130] },
    ...['3.11', '3.12', '3.13'].map(unitTestJob),
    { name: 'security-scan', steps: SECURITY_STEPS, seconds: [90, 160] },
  ];
}

/** Lint and one unit-test job: the small pipeline of a generated service. */
export function compactTestJobs(): TestJobPlan[] {
  return [
    { name: 'lint', steps: LINT_STEPS, seconds: [70, 130] },
    unitTestJob('3.12'),
  ];
}

export function dockerSteps(world: SandboxWorld, sha: string): StepPlan[] {
  return [
    { name: 'Set up job', weight: 2 },
    { name: 'Run actions/checkout@v4', weight: 2 },
    { name: 'Set up Docker Buildx', weight: 4 },
    { name: 'Log in to ghcr.io', weight: 1 },
    {
      name: `Build and push ${world.profile.imageRepository}:${sha.slice(
        0,
        7,
      )}`,
      weight: 60,
    },
    { name: 'Complete job', weight: 1 },
  ];
}

export function helmUpgradeStagingStep(world: SandboxWorld): string {
  return `helm upgrade --install ${world.releaseName} ./chart -n ${world.namespaces.staging} --wait`;
}

export function helmUpgradeProductionStep(world: SandboxWorld): string {
  return `helm upgrade --install ${world.releaseName} ./chart -n ${world.namespaces.production} --atomic --wait --timeout 60s`;
}

export function stagingDeploySteps(world: SandboxWorld): StepPlan[] {
  return [
    { name: 'Set up job', weight: 2 },
    { name: 'Run actions/checkout@v4', weight: 2 },
    { name: 'Configure kubectl', weight: 3 },
    { name: helmUpgradeStagingStep(world), weight: 50 },
    { name: 'Smoke test /health', weight: 6 },
    { name: 'Complete job', weight: 1 },
  ];
}

export function productionDeploySteps(
  world: SandboxWorld,
  version: string,
): StepPlan[] {
  return [
    { name: 'Set up job', weight: 2 },
    { name: 'Run actions/checkout@v4', weight: 2 },
    { name: 'Configure kubectl', weight: 3 },
    { name: `Verify tag ${version}`, weight: 1 },
    { name: helmUpgradeProductionStep(world), weight: 50 },
    { name: 'Smoke test /health', weight: 6 },
    { name: 'Complete job', weight: 1 },
  ];
}
