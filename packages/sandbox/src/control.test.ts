import { Sandbox, startSandbox } from './index';

describe('POST /runs on the control endpoint', () => {
  let sandbox: Sandbox;
  const auth = { authorization: 'Bearer sandbox-github-token' };
  const repoApi = () => `${sandbox.githubUrl}/repos/lexecon-ai/lexecon`;
  const postRun = (body: unknown) =>
    fetch(`${sandbox.controlUrl}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    sandbox = await startSandbox({
      now: new Date('2026-11-20T15:00:00Z'),
      quiet: true,
    });
  });
  afterAll(() => sandbox.stop());

  it('pushes the commits it is given, then dispatches a release of them waiting on production', async () => {
    const response = await postRun({
      actor: 'priya-nair',
      push: [{ title: 'Tune the policy cache', author: 'maya-chen' }],
    });
    expect(response.status).toBe(201);
    const created = await response.json();

    const commit = await (
      await fetch(`${repoApi()}/commits/${created.sha}`, { headers: auth })
    ).json();
    expect(commit.commit.message).toBe('Tune the policy cache');
    expect(commit.author.login).toBe('maya-chen');

    const run = await (
      await fetch(`${repoApi()}/actions/runs/${created.runId}`, {
        headers: auth,
      })
    ).json();
    expect(run.head_sha).toBe(created.sha);
    expect(run.status).toBe('waiting');
    expect(run.triggering_actor.login).toBe('priya-nair');
  });

  it('refuses a body it cannot serve, naming the field', async () => {
    const untitled = await postRun({ push: [{ author: 'maya-chen' }] });
    expect(untitled.status).toBe(400);
    expect(await untitled.json()).toEqual({
      message: 'push[0].title must be a non-empty string',
    });
    const unknown = await postRun({ service: 'no-such-service' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      message: 'The sandbox has no service "no-such-service"',
    });
  });
});
