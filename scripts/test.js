#!/usr/bin/env node
// `npm test`: every unit, integration and component test, once (no watch mode).
// PostgreSQL runs too when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const result = spawnSync(
  path.join(root, 'node_modules/.bin/backstage-cli'),
  ['repo', 'test', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { CI: 'true', BACKSTAGE_TEST_DISABLE_DOCKER: '1', ...process.env },
  },
);
process.exit(result.status ?? 1);
