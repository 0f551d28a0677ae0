#!/usr/bin/env node
/* eslint-disable no-console */
// `npm run build`: the production build. Compiles the app's static bundle and the backend side
// (packages/backend, plugins/lexecon-backend, plugins/lexecon-common) to JavaScript, then
// assembles `dist-production/`: a workspace holding only what the backend runs, with production
// dependencies installed by npm. That folder is what the Dockerfile copies into the image and what
// `npm run start:production` and the replica suite start, so CI runs the image's contents.
//
// Why not `backstage-cli package build` in packages/backend: for the `backend` role it goes on to
// pack a yarn workspace (it spawns `yarn pack`), which fails on npm. The same CLI build with
// `--role cli` writes exactly the first step's output (dist/*.cjs.js, no type declarations), and
// `npm pack` + `npm install --omit=dev` replace the yarn packing.
//
// Flags: --skip-app reuses packages/app/dist (already built by the caller).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist-production');
const skipApp = process.argv.includes('--skip-app');

/** The workspaces the production backend runs, with how each is packed. */
const PACKAGES = [
  { dir: 'packages/app', bundled: true },
  { dir: 'plugins/lexecon-common' },
  { dir: 'plugins/lexecon-backend' },
  { dir: 'packages/backend' },
];

/**
 * Dependencies the production backend does not load: it runs on PostgreSQL only (productionConfig
 * refuses anything else), so the sqlite driver and the native build tool stay out of the image.
 */
const DROPPED_DEPENDENCIES = {
  'packages/backend': ['better-sqlite3', 'node-gyp'],
};

function run(command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    stdio: options.log ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  if (options.log) {
    fs.writeFileSync(
      options.log,
      `${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  if (result.status !== 0) {
    if (options.log) {
      console.error(
        fs.readFileSync(options.log, 'utf8').split('\n').slice(-40).join('\n'),
      );
    }
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${result.status}) in ${
        options.cwd ?? root
      }`,
    );
  }
  return Date.now() - started;
}

const cli = path.join(root, 'node_modules/.bin/backstage-cli');

function step(name, fn) {
  const started = Date.now();
  process.stdout.write(`${name}... `);
  fn();
  console.log(`${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** package.json as packed for production: publishConfig applied, dev-only fields gone. */
function productionManifest(dir, manifest, bundled) {
  const result = { ...manifest };
  Object.assign(result, manifest.publishConfig ?? {});
  for (const field of [
    'publishConfig',
    'devDependencies',
    'scripts',
    'types',
    'module',
  ]) {
    delete result[field];
  }
  delete result.access;
  if (bundled) {
    // The app's dependencies are compiled into its static bundle.
    delete result.dependencies;
  }
  const dropped = DROPPED_DEPENDENCIES[dir] ?? [];
  if (result.dependencies) {
    result.dependencies = Object.fromEntries(
      Object.entries(result.dependencies).filter(
        ([name]) => !dropped.includes(name),
      ),
    );
  }
  return result;
}

function main() {
  const logs = path.join(root, 'test-results');
  fs.mkdirSync(logs, { recursive: true });

  if (!skipApp) {
    step('Building the app (log: test-results/production-app-build.log)', () =>
      run(cli, ['package', 'build'], {
        cwd: path.join(root, 'packages/app'),
        log: path.join(logs, 'production-app-build.log'),
      }),
    );
  }
  for (const { dir } of PACKAGES.filter(p => !p.bundled)) {
    step(`Compiling ${dir}`, () =>
      run(cli, ['package', 'build', '--role', 'cli'], {
        cwd: path.join(root, dir),
        log: path.join(logs, `production-${path.basename(dir)}-build.log`),
      }),
    );
  }

  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexecon-pack-'));
  try {
    step('Packing the workspaces (npm pack)', () => {
      for (const { dir, bundled } of PACKAGES) {
        const source = path.join(root, dir);
        const result = spawnSync(
          'npm',
          ['pack', '--json', '--pack-destination', packDir],
          { cwd: source, encoding: 'utf8' },
        );
        if (result.status !== 0) {
          throw new Error(`npm pack failed in ${dir}: ${result.stderr}`);
        }
        const [{ filename }] = JSON.parse(result.stdout);
        const target = path.join(out, dir);
        fs.mkdirSync(target, { recursive: true });
        run('tar', [
          '-xzf',
          path.join(packDir, filename),
          '-C',
          target,
          '--strip-components=1',
        ]);
        const manifestPath = path.join(target, 'package.json');
        const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
        // The backend validates its configuration against every package's schema at start.
        const schema = manifest.configSchema;
        if (
          typeof schema === 'string' &&
          !fs.existsSync(path.join(target, schema))
        ) {
          fs.copyFileSync(path.join(source, schema), path.join(target, schema));
        }
        // npm pack always includes `main` (src/index.ts); production runs dist/ only.
        if (manifest.publishConfig?.main?.startsWith('dist/')) {
          fs.rmSync(path.join(target, 'src'), { recursive: true, force: true });
        }
        fs.writeFileSync(
          manifestPath,
          `${JSON.stringify(
            productionManifest(dir, manifest, bundled),
            null,
            2,
          )}\n`,
        );
      }
    });
  } finally {
    fs.rmSync(packDir, { recursive: true, force: true });
  }

  const rootManifest = JSON.parse(
    fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
  );
  fs.writeFileSync(
    path.join(out, 'package.json'),
    `${JSON.stringify(
      {
        name: 'lexecon-portal-production',
        version: rootManifest.version,
        private: true,
        // What the production build and the replica suite run on.
        engines: { node: '22' },
        workspaces: PACKAGES.map(p => p.dir),
        overrides: rootManifest.overrides,
      },
      null,
      2,
    )}\n`,
  );
  // The repository's lock file pins the same versions the tests ran with; npm drops what the
  // production workspaces do not need.
  fs.copyFileSync(
    path.join(root, 'package-lock.json'),
    path.join(out, 'package-lock.json'),
  );
  for (const config of ['app-config.yaml', 'app-config.production.yaml']) {
    fs.copyFileSync(path.join(root, config), path.join(out, config));
  }

  step(
    'Installing production dependencies (npm install --omit=dev, log: test-results/production-install.log)',
    () =>
      run(
        'npm',
        [
          'install',
          '--omit=dev',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--loglevel=error',
        ],
        { cwd: out, log: path.join(logs, 'production-install.log') },
      ),
  );

  const native = spawnSync(
    'find',
    [path.join(out, 'node_modules'), '-name', '*.node', '-type', 'f'],
    { encoding: 'utf8' },
  ).stdout.trim();
  if (native) {
    console.log(`Native addons in the production workspace:\n${native}`);
  }
  const size = spawnSync('du', ['-sh', out], { encoding: 'utf8' }).stdout;
  console.log(`dist-production: ${size.split('\t')[0]}`);
}

try {
  main();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
