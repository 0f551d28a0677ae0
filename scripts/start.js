#!/usr/bin/env node
/* eslint-disable no-console */
// `npm start`: install what is missing, then run the sandbox, the backend and the app together,
// configured for the sandbox (app-config.yaml + app-config.sandbox.yaml, then any `--config` given).
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
process.chdir(root);

function needsInstall() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker)) return true;
  return (
    fs.statSync(path.join(root, 'package-lock.json')).mtimeMs >
    fs.statSync(marker).mtimeMs
  );
}

if (needsInstall()) {
  console.log('Installing dependencies (first run takes a few minutes)...');
  const result = spawnSync('npm', ['install'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const children = [];
function run(name, command, args) {
  const child = spawn(command, args, { stdio: 'inherit', env: process.env });
  child.on('exit', code => {
    console.log(`${name} exited with ${code}`);
    shutdown(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function waitForSandbox() {
  const url = `http://127.0.0.1:${
    process.env.SANDBOX_CONTROL_PORT ?? 7199
  }/healthz`;
  for (let i = 0; i < 120; i++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`The sandbox did not become ready at ${url}`);
}

(async () => {
  run('sandbox', path.join(root, 'node_modules/.bin/tsx'), [
    'packages/sandbox/src/main.ts',
  ]);
  await waitForSandbox();
  run('backstage', path.join(root, 'node_modules/.bin/backstage-cli'), [
    'repo',
    'start',
    ...['app-config.yaml', 'app-config.sandbox.yaml'].flatMap(config => [
      '--config',
      config,
    ]),
    ...process.argv.slice(2),
  ]);
})().catch(error => {
  console.error(error.message);
  shutdown(1);
});
