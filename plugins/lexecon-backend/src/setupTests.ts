import { failOnUnexpectedConsole } from '@internal/test-setup';

failOnUnexpectedConsole();

// The BigQuery client's HTTP layer loads node-fetch with import(), which Jest's module sandbox runs
// only under --experimental-vm-modules: that one module comes from Node's own loader instead.
jest.mock('@google-cloud/common/node_modules/teeny-request', () =>
  process.getBuiltinModule('node:module').createRequire(__filename)(
    '@google-cloud/common/node_modules/teeny-request',
  ),
);
