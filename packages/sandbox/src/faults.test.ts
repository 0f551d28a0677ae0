import { Agent, fetch as undiciFetch } from 'undici';
import { Sandbox, startSandbox } from './index';

describe('fault injection and control endpoint', () => {
  let sandbox: Sandbox;
  const auth = { authorization: 'Bearer sandbox-github-token' };
  const runsPath = () =>
    `${sandbox.githubUrl}/repos/lexecon-ai/lexecon/actions/runs`;

  beforeAll(async () => {
    sandbox = await startSandbox({
      now: new Date('2026-11-20T15:00:00Z'),
      quiet: true,
    });
  });
  afterEach(() => sandbox.clearFaults());
  afterAll(() => sandbox.stop());

  it('returns 429 with Retry-After for a limited number of requests', async () => {
    sandbox.setFaults([
      {
        source: 'github',
        kind: '429',
        retryAfterSeconds: 7,
        pathPattern: '/actions/runs',
        times: 1,
      },
    ]);
    const res = await fetch(runsPath(), { headers: auth });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(((await res.json()) as { message: string }).message).toMatch(
      /rate limit/,
    );
    expect((await fetch(runsPath(), { headers: auth })).status).toBe(200);
  });

  it('returns GitHub-shaped 5xx and Kubernetes-shaped errors', async () => {
    sandbox.setFaults([
      { source: 'github', kind: '5xx', status: 503 },
      { source: 'kubernetes', kind: '5xx' },
    ]);
    const res = await fetch(runsPath(), { headers: auth });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: '503',
      documentation_url: 'https://docs.github.com/rest',
    });
    const kube = await undiciFetch(`${sandbox.kubernetesUrl}/version`, {
      dispatcher: new Agent({ connect: { ca: sandbox.kubernetesCaPem } }),
    });
    expect(kube.status).toBe(502);
    expect(await kube.json()).toMatchObject({ kind: 'Status', code: 502 });
  });

  it('limits a rule to one HTTP method when it names one', async () => {
    sandbox.setFaults([
      { source: 'github', kind: '5xx', status: 503, method: 'post' },
    ]);
    expect((await fetch(runsPath(), { headers: auth })).status).toBe(200);
    const post = await fetch(runsPath(), { method: 'POST', headers: auth });
    expect(post.status).toBe(503);
    expect(sandbox.requests().at(-1)).toMatchObject({
      method: 'POST',
      status: 503,
      fault: '5xx',
    });
    expect(() =>
      sandbox.setFaults([
        { source: 'github', kind: '5xx', method: 'not a method' },
      ]),
    ).toThrow('faults[0].method must be an HTTP method such as GET or POST');
  });

  it('serves malformed JSON', async () => {
    sandbox.setFaults([{ source: 'github', kind: 'malformed' }]);
    const res = await fetch(runsPath(), { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    await expect(res.json()).rejects.toThrow();
  });

  it('resets the connection', async () => {
    sandbox.setFaults([
      { source: 'github', kind: 'reset', pathPattern: 'runs' },
    ]);
    await expect(fetch(runsPath(), { headers: auth })).rejects.toThrow();
  });

  it('holds requests open on timeout and adds latency', async () => {
    sandbox.setFaults([{ source: 'github', kind: 'timeout', times: 1 }]);
    await expect(
      fetch(runsPath(), { headers: auth, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    sandbox.setFaults([{ source: 'github', kind: 'latency', latencyMs: 150 }]);
    const start = Date.now();
    expect((await fetch(runsPath(), { headers: auth })).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('manages faults and the request log over the control endpoint', async () => {
    const bad = await fetch(`${sandbox.controlUrl}/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ source: 'github', kind: 'explode' }]),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain(
      'faults[0].kind',
    );
    const badTimes = await fetch(`${sandbox.controlUrl}/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ source: 'github', kind: '5xx', times: 0 }]),
    });
    expect(((await badTimes.json()) as { message: string }).message).toContain(
      'times',
    );

    const put = await fetch(`${sandbox.controlUrl}/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          source: 'github',
          kind: '5xx',
          times: 2,
          pathPattern: '/deployments',
        },
      ]),
    });
    expect(put.status).toBe(200);
    expect(await (await fetch(`${sandbox.controlUrl}/faults`)).json()).toEqual([
      { source: 'github', kind: '5xx', times: 2, pathPattern: '/deployments' },
    ]);
    expect(
      (await fetch(`${sandbox.controlUrl}/faults`, { method: 'DELETE' }))
        .status,
    ).toBe(204);
    expect(await (await fetch(`${sandbox.controlUrl}/faults`)).json()).toEqual(
      [],
    );

    await fetch(`${sandbox.controlUrl}/requests`, { method: 'DELETE' });
    await fetch(`${sandbox.githubUrl}/rate_limit`, { headers: auth });
    await fetch(`${sandbox.githubUrl}/rate_limit`);
    const log = (await (
      await fetch(`${sandbox.controlUrl}/requests`)
    ).json()) as {
      counts: Record<string, number>;
      requests: Array<{ path: string; status: number }>;
    };
    expect(log.counts).toEqual({
      github: 2,
      kubernetes: 0,
      unleash: 0,
      datadog: 0,
      health: 0,
      oidc: 0,
      aws: 0,
      opencost: 0,
      bigquery: 0,
      slack: 0,
    });
    expect(log.requests.map(r => r.status)).toEqual([200, 401]);
    expect(
      (await (await fetch(`${sandbox.controlUrl}/healthz`)).json()) as object,
    ).toMatchObject({ status: 'ok' });
  });

  it('refuses non-loopback hosts', async () => {
    await expect(
      startSandbox({ host: '0.0.0.0', quiet: true }),
    ).rejects.toThrow(/loopback/);
  });
});
