import { Octokit } from '@octokit/rest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, fetch } from 'undici';
import {
  catalogYaml,
  Sandbox,
  SandboxService,
  serviceEntities,
  serviceEntity,
  startSandbox,
} from '../index';

/**
 * Late in November: the at-risk service has used most of its month's error budget by now (the
 * board calls a service at risk once less than a quarter of it is left).
 */
const NOW = new Date('2026-11-28T12:00:00Z');

interface SloList {
  data: Array<{ id: string; tags: string[]; target_threshold: number }>;
}
interface SloHistory {
  data: { overall: { sli_value: number } };
}
interface Monitor {
  name: string;
  overall_state: string;
  message: string;
}
interface Incidents {
  data: Array<{
    attributes: {
      state: string;
      fields: { services: { value: string[] } };
    };
  }>;
}
interface Health {
  status: string;
  components: Record<string, { status: string }>;
}
interface KubeList {
  items: Array<{ metadata: { name: string } }>;
}

/** Talks to one sandbox's upstreams the way the portal's clients do. */
function clients(sandbox: Sandbox, agent: Agent) {
  const json = async <T>(url: string, headers: Record<string, string>) => {
    const res = await fetch(url, { headers, dispatcher: agent });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    github: new Octokit({
      auth: sandbox.githubToken,
      baseUrl: sandbox.githubUrl,
    }),
    kubernetes: <T>(p: string) =>
      json<T>(`${sandbox.kubernetesUrl}${p}`, {
        Authorization: `Bearer ${sandbox.kubernetesToken}`,
      }),
    unleash: <T>(p: string) =>
      json<T>(`${sandbox.unleashUrl}${p}`, {
        Authorization: sandbox.unleashToken,
      }),
    datadog: <T>(p: string) =>
      json<T>(`${sandbox.datadogUrl}${p}`, {
        'DD-API-KEY': sandbox.datadogApiKey,
        'DD-APPLICATION-KEY': sandbox.datadogApplicationKey,
      }),
    health: (url: string) => json<Health>(url, {}),
  };
}

function monthStart(at: Date): number {
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
}

/**
 * How the on-call board rates a service's month so far (SLA_THRESHOLDS in lexecon-common):
 * below target is breached; a burn rate above 1, or less than 25% of the month's error budget
 * left, is at risk; anything else exceeds the target.
 */
function slaStatus(uptimePercent: number, targetPercent: number, at: Date) {
  const start = monthStart(at);
  const month = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) - start;
  const elapsed = at.getTime() - start;
  const downtime = ((100 - uptimePercent) / 100) * elapsed;
  const used = downtime / (((100 - targetPercent) / 100) * month);
  if (uptimePercent < targetPercent) return 'breached';
  if (used / (elapsed / month) > 1 || 100 * (1 - used) < 25) return 'at-risk';
  return 'exceeding';
}

/** The service's SLO, its uptime from the start of the month to `at`, and its target. */
async function monthToDate(
  api: ReturnType<typeof clients>,
  service: SandboxService,
  at: Date,
) {
  const slos = await api.datadog<SloList>(
    `/api/v1/slo?tags_query=service:${service.datadogService},env:production`,
  );
  expect(slos.body.data).toHaveLength(1);
  const slo = slos.body.data[0];
  const history = await api.datadog<SloHistory>(
    `/api/v1/slo/${slo.id}/history?from_ts=${monthStart(at) / 1000}&to_ts=${
      at.getTime() / 1000
    }`,
  );
  return {
    slo,
    uptime: history.body.data.overall.sli_value,
    status: slaStatus(
      history.body.data.overall.sli_value,
      slo.target_threshold,
      at,
    ),
  };
}

function serviceNamed(sandbox: Sandbox, name: string): SandboxService {
  const found = sandbox.services.find(s => s.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

/** Asserts `service` is served by every upstream under the names its catalog entity uses. */
async function expectServed(
  api: ReturnType<typeof clients>,
  sandbox: Sandbox,
  service: SandboxService,
) {
  const { owner, repo } = service;
  const runs = await api.github.rest.actions.listWorkflowRunsForRepo({
    owner,
    repo,
    per_page: 100,
  });
  expect(runs.data.total_count).toBeGreaterThan(0);
  expect(runs.data.workflow_runs[0].repository.full_name).toBe(
    `${owner}/${repo}`,
  );
  const production = await api.github.rest.repos.listDeployments({
    owner,
    repo,
    environment: 'production',
  });
  expect(production.data.length).toBeGreaterThan(0);
  const environments = await api.github.rest.repos.getAllEnvironments({
    owner,
    repo,
  });
  const envs = environments.data.environments ?? [];
  expect(envs.map(e => e.name)).toEqual(['staging', 'production']);
  expect(envs[1].protection_rules?.map(r => r.type) ?? []).toContain(
    'required_reviewers',
  );
  const tags = await api.github.rest.repos.listTags({ owner, repo });
  expect(tags.data.length).toBeGreaterThan(0);

  const helm = await api.kubernetes<KubeList>(
    `/api/v1/namespaces/${service.namespaces.production}/secrets?labelSelector=owner%3Dhelm%2Cname%3D${service.releaseName}`,
  );
  expect(helm.body.items.length).toBeGreaterThan(0);
  const deployment = await api.kubernetes<{ metadata: { name: string } }>(
    `/apis/apps/v1/namespaces/${service.namespaces.production}/deployments/${service.releaseName}`,
  );
  expect(deployment.status).toBe(200);

  const flags = await api.unleash<{ features: Array<{ name: string }> }>(
    `/api/admin/projects/${service.unleashProject}/features`,
  );
  expect(flags.status).toBe(200);
  expect(flags.body.features.length).toBeGreaterThan(0);

  const slos = await api.datadog<SloList>(
    `/api/v1/slo?tags_query=service:${service.datadogService},env:production`,
  );
  expect(slos.body.data.map(s => s.tags[0])).toEqual([
    `service:${service.datadogService}`,
  ]);

  const health = await api.health(`${sandbox.healthUrl}${service.healthPath}`);
  expect(Object.keys(health.body.components).length).toBeGreaterThan(0);
}

describe('the portfolio of Lexecon services', () => {
  let sandbox: Sandbox;
  let agent: Agent;
  let api: ReturnType<typeof clients>;
  const service = (name: string) => serviceNamed(sandbox, name);

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
    agent = new Agent({ connect: { ca: sandbox.kubernetesCaPem } });
    api = clients(sandbox, agent);
  });
  afterAll(async () => {
    await sandbox.stop();
    await agent.close();
  });
  beforeEach(() => sandbox.clearFaults());

  it('serves four services, each from its own repository, release, project, SLO and health URL', async () => {
    expect(sandbox.services.map(s => s.name)).toEqual([
      'lexecon-api',
      'decision-ledger',
      'policy-engine',
      'web-console',
    ]);
    for (const s of sandbox.services) await expectServed(api, sandbox, s);
    // Nothing is shared: names differ, and so do GitHub's global run ids.
    for (const field of ['repo', 'releaseName', 'unleashProject'] as const) {
      expect(new Set(sandbox.services.map(s => s[field])).size).toBe(4);
    }
    const runIds = sandbox.services.flatMap(s => s.world.runs.map(r => r.id));
    expect(new Set(runIds).size).toBe(runIds.length);
    expect(service('lexecon-api').healthPath).toBe('/health');
    expect(service('decision-ledger').healthPath).toBe(
      '/decision-ledger/health',
    );
  });

  it('has a breaching, an at-risk and a healthy service the board tells apart', async () => {
    const statuses: Record<string, string> = {};
    for (const name of ['decision-ledger', 'policy-engine', 'web-console']) {
      statuses[name] = (await monthToDate(api, service(name), NOW)).status;
    }
    expect(statuses).toEqual({
      'decision-ledger': 'breached',
      'policy-engine': 'at-risk',
      'web-console': 'exceeding',
    });
    expect(
      (await monthToDate(api, service('web-console'), NOW)).uptime,
    ).toBeGreaterThanOrEqual(99.99);

    const monitors = async (name: string) =>
      (
        await api.datadog<Monitor[]>(
          `/api/v1/monitor?monitor_tags=service:${name},env:production`,
        )
      ).body;
    const alerting = (await monitors('decision-ledger')).filter(
      m => m.overall_state === 'Alert',
    );
    expect(alerting).toHaveLength(1);
    expect(alerting[0].message).toMatch(
      /Runbook: https:\/\/github\.com\/lexecon-ai\/decision-ledger\/blob\/main\/docs\/runbooks\/\S+\.md/,
    );
    expect(
      (await monitors('policy-engine')).map(m => m.overall_state).sort(),
    ).toEqual(['OK', 'Warn']);
    expect(
      (await monitors('web-console')).every(m => m.overall_state === 'OK'),
    ).toBe(true);

    const incidents = await api.datadog<Incidents>(
      '/api/v2/incidents?page[size]=100',
    );
    const active = incidents.body.data
      .filter(i => i.attributes.state === 'active')
      .flatMap(i => i.attributes.fields.services.value);
    expect(active.sort()).toEqual(['decision-ledger', 'lexecon']);

    const health = async (name: string) => {
      const answer = await api.health(
        `${sandbox.healthUrl}${service(name).healthPath}`,
      );
      return [answer.status, answer.body.status];
    };
    expect(await health('decision-ledger')).toEqual([503, 'unhealthy']);
    expect(await health('policy-engine')).toEqual([200, 'degraded']);
    expect(await health('web-console')).toEqual([200, 'healthy']);
  });

  it("faults one service's calls by path and leaves the others alone", async () => {
    sandbox.setFaults([
      {
        source: 'github',
        kind: '5xx',
        pathPattern: '/repos/lexecon-ai/decision-ledger/',
      },
      {
        source: 'health',
        kind: '5xx',
        status: 503,
        pathPattern: '^/policy-engine/',
      },
    ]);
    const runs = (repo: string) =>
      api.github.rest.actions
        .listWorkflowRunsForRepo({ owner: 'lexecon-ai', repo })
        .then(
          r => r.status,
          (e: { status: number }) => e.status,
        );
    expect(await runs('decision-ledger')).toBe(502);
    expect(await runs('lexecon')).toBe(200);
    const policy = await api.health(
      `${sandbox.healthUrl}/policy-engine/health`,
    );
    expect([policy.status, policy.body]).toEqual([
      503,
      { status: 'unhealthy', error: 'Service Unavailable' },
    ]);
    const webConsole = await api.health(
      `${sandbox.healthUrl}/web-console/health`,
    );
    expect(webConsole.body.status).toBe('healthy');
  });

  it('starts a waiting release in the service asked for', async () => {
    const run = sandbox.createWaitingRun({ service: 'web-console' });
    const waiting = async (repo: string) =>
      (
        await api.github.rest.actions.listWorkflowRunsForRepo({
          owner: 'lexecon-ai',
          repo,
          status: 'waiting',
        })
      ).data.workflow_runs.map(r => r.id);
    expect(await waiting('web-console')).toEqual([run.runId]);
    expect(await waiting('lexecon')).toEqual([
      sandbox.world.facts.waitingRunId,
    ]);
    expect(() => sandbox.createWaitingRun({ service: 'nope' })).toThrow(
      'The sandbox has no service "nope"',
    );
  });

  it('is what catalog-info.yaml declares', () => {
    const catalog = readFileSync(
      path.resolve(__dirname, '../../../../catalog-info.yaml'),
      'utf8',
    );
    for (const s of sandbox.services) {
      expect(catalog).toContain(
        catalogYaml([serviceEntity(s, 'http://127.0.0.1:7104')]),
      );
    }
  });
});

describe.each(['2026-11-01T00:30:00Z', '2026-11-15T09:00:00Z'])(
  'at another point of the month (%s)',
  at => {
    it('the breaching service is below target and the at-risk one above it, burning its budget', async () => {
      const now = new Date(at);
      const sandbox = await startSandbox({ now, quiet: true });
      const agent = new Agent();
      try {
        const api = clients(sandbox, agent);
        const [ledger, policy] = ['decision-ledger', 'policy-engine'].map(
          name => serviceNamed(sandbox, name),
        );
        expect((await monthToDate(api, ledger, now)).status).toBe('breached');
        const { uptime } = await monthToDate(api, policy, now);
        expect(uptime).toBeGreaterThanOrEqual(99.9);
        expect(uptime).toBeLessThan(99.91);
      } finally {
        await sandbox.stop();
        await agent.close();
      }
    });
  },
);

describe('scale mode', () => {
  // How long generating them takes is a figure of `npm run bench` (its scale phase prints it),
  // not an assertion here: a timed unit test fails on a busy machine.
  it('generates 500 small but complete services, with catalog entities that point at them', async () => {
    const sandbox = await startSandbox({
      now: NOW,
      quiet: true,
      services: 500,
    });
    const agent = new Agent({ connect: { ca: sandbox.kubernetesCaPem } });
    try {
      const generated = sandbox.services.filter(s => s.generated);
      expect(generated).toHaveLength(500);
      expect(sandbox.services).toHaveLength(504);
      for (const s of generated) {
        expect(s.observability.slos).toHaveLength(1);
        expect(s.observability.monitors.length).toBeGreaterThanOrEqual(1);
        expect(s.observability.monitors.length).toBeLessThanOrEqual(2);
      }
      const entities = serviceEntities(generated, sandbox.healthUrl);
      expect(new Set(entities.map(e => e.metadata.name)).size).toBe(500);
      const api = clients(sandbox, agent);
      // The first, a breaching one and the last: each entity's annotations resolve everywhere.
      for (const i of [0, 19, 499]) {
        const a = entities[i].metadata.annotations;
        const s = generated[i];
        expect(a['github.com/project-slug']).toBe(`lexecon-ai/${s.repo}`);
        expect(a['lexecon.io/kubernetes-namespaces']).toBe(
          `staging=${s.namespaces.staging},production=${s.namespaces.production}`,
        );
        expect(a['lexecon.io/datadog-slo-tags']).toBe(
          `service:${s.datadogService},env:production`,
        );
        expect(a['lexecon.io/health-url']).toBe(
          `${sandbox.healthUrl}${s.healthPath}`,
        );
        await expectServed(api, sandbox, s);
      }
      expect(generated[19].reliability).toBe('breaching');
    } finally {
      await sandbox.stop();
      await agent.close();
    }
  });

  it('refuses more than 500 generated services', async () => {
    await expect(startSandbox({ quiet: true, services: 501 })).rejects.toThrow(
      'services must be a whole number from 0 to 500, got 501',
    );
  });
});
