// Mutation testing of the backend's decision logic: `npm run test:mutation` from the repo root.
// It takes several minutes (MUTATION.md has the figures), so it is not part of .ci/run.
import { createRequire } from 'node:module';

/** The mutated modules; each is tested by the test files beside it (`Foo.ts`, `Foo*.test.ts`). */
const MODULES = [
  'src/approvals/eligibility',
  'src/approvals/readiness',
  'src/approvals/AuditLog',
  'src/approvals/DecisionStore',
  'src/service/mergeDeploymentHistory',
  'src/service/reliabilityMath',
];

// What `backstage-cli repo test` sets before starting jest; the test processes inherit it.
process.env.NODE_ENV ??= 'test';
process.env.TZ ??= 'UTC';
// Database tests on sqlite only: PostgreSQL would multiply the run time without exercising the
// mutated code any differently.
process.env.BACKSTAGE_TEST_DISABLE_DOCKER = '1';
for (const name of Object.keys(process.env)) {
  if (name.startsWith('BACKSTAGE_TEST_DATABASE_')) delete process.env[name];
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: MODULES.map(module => `${module}.ts`),
  testRunner: 'jest',
  jest: {
    // Backstage's jest config, as `backstage-cli repo test` uses it; run from Stryker's sandbox
    // copy of this package, it resolves the sandbox as the package to test.
    projectType: 'custom',
    configFile: createRequire(import.meta.url).resolve(
      '@backstage/cli/config/jest',
    ),
    // The slow end-to-end suites (approvals.test.ts starts a sandbox and a backend per test)
    // would run for nearly every mutant; the tests beside each module are the ones that own it.
    config: { testMatch: MODULES.map(module => `**/${module}*.test.ts`) },
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { reportTests: false, logTests: false },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
};
