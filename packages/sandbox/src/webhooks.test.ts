import { Octokit } from '@octokit/rest';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Sandbox, startSandbox } from './index';

interface Received {
  event: string;
  delivery: string;
  hookId: string;
  userAgent: string;
  signatureOk: boolean;
  body: Record<string, any>;
}

const SECRET = 'test-webhook-secret';
const as = (sandbox: Sandbox, token: string) =>
  new Octokit({ auth: token, baseUrl: sandbox.githubUrl });
const production = (sandbox: Sandbox) =>
  sandbox.world.environments.find(e => e.name === 'production')!;

describe('signed webhooks, new release runs and the portal gate', () => {
  let receiver: http.Server;
  let receiverUrl: string;
  let received: Received[] = [];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const expected = `sha256=${createHmac('sha256', SECRET)
          .update(raw)
          .digest('hex')}`;
        received.push({
          event: String(req.headers['x-github-event']),
          delivery: String(req.headers['x-github-delivery']),
          hookId: String(req.headers['x-github-hook-id']),
          userAgent: String(req.headers['user-agent']),
          signatureOk: req.headers['x-hub-signature-256'] === expected,
          body: JSON.parse(raw),
        });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>(r => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${
      (receiver.address() as AddressInfo).port
    }/api/events/http/github`;
  });
  afterAll(() => new Promise(r => receiver.close(r)));
  beforeEach(() => {
    received = [];
  });

  const events = () => received.map(r => `${r.event}:${r.body.action ?? ''}`);

  describe('required reviewers (default gate)', () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({
        now: new Date('2026-11-20T15:00:00Z'),
        quiet: true,
        webhooks: { url: receiverUrl, secret: SECRET },
      });
    });
    afterAll(() => sandbox.stop());

    it('delivers deployment_review, workflow_run, deployment and deployment_status after an approval', async () => {
      const alex = as(sandbox, 'sandbox-token-for-alex-kim');
      const env = production(sandbox);
      await alex.rest.actions.reviewPendingDeploymentsForRun({
        owner: sandbox.owner,
        repo: sandbox.repo,
        run_id: sandbox.world.facts.waitingRunId,
        environment_ids: [env.id],
        state: 'approved',
        comment: 'Ship it',
      });
      await sandbox.webhooksIdle();
      expect(events()).toEqual([
        'deployment_review:approved',
        'workflow_run:in_progress',
        'deployment:created',
        'deployment_status:created',
        'deployment_status:created',
        'workflow_run:completed',
      ]);
      for (const r of received) {
        expect(r.signatureOk).toBe(true);
        expect(r.userAgent).toBe('GitHub-Hookshot/sandbox');
        expect(r.delivery).toMatch(/^[0-9a-f-]{36}$/);
        expect(r.hookId).toMatch(/^\d+$/);
        expect(r.body.repository.full_name).toBe('lexecon-ai/lexecon');
        expect(r.body.installation.id).toBeGreaterThan(0);
      }
      const review = received[0].body;
      expect(review).toMatchObject({
        approver: { login: 'alex-kim' },
        comment: 'Ship it',
        sender: { login: 'alex-kim' },
        workflow_run: { id: sandbox.world.facts.waitingRunId },
      });
      expect(review.since).toMatch(/Z$/);
      expect(review.workflow_job_runs[0]).toMatchObject({
        environment: 'production',
        status: 'completed',
        conclusion: 'success',
      });
      expect(received[5].body.workflow_run.conclusion).toBe('success');
      expect(sandbox.deliveries().map(d => d.status)).toEqual(
        Array(6).fill(202),
      );
    });

    it('creates a new waiting release run through the control endpoint', async () => {
      const res = await fetch(`${sandbox.controlUrl}/runs`, {
        method: 'POST',
      });
      expect(res.status).toBe(201);
      const { runId, version } = (await res.json()) as {
        runId: number;
        version: string;
      };
      await sandbox.webhooksIdle();
      expect(events()).toEqual([
        'workflow_run:requested',
        'deployment_review:requested',
      ]);
      expect(received[1].body.workflow_run.id).toBe(runId);
      const bot = as(sandbox, sandbox.githubToken);
      const { data } = await bot.rest.actions.listWorkflowRunsForRepo({
        owner: sandbox.owner,
        repo: sandbox.repo,
        status: 'waiting',
      });
      expect(data.workflow_runs.map(r => r.id)).toEqual([runId]);
      expect(data.workflow_runs[0].display_title).toBe(
        `Deploy ${version} to production`,
      );
    });

    it('accepts only loopback webhook targets and can clear them', async () => {
      const put = (body: unknown) =>
        fetch(`${sandbox.controlUrl}/webhooks`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect(
        (await put({ url: 'https://example.com/hook', secret: 'x' })).status,
      ).toBe(400);
      expect((await put({})).status).toBe(200);
      sandbox.createWaitingRun();
      await sandbox.webhooksIdle();
      expect(received).toHaveLength(0);
      expect((await put({ url: receiverUrl, secret: SECRET })).status).toBe(
        200,
      );
      const log = await fetch(`${sandbox.controlUrl}/webhooks/deliveries`);
      expect(((await log.json()) as unknown[]).length).toBeGreaterThan(0);
    });
  });

  describe('portal gate (custom deployment protection rule)', () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({
        now: new Date('2026-11-20T15:00:00Z'),
        quiet: true,
        gates: { production: 'custom-rule' },
        webhooks: { url: receiverUrl, secret: SECRET },
      });
    });
    afterAll(() => sandbox.stop());

    it('asks the App and only the App decides', async () => {
      const { runId } = sandbox.createWaitingRun();
      await sandbox.webhooksIdle();
      expect(events()).toEqual([
        'workflow_run:requested',
        'deployment_protection_rule:requested',
      ]);
      const rule = received[1].body;
      expect(rule.environment).toBe('production');
      expect(rule.deployment_callback_url).toBe(
        `${sandbox.githubUrl}/repos/lexecon-ai/lexecon/actions/runs/${runId}/deployment_protection_rule`,
      );

      const bot = as(sandbox, sandbox.githubToken);
      const { data: rules } = await bot.request(
        'GET /repos/lexecon-ai/lexecon/environments/{environment_name}/deployment_protection_rules',
        { environment_name: 'production' },
      );
      expect(rules.custom_deployment_protection_rules[0].app.slug).toBe(
        'lexecon-portal',
      );

      const alex = as(sandbox, 'sandbox-token-for-alex-kim');
      const env = production(sandbox);
      await expect(
        alex.rest.actions.reviewPendingDeploymentsForRun({
          owner: sandbox.owner,
          repo: sandbox.repo,
          run_id: runId,
          environment_ids: [env.id],
          state: 'approved',
          comment: 'me',
        }),
      ).rejects.toMatchObject({ status: 422 });

      received = [];
      const answer = await bot.request(`POST ${rule.deployment_callback_url}`, {
        environment_name: 'production',
        state: 'approved',
        comment: 'Approved in the portal by alex-kim',
      });
      expect(answer.status).toBe(204);
      await sandbox.webhooksIdle();
      expect(events()).toEqual([
        'workflow_run:in_progress',
        'deployment:created',
        'deployment_status:created',
        'deployment_status:created',
        'workflow_run:completed',
      ]);
      const { data: approvals } = await bot.rest.actions.getReviewsForRun({
        owner: sandbox.owner,
        repo: sandbox.repo,
        run_id: runId,
      });
      expect(approvals[0]).toMatchObject({
        state: 'approved',
        user: { login: 'lexecon-portal[bot]' },
      });
    });
  });
});
