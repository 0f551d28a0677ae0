/**
 * One real backend for the bench, started the way `backstage-cli package start` starts it but
 * without its file watcher: other work in the tree must not restart the backend mid-run (which
 * would also empty its in-memory database). Signed in as the bench's guest, with the catalog
 * entities it needs ingested.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_PORTS,
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '@internal/sandbox';
import { backendCommand } from '../../scripts/backendCommand';
import { waitForPortFree } from '../../scripts/ports';
import { REQUEST_TIMEOUT_MS } from './measure';

export const BACKEND_URL = 'http://127.0.0.1:7007';
const root = path.resolve(__dirname, '../..');
const START_TIMEOUT_MS = 300_000;
const CATALOG_TIMEOUT_MS = 120_000;

export interface BenchBackend {
  url: string;
  /** The guest session's headers (a release approver, see app-config.bench.yaml). */
  headers: Record<string, string>;
  /** The backend's log file, for when something fails. */
  logFile: string;
  /** The backend's process group, for measuring its memory. */
  pid: number;
}

/**
 * The sandbox on every port app-config.sandbox.yaml points the backend at (`DEFAULT_PORTS`: GitHub
 * 7100 to Slack 7109, control 7199), with `options` on top. A port left out would leave a source
 * failing, or the Slack processor retrying, for the whole run.
 */
export function startBenchSandbox(
  options: Omit<SandboxOptions, `${string}Port` | 'stateDir' | 'quiet'> = {},
): Promise<Sandbox> {
  return startSandbox({
    ...DEFAULT_PORTS,
    stateDir: path.join(root, '.sandbox'),
    quiet: true,
    ...options,
  });
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Starts a backend with app-config.yaml, app-config.sandbox.yaml and `configs` (paths relative
 * to this folder), runs `body` against it and stops it, whatever `body` does.
 */
export async function withBackend<T>(
  options: { configs: string[]; logName: string; entities: string[] },
  body: (backend: BenchBackend) => Promise<T>,
): Promise<T> {
  await waitForPortFree(7007);
  mkdirSync(path.join(root, 'test-results'), { recursive: true });
  const logFile = path.join(root, 'test-results', options.logName);
  const log = openSync(logFile, 'w');
  const backend = backendCommand(
    // Relative to this folder, or absolute (a config the bench wrote).
    options.configs.map(c => path.relative(root, path.resolve(__dirname, c))),
  );
  const child = spawn(backend.command, backend.args, {
    cwd: backend.cwd,
    env: backend.env,
    stdio: ['ignore', log, log],
    // Its own process group, so stopping it stops anything it starts.
    detached: true,
  });
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`The backend exited during start-up (see ${logFile})`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `The backend did not become ready within ${
            START_TIMEOUT_MS / 1000
          } s (see ${logFile})`,
        );
      }
      const ready = await fetch(
        `${BACKEND_URL}/.backstage/health/v1/readiness`,
        { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
      ).then(
        r => r.ok,
        () => false,
      );
      if (ready) break;
      await sleep(500);
    }
    const session = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }).then(r => r.json());
    const headers = {
      Authorization: `Bearer ${session.backstageIdentity.token}`,
    };
    await waitForEntities(headers, options.entities, logFile);
    return await body({ url: BACKEND_URL, headers, logFile, pid: child.pid! });
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already stopped
    }
    await waitForPortFree(7007);
  }
}

/** The catalog ingests its locations shortly after start-up. */
async function waitForEntities(
  headers: Record<string, string>,
  names: string[],
  logFile: string,
) {
  const deadline = Date.now() + CATALOG_TIMEOUT_MS;
  for (const name of names) {
    for (;;) {
      const response = await fetch(
        `${BACKEND_URL}/api/catalog/entities/by-name/component/default/${name}`,
        { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
      );
      await response.arrayBuffer();
      if (response.ok) break;
      if (Date.now() > deadline) {
        throw new Error(
          `The catalog has no component ${name} after ${
            CATALOG_TIMEOUT_MS / 1000
          } s (see ${logFile})`,
        );
      }
      await sleep(500);
    }
  }
}
