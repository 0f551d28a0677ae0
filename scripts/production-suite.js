#!/usr/bin/env node
/* eslint-disable no-console */
// `npm run test:production`: the production suite, on Node 22 and PostgreSQL. Builds the
// production workspace (`npm run build`; PRODUCTION_SKIP_BUILD=1 reuses dist-production/), then
// runs test/production: production backends started from dist-production/ exactly as the image
// starts them, against the sandbox, two replicas on one database, with crashes.
// PostgreSQL: LEXECON_TEST_POSTGRES, else BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { waitForPortFree } = require('./ports');

const root = path.resolve(__dirname, '..');

async function main() {
  const node22 = spawnSync(
    'bash',
    [path.join(__dirname, 'install-node22.sh')],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (node22.status !== 0) throw new Error('Could not install Node 22');
  const binDir = node22.stdout.trim();
  const env = {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    E2E_BASE_URL: 'http://localhost:7300',
  };
  const node = path.join(binDir, 'node');
  console.log(
    `Node ${spawnSync(node, ['--version'], {
      encoding: 'utf8',
    }).stdout.trim()}`,
  );

  if (process.env.PRODUCTION_SKIP_BUILD !== '1') {
    const build = spawnSync(
      node,
      [path.join(__dirname, 'build-production.js')],
      {
        cwd: root,
        env,
        stdio: 'inherit',
      },
    );
    if (build.status !== 0) throw new Error('The production build failed');
  }

  for (const port of [
    7100, 7101, 7102, 7103, 7104, 7105, 7106, 7199, 7300, 7301,
  ])
    await waitForPortFree(port, 90_000);
  fs.mkdirSync(path.join(root, 'test-results', 'production'), {
    recursive: true,
  });
  const only = process.argv.slice(2);
  const tests = fs
    .readdirSync(path.join(root, 'test/production'))
    .filter(f => f.endsWith('.test.ts'))
    .filter(f => !only.length || only.some(o => f.includes(o)))
    .map(f => path.join('test/production', f));
  const result = spawnSync(
    node,
    ['--import', 'tsx', '--test', '--test-concurrency=1', ...tests],
    { cwd: root, stdio: 'inherit', env },
  );
  return result.status ?? 1;
}

main()
  .then(code => process.exit(code))
  .catch(error => {
    console.error(error.message);
    process.exit(1);
  });
