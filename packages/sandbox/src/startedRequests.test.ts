import { Sandbox, startSandbox } from './index';

describe('the log of requests as they arrive', () => {
  let sandbox: Sandbox;
  const auth = { authorization: 'Bearer sandbox-github-token' };

  beforeAll(async () => {
    sandbox = await startSandbox({
      now: new Date('2026-11-20T15:00:00Z'),
      quiet: true,
    });
  });
  afterEach(() => sandbox.clearFaults());
  afterAll(() => sandbox.stop());

  it('counts a request still waiting for its answer, which the finished-request log does not', async () => {
    sandbox.clearRequests();
    const mark = sandbox.lastRequestSeq();
    sandbox.setFaults([
      {
        source: 'health',
        kind: 'latency',
        latencyMs: 60_000,
        pathPattern: '/health',
        times: 1,
      },
    ]);
    const controller = new AbortController();
    const held = fetch(`${sandbox.healthUrl}/health`, {
      signal: controller.signal,
    }).catch(() => 'aborted');
    await fetch(`${sandbox.githubUrl}/repos/lexecon-ai/lexecon`, {
      headers: auth,
    }).then(r => r.arrayBuffer());
    while (sandbox.requestsStarted(mark).length < 2) {
      await new Promise(resolve => setImmediate(resolve));
    }

    const started = sandbox.requestsStarted(mark);
    expect(started.map(r => [r.source, r.done, r.status])).toEqual(
      expect.arrayContaining([
        ['health', false, 0],
        ['github', true, 200],
      ]),
    );
    expect(started).toHaveLength(2);
    expect(sandbox.requestsInFlight()).toBe(1);
    expect(sandbox.requests().map(r => r.source)).toEqual(['github']);

    controller.abort();
    await held;
    while (sandbox.requestsInFlight() > 0) {
      await new Promise(resolve => setImmediate(resolve));
    }
    expect(sandbox.requestsStarted(mark).every(r => r.done)).toBe(true);
  });

  it('numbers requests so a window can be taken without clearing the log', async () => {
    const get = () =>
      fetch(`${sandbox.githubUrl}/repos/lexecon-ai/lexecon`, {
        headers: auth,
      }).then(r => r.arrayBuffer());
    await get();
    const mark = sandbox.lastRequestSeq();
    await get();
    await get();
    const window = sandbox.requestsStarted(mark);
    expect(window.map(r => r.seq)).toEqual([mark + 1, mark + 2]);
    expect(window.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v3/repos/lexecon-ai/lexecon',
      'GET /api/v3/repos/lexecon-ai/lexecon',
    ]);
    expect(sandbox.requestsStarted().length).toBeGreaterThan(window.length);
  });
});
