// Shared by scripts/e2e.js and test/bench/backend.ts.
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const backendDir = path.join(root, 'packages/backend');

/**
 * How to start the backend as `backstage-cli package start` does, but without its file watcher:
 * a change in the tree during a run must not restart the backend (and empty its in-memory
 * database). `configs` are paths from the repository root, loaded after app-config.yaml and
 * app-config.sandbox.yaml (the backend talks to the sandbox).
 */
function backendCommand(configs) {
  return {
    command: process.execPath,
    args: [
      // e.g. LEXECON_BACKEND_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile a run.
      ...(process.env.LEXECON_BACKEND_NODE_ARGS ?? '')
        .split(' ')
        .filter(Boolean),
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      ...['app-config.yaml', 'app-config.sandbox.yaml', ...configs].flatMap(
        config => [
          '--config',
          path.relative(backendDir, path.join(root, config)),
        ],
      ),
    ],
    cwd: backendDir,
    env: {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      ESBK_TSCONFIG_PATH: path.join(root, 'tsconfig.json'),
    },
  };
}

module.exports = { backendCommand };
