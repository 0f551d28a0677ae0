import http from 'node:http';
import { Sandbox, startSandbox } from './index';

/**
 * What becomes of a review whose sender goes away while GitHub holds it: the replica suite kills
 * a backend between its claim and GitHub's answer, and relies on these two behaviours.
 */
describe('a held review whose client disconnects', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      now: new Date('2026-11-20T15:00:00Z'),
      quiet: true,
    });
  });
  afterEach(() => sandbox.clearFaults());
  afterAll(() => sandbox.stop());

  const reviewPath = (runId: number) =>
    `/repos/${sandbox.owner}/${sandbox.repo}/actions/runs/${runId}/pending_deployments`;
  const approvalsOf = (runId: number) =>
    sandbox.world.runs.find(r => r.id === runId)!.approvals;
  const productionId = () =>
    sandbox.world.environments.find(e => e.name === 'production')!.id;

  /** Applies one fault rule to the next review of the run. */
  const holdReview = (
    runId: number,
    rule: { kind: 'latency'; latencyMs: number } | { kind: 'timeout' },
  ) =>
    sandbox.setFaults([
      {
        source: 'github',
        method: 'POST',
        pathPattern: reviewPath(runId),
        times: 1,
        ...rule,
      },
    ]);

  /** Sends `login`'s approval and resolves to a function that cuts the connection. */
  async function approveThenDisconnect(runId: number, login: string) {
    const mark = sandbox.lastRequestSeq();
    const body = JSON.stringify({
      environment_ids: [productionId()],
      state: 'approved',
      comment: `Approved by ${login}`,
    });
    const request = http.request(`${sandbox.githubUrl}${reviewPath(runId)}`, {
      method: 'POST',
      headers: {
        authorization: `token sandbox-token-for-${login}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    request.on('error', () => undefined);
    request.end(body);
    await until(() =>
      sandbox.requestsStarted(mark).some(r => r.method === 'POST'),
    );
    return async () => {
      request.destroy();
      // The server has seen the connection close once the review is logged unanswered.
      await until(() =>
        sandbox
          .requests()
          .some(r => r.path.endsWith(reviewPath(runId)) && r.status === 0),
      );
    };
  }

  it("applies a review slowed by 'latency' once the delay is over, though its client has gone", async () => {
    const { runId } = sandbox.createWaitingRun();
    holdReview(runId, { kind: 'latency', latencyMs: 2_000 });
    const disconnect = await approveThenDisconnect(runId, 'alex-kim');
    await disconnect();
    expect(approvalsOf(runId)).toEqual([]);

    await until(() => approvalsOf(runId).length > 0);
    expect(approvalsOf(runId)).toEqual([
      expect.objectContaining({ state: 'approved', user: 'alex-kim' }),
    ]);
    expect(sandbox.world.runs.find(r => r.id === runId)?.status).not.toBe(
      'waiting',
    );
  });

  it("never applies a review held by 'timeout', and the run still waits for another", async () => {
    const { runId } = sandbox.createWaitingRun();
    holdReview(runId, { kind: 'timeout' });
    const disconnect = await approveThenDisconnect(runId, 'alex-kim');
    await disconnect();
    // A held request has no timer behind it: once its client is gone, nothing is left to run.
    expect(approvalsOf(runId)).toEqual([]);

    const retry = await fetch(`${sandbox.githubUrl}${reviewPath(runId)}`, {
      method: 'POST',
      headers: {
        authorization: 'token sandbox-token-for-jordan-lee',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        environment_ids: [productionId()],
        state: 'approved',
        comment: 'Approved by jordan-lee',
      }),
    });
    expect(retry.status).toBe(200);
    expect(approvalsOf(runId)).toEqual([
      expect.objectContaining({ state: 'approved', user: 'jordan-lee' }),
    ]);
  });

  it('still answers a malformed review body as GitHub does, with the body read before faults', async () => {
    const { runId } = sandbox.createWaitingRun();
    const response = await fetch(`${sandbox.githubUrl}${reviewPath(runId)}`, {
      method: 'POST',
      headers: {
        authorization: 'token sandbox-token-for-alex-kim',
        'content-type': 'application/json',
      },
      body: '{"state": "approved",',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      message: 'Problems parsing JSON',
    });
    expect(sandbox.requests().at(-1)).toMatchObject({
      method: 'POST',
      status: 400,
    });
    expect(approvalsOf(runId)).toEqual([]);
  });
});

/** Waits for a real condition of the sandbox, for up to 10 s. */
async function until(condition: () => boolean) {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
