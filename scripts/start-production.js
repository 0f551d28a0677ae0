#!/usr/bin/env node
/* eslint-disable no-console */
// `npm run start:production [-- --config <file>...]`: the built backend (dist-production/, made by
// `npm run build`) with NODE_ENV=production, serving the built app. No dev server, no webpack and
// no TypeScript loader: plain `node` on compiled JavaScript, as in the image. The configuration is
// app-config.yaml then app-config.production.yaml (copied into dist-production/ by the build),
// then every `--config` given, relative to the current directory.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { productionArgs } = require('./productionCommand');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist-production');
const entry = path.join(dist, 'packages/backend/dist/index.cjs.js');
if (!fs.existsSync(entry)) {
  console.error(`${entry} is missing: run \`npm run build\` first.`);
  process.exit(1);
}

const extra = [];

const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--config' && argv[i + 1]) {
    extra.push(path.resolve(argv[++i]));
  } else {
    console.error(
      `Unknown argument ${argv[i]} (only --config <file> is accepted)`,
    );
    process.exit(2);
  }
}

const child = spawn(process.execPath, productionArgs(extra), {
  cwd: dist,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
