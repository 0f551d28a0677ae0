// Mutation testing of the backend's decision logic: `npm run test:mutation` from the repo root.
// It takes about half an hour on two cores (MUTATION.md), so it is not part of .ci/run.
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
// Database tests run on sqlite, and also on PostgreSQL when its connection string is exported
// (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING): slower, but it kills the audit log's
// mutants that only PostgreSQL notices (it returns bigint columns as strings). See MUTATION.md.
process.env.BACKSTAGE_TEST_DISABLE_DOCKER = '1';

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
