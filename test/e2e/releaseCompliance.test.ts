import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openSignedIn } from './browser';
import { columnCells } from './table';

/** The Result cell of a deploy Helm rolled back: "rolled back", or "rolled back to v1.2.3". */
const ROLLED_BACK = /^rolled back( to v\d+\.\d+\.\d+)?$/;

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
  assert.match((await live.innerText()).trim(), /^v\d+\.\d+\.\d+$/);

  const rows = page.getByTestId('deployment-row');
  await rows.first().waitFor({ timeout: 30_000 });
  const history = page.locator('table').filter({ has: rows });
  const results = await columnCells(history, rows, 'Result');
  const footer = page.getByText(/^Showing \d+ of \d+ deploys$/);
  const resultsBefore = await results.allInnerTexts();
  const footerBefore = await footer.innerText();
  assert.ok(resultsBefore.length > 5, 'the history lists deploys');
  assert.ok(
    resultsBefore.some(result => !ROLLED_BACK.test(result.trim())),
    `unfiltered, the history has deploys of other results: ${resultsBefore.join(
      ', ',
    )}`,
  );

  // The failed production deploy that Helm rolled back, found with the Result filter.
  await page.getByLabel('Result').selectOption('rolled_back');
  // The rows are swapped when the filtered page arrives; the count under the table says so.
  await footer
    .filter({ hasNotText: footerBefore })
    .waitFor({ timeout: 30_000 });
  const resultsAfter = await results.allInnerTexts();
  assert.equal(
    resultsAfter.length,
    1,
    `one rolled-back deploy, not ${resultsAfter.join(', ')}`,
  );
  for (const result of resultsAfter) assert.match(result.trim(), ROLLED_BACK);
  assert.equal(await footer.innerText(), 'Showing 1 of 1 deploys');

  mkdirSync('test-results', { recursive: true });
  await page.screenshot({
    path: 'test-results/release-compliance.png',
    fullPage: true,
  });

  // Its changelog: the commits since the previous production deploy.
  await rows.first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 30_000 });
  await dialog.getByText(/Changes in/).waitFor();
  await dialog.getByText(/commits? since/i).waitFor({ timeout: 30_000 });
  const commitLinks = dialog.locator('a[href*="/commit/"]');
  assert.ok((await commitLinks.count()) > 0, 'the changelog lists commits');
  await page.screenshot({ path: 'test-results/changelog.png' });
});
