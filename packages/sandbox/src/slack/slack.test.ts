import { Agent } from 'undici';
import { Sandbox, startSandbox } from '../index';

describe("Slack's Web API", () => {
  let sandbox: Sandbox;
  let dispatcher: Agent;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    dispatcher = new Agent({ connect: { ca: sandbox.kubernetesCaPem } });
  });
  afterAll(async () => {
    await dispatcher.close();
    await sandbox.stop();
  });
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  /** A call as `@slack/web-api` makes it: form-encoded, objects JSON-encoded, Bearer token. */
  async function call(
    method: string,
    params: Record<string, unknown>,
    token: string | null = sandbox.slackToken,
  ) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      form.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
    const res = await fetch(`${sandbox.slackUrl}/api/${method}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: form.toString(),
      dispatcher,
    } as RequestInit);
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: await res.json(),
    };
  }

  const alert = {
    channel: 'lexecon-releases',
    text: 'Readiness of lexecon-api 1.5.0 is 82%, below the gate (90%)',
    attachments: [
      {
        color: '#FFA500',
        fallback: 'Readiness of lexecon-api 1.5.0 is 82%, below the gate (90%)',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'Coverage 71%' } },
        ],
      },
    ],
  };

  it('refuses a call without a token or with another token, as Slack does: HTTP 200, ok false', async () => {
    const missing = await call('chat.postMessage', alert, null);
    const wrong = await call('chat.postMessage', alert, 'xoxb-someone-else');

    expect(missing).toMatchObject({
      status: 200,
      body: { ok: false, error: 'not_authed' },
    });
    expect(wrong).toMatchObject({
      status: 200,
      body: { ok: false, error: 'invalid_auth' },
    });
    expect(sandbox.slackMessages()).toEqual([]);
  });

  it('posts a message to a channel by name, keeps it as sent and logs the call', async () => {
    const res = await call('chat.postMessage', alert);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      channel: 'C0LEXRELEASES',
      ts: expect.stringMatching(/^\d+\.\d{6}$/),
      message: {
        type: 'message',
        subtype: 'bot_message',
        text: alert.text,
        attachments: alert.attachments,
      },
    });
    expect(sandbox.slackMessages()).toEqual([
      {
        channel: 'C0LEXRELEASES',
        channelName: 'lexecon-releases',
        ts: res.body.ts,
        text: alert.text,
        attachments: alert.attachments,
      },
    ]);
    const control = await fetch(`${sandbox.controlUrl}/slack/messages`);
    expect(await control.json()).toEqual(sandbox.slackMessages());
    expect(sandbox.requests()).toEqual([
      expect.objectContaining({
        source: 'slack',
        method: 'POST',
        path: '/api/chat.postMessage',
        status: 200,
      }),
    ]);
  });

  it('finds a person by their work email and sends them a direct message', async () => {
    const found = await call('users.lookupByEmail', {
      email: 'alex-kim@lexecon.ai',
    });
    const unknown = await call('users.lookupByEmail', {
      email: 'nobody@lexecon.ai',
    });
    const dm = await call('chat.postMessage', {
      channel: found.body.user.id,
      text: 'lexecon-api 1.5.0 waits for your approval',
    });

    expect(found.body).toMatchObject({
      ok: true,
      user: { name: 'alex-kim', profile: { email: 'alex-kim@lexecon.ai' } },
    });
    expect(unknown.body).toEqual({ ok: false, error: 'users_not_found' });
    expect(dm.body).toMatchObject({
      ok: true,
      channel: expect.stringMatching(/^D/),
    });
    expect(sandbox.slackMessages()).toEqual([
      expect.objectContaining({
        channel: dm.body.channel,
        channelName: 'alex-kim',
        text: 'lexecon-api 1.5.0 waits for your approval',
      }),
    ]);
  });

  it("answers Slack's error codes for a channel it does not know, one the bot is not in, and nothing to say", async () => {
    const unknown = await call('chat.postMessage', {
      ...alert,
      channel: '#no-such-channel',
    });
    const notInvited = await call('chat.postMessage', {
      ...alert,
      channel: 'general',
    });
    const empty = await call('chat.postMessage', { channel: 'C0LEXALERTS' });
    const badAttachments = await call('chat.postMessage', {
      channel: 'C0LEXALERTS',
      attachments: '[{"color":',
    });

    expect(unknown.body).toEqual({ ok: false, error: 'channel_not_found' });
    expect(notInvited.body).toEqual({ ok: false, error: 'not_in_channel' });
    expect(empty.body).toEqual({ ok: false, error: 'no_text' });
    expect(badAttachments.body).toEqual({
      ok: false,
      error: 'invalid_attachments',
    });
    expect(sandbox.slackMessages()).toEqual([]);
  });

  it('takes a JSON body only with the token in the Authorization header', async () => {
    const post = (headers: Record<string, string>, body: object) =>
      fetch(`${sandbox.slackUrl}/api/chat.postMessage`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          ...headers,
        },
        body: JSON.stringify(body),
        dispatcher,
      } as RequestInit).then(r => r.json());

    const inBody = await post({}, { ...alert, token: sandbox.slackToken });
    const inHeader = await post(
      { Authorization: `Bearer ${sandbox.slackToken}` },
      alert,
    );

    expect(inBody).toEqual({ ok: false, error: 'not_authed' });
    expect(inHeader).toMatchObject({ ok: true, channel: 'C0LEXRELEASES' });
    expect(sandbox.slackMessages()).toHaveLength(1);
  });

  it('updates a message it holds, and refuses one it does not', async () => {
    const posted = await call('chat.postMessage', alert);
    const updated = await call('chat.update', {
      channel: posted.body.channel,
      ts: posted.body.ts,
      text: 'Readiness of lexecon-api 1.5.0 is back to 93%',
    });
    const missing = await call('chat.update', {
      channel: posted.body.channel,
      ts: '1.000001',
      text: 'nothing',
    });

    expect(updated.body).toMatchObject({ ok: true, ts: posted.body.ts });
    expect(missing.body).toEqual({ ok: false, error: 'message_not_found' });
    expect(sandbox.slackMessages()).toEqual([
      expect.objectContaining({
        ts: posted.body.ts,
        text: 'Readiness of lexecon-api 1.5.0 is back to 93%',
        edited: expect.objectContaining({ user: 'U0LEXPORTAL' }),
      }),
    ]);
  });

  it('answers a rate-limited call 429 with Retry-After and posts nothing', async () => {
    sandbox.setFaults([
      { source: 'slack', kind: '429', retryAfterSeconds: 30, times: 1 },
    ]);

    const limited = await call('chat.postMessage', alert);
    const next = await call('chat.postMessage', alert);

    expect(limited).toEqual({
      status: 429,
      retryAfter: '30',
      body: { ok: false, error: 'ratelimited' },
    });
    expect(next.body.ok).toBe(true);
    expect(sandbox.slackMessages()).toHaveLength(1);
  });
});
