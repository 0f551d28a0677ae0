import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openSignedIn } from './browser';

let browser: Browser;
let page: Page;

before(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
});

after(async () => {
  await browser?.close();
});

test("an engineer reads Lexecon's deploy history on the Release & Compliance tab", async () => {
  await openSignedIn(page, '/catalog/default/component/lexecon-api/lexecon');

  const live = page.getByTestId('live-version-production');
  await live.waitFor({ timeout: 90_000 });
  assert.match((await live.innerText()).trim(), /v\d+\.\d+\.\d+/);

  const rows = page.getByTestId('deployment-row');
  await rows.first().waitFor({ timeout: 30_000 });
  assert.ok((await rows.count()) > 5, 'the history lists deploys');

  // The failed production deploy that Helm rolled back.
  await page.getByLabel('Result').selectOption('rolled_back');
  const rolledBack = page
    .getByTestId('deployment-row')
    .filter({ hasText: /rolled back/i });
  await rolledBack.first().waitFor({ timeout: 30_000 });
  assert.equal(await rolledBack.count(), 1);

  mkdirSync('test-results', { recursive: true });
  await page.screenshot({
    path: 'test-results/release-compliance.png',
    fullPage: true,
  });

  // Its changelog: the commits since the previous production deploy.
  await rolledBack.first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 30_000 });
  await dialog.getByText(/Changes in/).waitFor();
  await dialog.getByText(/commits? since/i).waitFor({ timeout: 30_000 });
  const commitLinks = dialog.locator('a[href*="/commit/"]');
  assert.ok((await commitLinks.count()) > 0, 'the changelog lists commits');
  await page.screenshot({ path: 'test-results/changelog.png' });
});
