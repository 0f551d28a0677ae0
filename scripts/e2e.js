#!/usr/bin/env node
/* eslint-disable no-console */
// `npm run test:e2e`: build the app, start the sandbox and the backend (which serves the app),
// then drive Debian's chromium through the end-to-end tests in test/e2e.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { waitForPortFree } = require('./ports');
const { backendCommand } = require('./backendCommand');

const root = path.resolve(__dirname, '..');
const bin = name => path.join(root, 'node_modules/.bin', name);
const children = [];

function startProcess(name, command, args, options = {}) {
  // The child writes to the file itself: the tests run through spawnSync, which blocks this
  // process, so output piped through it would only reach the log after the run (or never).
  const log = fs.openSync(path.join(root, 'test-results', `${name}.log`), 'w');
  const child = spawn(command, args, {
    cwd: root,
    env: process.env,
    detached: true,
    stdio: ['ignore', log, log],
    ...options,
  });
  fs.closeSync(log);
  children.push(child);
  return child;
}

function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

async function waitFor(url, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(
    `${what} did not become ready at ${url} within ${timeoutMs / 1000}s`,
  );
}

async function main() {
  fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
  // E2E_SKIP_BUILD=1 reuses packages/app/dist while iterating on the tests themselves.
  if (process.env.E2E_SKIP_BUILD !== '1') {
    // The build lists every chunk it writes (hundreds of lines): that goes to its own log.
    const buildLog = path.join(root, 'test-results', 'app-build.log');
    console.log(`Building the app (log: ${path.relative(root, buildLog)})...`);
    // The sandbox's frontend config, as `npm start` has it (the backend injects its own at run time).
    const configs = ['app-config.yaml', 'app-config.sandbox.yaml'].flatMap(
      config => ['--config', path.join(root, config)],
    );
    const build = spawnSync(
      bin('backstage-cli'),
      ['package', 'build', ...configs],
      {
        cwd: path.join(root, 'packages/app'),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    fs.writeFileSync(buildLog, `${build.stdout ?? ''}${build.stderr ?? ''}`);
    if (build.status !== 0) {
      console.error(
        fs.readFileSync(buildLog, 'utf8').split('\n').slice(-40).join('\n'),
      );
      throw new Error('App build failed');
    }
  }

  for (const port of [7007, 7100, 7105, 7106, 7199])
    await waitForPortFree(port, 90_000);
  startProcess('sandbox', bin('tsx'), ['packages/sandbox/src/main.ts']);
  await waitFor('http://127.0.0.1:7199/healthz', 'The sandbox', 60_000);
  const backend = backendCommand(['test/e2e/app-config.e2e.yaml']);
  startProcess('backend', backend.command, backend.args, {
    cwd: backend.cwd,
    env: backend.env,
  });
  await waitFor(
    'http://127.0.0.1:7007/.backstage/health/v1/readiness',
    'The backend',
    180_000,
  );

  // `npm run test:e2e -- costs accessibility` runs only the files whose names contain one of them.
  const only = process.argv.slice(2);
  const tests = fs
    .readdirSync(path.join(root, 'test/e2e'))
    .filter(f => f.endsWith('.test.ts'))
    .filter(f => !only.length || only.some(name => f.includes(name)))
    .map(f => path.join('test/e2e', f));
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', ...tests],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, E2E_BASE_URL: 'http://localhost:7007' },
    },
  );
  return result.status ?? 1;
}

main()
  .then(code => {
    stopAll();
    process.exit(code);
  })
  .catch(error => {
    console.error(error.message);
    console.error(
      'Logs are in test-results/sandbox.log and test-results/backend.log',
    );
    stopAll();
    process.exit(1);
  });
