/* eslint-disable no-console */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_PORTS, MAX_GENERATED_SERVICES, startSandbox } from './index';

function repoRoot(): string {
  let dir = resolve(process.cwd());
  for (;;) {
    const parent = dirname(dir);
    if (existsSync(join(dir, 'backstage.json')) || parent === dir) return dir;
    dir = parent;
  }
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number, got "${raw}"`);
  }
  return value;
}

/** Scale mode's service count: `--services N` (or `--services=N`), else `SANDBOX_SERVICES`. */
function generatedServices(argv: string[]): number {
  const flag = argv.findIndex(
    a => a === '--services' || a.startsWith('--services='),
  );
  let raw = process.env.SANDBOX_SERVICES;
  if (flag >= 0) {
    raw = argv[flag].includes('=') ? argv[flag].split('=')[1] : argv[flag + 1];
  }
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > MAX_GENERATED_SERVICES) {
    throw new Error(
      `--services (SANDBOX_SERVICES) must be a whole number from 0 to ${MAX_GENERATED_SERVICES}, got "${raw}"`,
    );
  }
  return value;
}

async function main() {
  const stateDir =
    process.env.SANDBOX_STATE_DIR ?? join(repoRoot(), '.sandbox');
  const sandbox = await startSandbox({
    host: process.env.SANDBOX_HOST ?? '127.0.0.1',
    githubPort: port('SANDBOX_GITHUB_PORT', DEFAULT_PORTS.githubPort),
    kubernetesPort: port(
      'SANDBOX_KUBERNETES_PORT',
      DEFAULT_PORTS.kubernetesPort,
    ),
    controlPort: port('SANDBOX_CONTROL_PORT', DEFAULT_PORTS.controlPort),
    unleashPort: port('SANDBOX_UNLEASH_PORT', DEFAULT_PORTS.unleashPort),
    datadogPort: port('SANDBOX_DATADOG_PORT', DEFAULT_PORTS.datadogPort),
    healthPort: port('SANDBOX_HEALTH_PORT', DEFAULT_PORTS.healthPort),
    oidcPort: port('SANDBOX_OIDC_PORT', DEFAULT_PORTS.oidcPort),
    awsPort: port('SANDBOX_AWS_PORT', DEFAULT_PORTS.awsPort),
    opencostPort: port('SANDBOX_OPENCOST_PORT', DEFAULT_PORTS.opencostPort),
    bigqueryPort: port('SANDBOX_BIGQUERY_PORT', DEFAULT_PORTS.bigqueryPort),
    slackPort: port('SANDBOX_SLACK_PORT', DEFAULT_PORTS.slackPort),
    now: process.env.SANDBOX_NOW
      ? new Date(process.env.SANDBOX_NOW)
      : undefined,
    stateDir,
    quiet: true,
    services: generatedServices(process.argv.slice(2)),
    oauth: {
      clientId: process.env.SANDBOX_OAUTH_CLIENT_ID || undefined,
      clientSecret: process.env.SANDBOX_OAUTH_CLIENT_SECRET || undefined,
    },
    webhooks:
      process.env.SANDBOX_WEBHOOK_URL === 'off'
        ? undefined
        : {
            url:
              process.env.SANDBOX_WEBHOOK_URL ||
              'http://127.0.0.1:7007/api/events/http/github',
            secret:
              process.env.SANDBOX_WEBHOOK_SECRET || 'sandbox-webhook-secret',
          },
    gates: {
      production:
        process.env.SANDBOX_PRODUCTION_GATE === 'custom-rule'
          ? 'custom-rule'
          : 'required-reviewers',
    },
  });
  const w = sandbox.world;
  console.log(`Lexecon sandbox (seed clock ${w.now})`);
  console.log(
    `  GitHub REST     ${sandbox.githubUrl}   (web ${sandbox.githubWebUrl}, token ${sandbox.githubToken})`,
  );
  console.log(
    `  Kubernetes API  ${sandbox.kubernetesUrl}   (token ${
      sandbox.kubernetesToken
    }, CA ${join(stateDir, 'ca.pem')})`,
  );
  console.log(
    `  Control         ${sandbox.controlUrl}   (GET/PUT/DELETE /faults, GET/DELETE /requests, GET/PUT/DELETE /webhooks, GET /webhooks/deliveries, POST /runs, GET /healthz)`,
  );
  console.log(
    `  OAuth           ${sandbox.githubWebUrl}/login/oauth/authorize   (client ${sandbox.oauthClient.clientId})`,
  );
  console.log(
    `  Unleash Admin   ${sandbox.unleashUrl}   (token "${sandbox.unleashToken}", project ${sandbox.unleashProject})`,
  );
  console.log(
    `  Datadog API     ${sandbox.datadogUrl}   (DD-API-KEY ${sandbox.datadogApiKey}, DD-APPLICATION-KEY ${sandbox.datadogApplicationKey})`,
  );
  console.log(`  Health          ${sandbox.healthUrl}/health`);
  console.log(
    `  Company sign-in ${sandbox.oidcUrl}/.well-known/openid-configuration   (client ${sandbox.oidcClient.clientId})`,
  );
  console.log(
    `  AWS Cost Explorer ${sandbox.awsUrl}   (region us-east-1, access key ${sandbox.awsAccessKeyId}; costs from ${sandbox.awsCosts.calendar.start})`,
  );
  console.log(
    `  OpenCost        ${sandbox.opencostUrl}/allocation   (no auth; oversized ${sandbox.opencost.oversized.namespace}/deployment:${sandbox.opencost.oversized.controller})`,
  );
  console.log(
    `  BigQuery        ${sandbox.bigqueryUrl}   (Bearer ${sandbox.bigqueryToken}; billing export ${sandbox.gcpBilling.projectId}.${sandbox.gcpBilling.dataset}.${sandbox.gcpBilling.table}, credits in ${sandbox.gcpBilling.creditMonth})`,
  );
  console.log(
    `  Slack Web API   ${sandbox.slackUrl}/api/   (Bearer ${sandbox.slackToken}; messages at ${sandbox.controlUrl}/slack/messages)`,
  );
  console.log(
    `  Repository      ${w.owner}/${w.repo}; waiting production run ${w.facts.waitingRunId} (${w.facts.waitingRunVersion})`,
  );
  const portfolio = sandbox.services.filter(s => !s.generated);
  const generated = sandbox.services.length - portfolio.length;
  for (const s of portfolio) {
    console.log(
      `  ${s.name.padEnd(16)}${s.owner}/${s.repo}, release ${
        s.releaseName
      }, project ${s.unleashProject}, service:${s.datadogService}, ${
        sandbox.healthUrl
      }${s.healthPath} (${s.reliability})`,
    );
  }
  if (generated > 0) {
    console.log(`  + ${generated} generated services (service-001 …)`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received, stopping sandbox`);
    sandbox.stop().then(
      () => process.exit(0),
      err => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch(err => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
