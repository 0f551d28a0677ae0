// The production suite's cluster: the sandbox, and production backends (dist-production/, the
// image's contents, on the Node the suite runs with) sharing one PostgreSQL, each on its own port,
// each with its own log. Replicas can be killed with SIGKILL and started again.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { productionArgs } from '../../scripts/productionCommand';

export const root = path.resolve(__dirname, '../..');
export const CONTROL_URL = 'http://127.0.0.1:7199';
const DIST = path.join(root, 'dist-production');
const RESULTS = path.join(root, 'test-results', 'production');

/** Ports of the replicas, in order: the first is the one the browser and webhooks use. */
export const REPLICA_PORTS = [7300, 7301];

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Polls `probe` every 250 ms until it returns a value, for at most `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  throw new Error(
    `${what}: not within ${timeoutMs / 1000}s${
      lastError ? ` (last error: ${(lastError as Error).message})` : ''
    }`,
  );
}

function pgConnection(): URL {
  const raw =
    process.env.LEXECON_TEST_POSTGRES ??
    Object.entries(process.env).find(([key]) =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
    )?.[1];
  assert.ok(
    raw,
    'The production suite needs PostgreSQL: set LEXECON_TEST_POSTGRES (postgresql://user@host:port)',
  );
  return new URL(raw);
}

/** One log line of a production backend (JSON, as Backstage logs in production). */
export interface LogLine {
  level?: string;
  message?: string;
  plugin?: string;
  timestamp?: string;
  [key: string]: unknown;
}

export class Replica {
  process?: ChildProcess;
  private output = '';
  private stamped: Array<{ at: number; line: string }> = [];
  private exited?: Promise<void>;
  readonly url: string;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly args: string[],
    readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {
    this.url = `http://localhost:${port}`;
  }

  start() {
    assert.ok(!this.process, `${this.name} is already running`);
    const child = spawn(process.execPath, this.args, {
      cwd: DIST,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = fs.createWriteStream(this.logFile, { flags: 'a' });
    let partial = '';
    const append = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.output += text;
      log.write(chunk);
      // Production logs carry no timestamp: each line is stamped when it arrives.
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      const at = Date.now();
      for (const line of parts) this.stamped.push({ at, line });
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    this.exited = new Promise(resolve =>
      child.on('exit', () => {
        log.end();
        resolve();
      }),
    );
    this.process = child;
  }

  async ready(timeoutMs = 120_000) {
    await eventually(
      `${this.name} ready at ${this.url}`,
      async () => {
        if (this.process?.exitCode !== null) {
          throw new Error(
            `${this.name} exited; last output:\n${this.output.slice(-3000)}`,
          );
        }
        const response = await fetch(
          `${this.url}/.backstage/health/v1/readiness`,
        );
        return response.ok;
      },
      timeoutMs,
    );
  }

  /** SIGKILL: no shutdown hook runs, as when a node or a container dies. */
  async kill() {
    const child = this.process;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
    this.process = undefined;
  }

  /** SIGTERM, as Kubernetes stops a pod; SIGKILL after 30 s. */
  async stop() {
    const child = this.process;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
    this.process = undefined;
  }

  /** Every JSON log line so far (non-JSON lines, e.g. the config banner, are skipped). */
  lines(): Array<LogLine & { receivedAt: number }> {
    return this.stamped
      .filter(({ line }) => line.startsWith('{'))
      .flatMap(({ at, line }) => {
        try {
          return [{ ...(JSON.parse(line) as LogLine), receivedAt: at }];
        } catch {
          return [];
        }
      });
  }

  /** The raw output, for assertions about what must never be printed. */
  text() {
    return this.output;
  }
}

export interface ClusterOptions {
  /** Test file's name: its database prefix and log folder. */
  name: string;
  replicas?: number;
  /**
   * `start-production`: through scripts/start-production.js, as `npm run start:production` runs
   * (SIGTERM is passed on; SIGKILL would reach the script only). Default: `node` directly, as the
   * image's entry point runs.
   */
  launcher?: 'node' | 'start-production';
  /** Extra configuration for every replica, merged over the production configuration. */
  config?: Record<string, unknown>;
}

export interface Cluster {
  replicas: Replica[];
  secrets: { webhook: string };
  sandbox: ChildProcess;
  /** The replicas' `backend.database.prefix`: each plugin's database is `<prefix><pluginId>`. */
  databasePrefix: string;
  /** Drops the cluster's databases and stops everything. */
  stop(): Promise<void>;
  control(pathname: string, init?: RequestInit): Promise<Response>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  assert.ok(
    fs.existsSync(path.join(DIST, 'packages/backend/dist/index.cjs.js')),
    'dist-production/ is missing: run `npm run build` first',
  );
  const logDir = path.join(RESULTS, options.name);
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexecon-sandbox-'));
  const pg = pgConnection();
  const prefix = `lexecon_${options.name.replace(/\W/g, '_')}_${randomBytes(
    3,
  ).toString('hex')}_`;
  const random = () => randomBytes(24).toString('hex');
  const secrets = { webhook: `whsec-${random()}` };
  const count = options.replicas ?? 2;
  const ports = REPLICA_PORTS.slice(0, count);

  const sandboxLog = fs.createWriteStream(path.join(logDir, 'sandbox.log'));
  const sandbox = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    ['packages/sandbox/src/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        SANDBOX_STATE_DIR: stateDir,
        SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${ports[0]}/api/events/http/github`,
        SANDBOX_WEBHOOK_SECRET: secrets.webhook,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  sandbox.stdout!.pipe(sandboxLog);
  sandbox.stderr!.pipe(sandboxLog);
  await eventually('the sandbox', async () => {
    if (sandbox.exitCode !== null) {
      throw new Error(`the sandbox exited (log: ${logDir}/sandbox.log)`);
    }
    return (await fetch(`${CONTROL_URL}/healthz`)).ok;
  });

  // The production configuration's variables: the same for every replica, as one Secret and one
  // ConfigMap are in Kubernetes. Secrets are fresh random values (production refuses the
  // sandbox's); the upstream tokens are the sandbox's own.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    APP_BASE_URL: `http://localhost:${ports[0]}`,
    BACKEND_BASE_URL: `http://localhost:${ports[0]}`,
    AUTH_SESSION_SECRET: random(),
    LEXECON_AUDIT_HMAC_KEY: random(),
    GITHUB_WEBHOOK_SECRET: secrets.webhook,
    POSTGRES_HOST: pg.hostname,
    POSTGRES_PORT: pg.port || '5432',
    POSTGRES_USER: decodeURIComponent(pg.username || 'postgres'),
    POSTGRES_PASSWORD: decodeURIComponent(pg.password) || 'unused-with-trust',
    GITHUB_TOKEN: 'sandbox-github-token',
    AUTH_GITHUB_CLIENT_ID: 'sandbox-client-id',
    AUTH_GITHUB_CLIENT_SECRET: 'sandbox-client-secret',
    AUTH_OIDC_METADATA_URL:
      'http://127.0.0.1:7105/.well-known/openid-configuration',
    AUTH_OIDC_CLIENT_ID: 'sandbox-oidc-client-id',
    AUTH_OIDC_CLIENT_SECRET: 'sandbox-oidc-client-secret',
    SANDBOX_GITHUB_PORT: '7100',
    SANDBOX_KUBERNETES_PORT: '7101',
    SANDBOX_DATADOG_PORT: '7103',
    SANDBOX_HEALTH_PORT: '7104',
    CATALOG_FILE: path.join(root, 'catalog-info.yaml'),
    K8S_TOKEN: 'sandbox-kube-token',
    K8S_CA_FILE: path.join(stateDir, 'ca.pem'),
    UNLEASH_URL: 'http://127.0.0.1:7102',
    UNLEASH_API_TOKEN: 'user:sandbox-unleash-admin-token',
    DATADOG_API_KEY: 'sandbox-datadog-api-key',
    DATADOG_APPLICATION_KEY: 'sandbox-datadog-application-key',
    AWS_ACCESS_KEY_ID: 'AKIASANDBOXLEXECON01',
    AWS_SECRET_ACCESS_KEY: 'sandbox-aws-secret-access-key',
    OPENCOST_URL: 'http://127.0.0.1:7107',
  };

  const sandboxOverlay = path.join(
    root,
    'test/production/app-config.production-sandbox.yaml',
  );
  const replicas = ports.map((port, index) => {
    const name = `replica-${String.fromCharCode(97 + index)}`;
    // JSON is YAML: the replica's own listen port over the shared configuration.
    const overlay = path.join(logDir, `${name}.config.yaml`);
    fs.writeFileSync(
      overlay,
      JSON.stringify(
        {
          backend: {
            listen: { port, host: '127.0.0.1' },
            database: { prefix },
          },
          ...(options.config ?? {}),
        },
        null,
        2,
      ),
    );
    return new Replica(
      name,
      port,
      options.launcher === 'start-production'
        ? [
            path.join(root, 'scripts/start-production.js'),
            ...[sandboxOverlay, overlay].flatMap(c => ['--config', c]),
          ]
        : productionArgs([sandboxOverlay, overlay]),
      env,
      path.join(logDir, `${name}.log`),
    );
  });
  // One after the other: the first runs the migrations, as a rollout's first pod does.
  for (const replica of replicas) {
    replica.start();
    await replica.ready();
  }

  const control = (pathname: string, init?: RequestInit) =>
    fetch(`${CONTROL_URL}${pathname}`, init);

  return {
    replicas,
    secrets,
    sandbox,
    databasePrefix: prefix,
    control,
    async stop() {
      await Promise.all(replicas.map(r => r.stop()));
      sandbox.kill('SIGTERM');
      await dropDatabases(pg, prefix);
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The cluster's databases (one per plugin, named by the prefix) are dropped after the file. */
async function dropDatabases(pg: URL, prefix: string) {
  // knex and pg are the backend's own dependencies; the suite borrows them.
  const { default: knexFactory } = await import('knex');
  const admin = knexFactory({
    client: 'pg',
    connection: {
      host: pg.hostname,
      port: Number(pg.port || 5432),
      user: decodeURIComponent(pg.username || 'postgres'),
      password: decodeURIComponent(pg.password),
      database: 'postgres',
    },
  });
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows as Array<{ datname: string }>) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}

/** A knex client on one of the cluster's plugin databases (e.g. `lexecon`); destroy it after. */
export async function pluginDatabase(cluster: Cluster, plugin: string) {
  const pg = pgConnection();
  const { default: knexFactory } = await import('knex');
  return knexFactory({
    client: 'pg',
    connection: {
      host: pg.hostname,
      port: Number(pg.port || 5432),
      user: decodeURIComponent(pg.username || 'postgres'),
      password: decodeURIComponent(pg.password),
      database: `${cluster.databasePrefix}${plugin}`,
    },
  });
}
