// The built portal, as the image runs it: `node packages/backend` in dist-production/ with
// NODE_ENV=production, app-config.yaml + app-config.production.yaml (upstreams re-pointed at the
// sandbox), PostgreSQL, serving the compiled app. Driven in chromium.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { baseUrl, launchBrowser } from '../e2e/browser';
import { useSignedInPages } from '../e2e/session';
import { Cluster, eventually, startCluster } from './cluster';
import { sandboxRequests } from './portalApi';

let cluster: Cluster;
const signedInPage = useSignedInPages();

before(async () => {
  // As documented: `npm run build`, then `npm run start:production` with the sandbox overlay.
  cluster = await startCluster({
    name: 'portal',
    replicas: 1,
    launcher: 'start-production',
  });
  assert.equal(baseUrl, cluster.replicas[0].url);
});

after(async () => {
  await cluster?.stop();
});

test('the production backend serves the compiled app, with no development server and no secret in its config', async () => {
  const [replica] = cluster.replicas;
  const html = await (await fetch(`${replica.url}/`)).text();
  // The compiled bundle, with the backend's frontend configuration injected at start.
  const script = /src="(\/static\/[^"]+\.js)"/.exec(html);
  assert.ok(script, 'index.html loads a compiled script from /static');
  const bundle = await fetch(`${replica.url}${script[1]}`);
  assert.equal(bundle.status, 200);
  assert.match(bundle.headers.get('cache-control') ?? '', /max-age=\d+/);
  const injected =
    /<script type="backstage\.io\/config">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(injected, 'the backend injects the frontend configuration');
  const frontendConfig = injected[1];
  const configs = JSON.parse(frontendConfig) as Array<{
    data: { app?: { baseUrl?: string } };
  }>;
  assert.ok(
    configs.some(c => c.data.app?.baseUrl === replica.url),
    'the production app.baseUrl reaches the app',
  );
  for (const name of [
    'AUTH_SESSION_SECRET',
    'LEXECON_AUDIT_HMAC_KEY',
    'GITHUB_WEBHOOK_SECRET',
  ]) {
    const value = replica.env[name];
    assert.ok(value && value.length >= 20, `${name} is set for the test`);
    assert.ok(!frontendConfig.includes(value), `${name} is not in the app`);
    assert.ok(!replica.text().includes(value), `${name} is not in the logs`);
  }
  for (const devOnly of ['/webpack-dev-server', '/sockjs-node']) {
    assert.ok(!html.includes(devOnly), `no ${devOnly} in the page`);
  }
});

test('sign-in offers company sign-in and GitHub, never guest', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(baseUrl);
    await page.getByText('Company sign-in', { exact: true }).waitFor({
      timeout: 60_000,
    });
    assert.equal(await page.getByText('GitHub', { exact: true }).count(), 1);
    assert.equal(
      await page.getByRole('button', { name: /^enter$/i }).count(),
      0,
      'no guest card',
    );
    const guest = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    assert.equal(guest.status, 404, 'the guest provider is not installed');
  } finally {
    await browser.close();
  }
});

test('an approver signs in with the company account and reads the deploy history and the waiting release', async () => {
  const page = await signedInPage('alex-kim', 'company');
  await page.goto(`${baseUrl}/catalog/default/component/lexecon-api/lexecon`);
  const live = page.getByTestId('live-version-production');
  await live.waitFor({ timeout: 90_000 });
  assert.match((await live.innerText()).trim(), /^v\d+\.\d+\.\d+$/);
  const rows = page.getByTestId('deployment-row');
  await rows.first().waitFor({ timeout: 30_000 });
  assert.ok((await rows.count()) > 5, 'the history lists deploys');

  await page.goto(`${baseUrl}/lexecon/approvals`);
  const items = page.locator('[data-testid^="approval-item-"]');
  await items.first().waitFor({ timeout: 60_000 });
  assert.match(await items.first().innerText(), /production/i);
  await page.screenshot({ path: 'test-results/production/portal-inbox.png' });
});

test("the cost source signs with the AWS SDK's default credential chain (the environment here, the pod's role in Kubernetes)", async () => {
  // The production file names no key: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY come from the
  // environment; the sandbox checks the SigV4 signature of every request.
  const answered = await eventually(
    'a Cost Explorer request answered',
    async () => {
      const requests = (await sandboxRequests()).filter(
        r => r.source === 'aws',
      );
      return requests.length > 0 ? requests : undefined;
    },
    60_000,
  );
  assert.deepEqual(
    [...new Set(answered.map(r => r.status))],
    [200],
    'every signed request was accepted',
  );
});
