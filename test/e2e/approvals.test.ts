import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, signInWithGithub } from './browser';

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
  mkdirSync('test-results', { recursive: true });
});

after(async () => {
  await browser?.close();
});

async function signedInPage(login: string) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
  });
  const page = await context.newPage();
  await signInWithGithub(page, login);
  return page;
}

test('the author of a change in the waiting deploy sees approve disabled, with the reason', async () => {
  const page = await signedInPage('jordan-lee');
  await page.goto(`${baseUrl}/lexecon/approvals`);
  const item = page.locator('[data-testid^="approval-item-"]').first();
  await item.waitFor({ timeout: 90_000 });
  assert.equal(await item.getByTestId('approve-button').isDisabled(), true);
  const reason = item.getByTestId('ineligibility-reason').first();
  await reason.waitFor();
  assert.match(await reason.innerText(), /authored/i);
  await page.screenshot({ path: 'test-results/approvals-author.png' });
  await page.context().close();
});

test('an approver approves the waiting Lexecon deploy with the full context, and the history shows it', async () => {
  const page = await signedInPage('alex-kim');
  await page.goto(`${baseUrl}/lexecon/approvals`);
  const item = page.locator('[data-testid^="approval-item-"]').first();
  await item.waitFor({ timeout: 90_000 });

  // The context to decide: readiness score with its band, and the change set with its authors.
  const score = item.getByTestId('readiness-score');
  await score.waitFor();
  assert.match(await score.innerText(), /\d/);
  assert.match(await item.innerText(), /good|excellent|fair|poor/i);
  assert.match(await item.innerText(), /jordan-lee/);
  const version = (await item.innerText()).match(/v\d+\.\d+\.\d+/)?.[0];
  assert.ok(version, 'the waiting version is shown');
  await page.screenshot({
    path: 'test-results/approvals-inbox.png',
    fullPage: true,
  });

  await item.getByTestId('approve-button').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match(
    await dialog.innerText(),
    new RegExp(`${version}.*production|production.*${version}`, 's'),
  );
  await dialog
    .getByTestId('decision-comment')
    .locator('textarea, input')
    .first()
    .fill('Readiness good, staging healthy: ship it');
  await dialog.getByTestId('confirm-decision').click();
  await dialog
    .getByText(/approved/i)
    .first()
    .waitFor({ timeout: 60_000 });
  await page.screenshot({ path: 'test-results/approvals-approved.png' });

  // The deploy history shows the production deploy, approved by alex-kim.
  let found = false;
  for (let attempt = 0; attempt < 12 && !found; attempt++) {
    await page.goto(`${baseUrl}/catalog/default/component/lexecon-api/lexecon`);
    await page
      .getByTestId('live-version-production')
      .waitFor({ timeout: 60_000 });
    const row = page
      .getByTestId('deployment-row')
      .filter({ hasText: version! })
      .filter({ hasText: /alex-kim/ });
    found =
      (await row.count()) > 0 &&
      /production/i.test(await row.first().innerText());
    if (!found) await page.waitForTimeout(2500);
  }
  assert.ok(
    found,
    `the history shows ${version} deployed to production, approved by alex-kim`,
  );
  await page.screenshot({
    path: 'test-results/approvals-history.png',
    fullPage: true,
  });
  await page.context().close();
});
