import { failOnUnexpectedConsole } from '@internal/test-setup';

failOnUnexpectedConsole();

// These tests run real servers and databases (the sandbox, SQLite, PostgreSQL): Jest's default of
// 5 s a test is a speed assertion that fails whenever the machine is busy (a cost-analysis test
// once took longer on a loaded CI machine). Speed is the benchmark's to measure; this only stops a
// test that hangs.
jest.setTimeout(60_000);

// The BigQuery client's HTTP layer loads node-fetch with import(), which Jest's module sandbox runs
// only under --experimental-vm-modules: that one module comes from Node's own loader instead.
jest.mock('@google-cloud/common/node_modules/teeny-request', () =>
  process.getBuiltinModule('node:module').createRequire(__filename)(
    '@google-cloud/common/node_modules/teeny-request',
  ),
);
