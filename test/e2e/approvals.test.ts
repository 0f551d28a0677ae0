import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrl } from './browser';
import { decisionOutcome, useSignedInPages } from './session';
import { columnCells } from './table';

const signedInPage = useSignedInPages();

test('the author of a change in the waiting deploy sees approve disabled, with the reason', async () => {
  const page = await signedInPage('jordan-lee');
  await page.goto(`${baseUrl}/lexecon/approvals`);
  const item = page.locator('[data-testid^="approval-item-"]').first();
  await item.waitFor({ timeout: 90_000 });
  assert.equal(await item.getByTestId('approve-button').isDisabled(), true);
  assert.equal(await item.getByTestId('reject-button').isDisabled(), true);
  // Segregation of duties: jordan-lee wrote commits in the change set, and the reason names them.
  const reason = item.locator(
    '[data-testid="ineligibility-reason"][data-code="own-change"]',
  );
  await reason.waitFor();
  assert.match(
    (await reason.innerText()).trim(),
    /^You authored \d+ of the commits in this change set \([0-9a-f]{7}(, [0-9a-f]{7})*\); segregation of duties requires someone else to approve$/,
  );
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
  assert.match(await score.innerText(), /^\d{1,3}\.\d\s*\/ 100/);
  assert.match(
    (await score.getByTestId('readiness-band').innerText()).trim(),
    /^(excellent|good|fair|poor)$/,
  );
  assert.match(
    await item.getByTestId('change-set').innerText(),
    /^Authors: ([\w-]+, )*jordan-lee(, [\w-]+)*$/m,
  );
  const version = (
    await item.getByTestId('approval-version').innerText()
  ).trim();
  assert.match(version, /^v\d+\.\d+\.\d+$/, 'the waiting version is shown');
  assert.equal(
    (await item.getByTestId('approval-environment').innerText()).trim(),
    'production',
  );
  await page.screenshot({
    path: 'test-results/approvals-inbox.png',
    fullPage: true,
  });

  await item.getByTestId('approve-button').click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByRole('heading', {
      name: `Approve ${version} for production?`,
      exact: true,
    })
    .waitFor();
  await dialog
    .getByTestId('decision-comment')
    .locator('textarea, input')
    .first()
    .fill('Readiness good, staging healthy: ship it');
  await dialog.getByTestId('confirm-decision').click();
  const answerText = await decisionOutcome(dialog);
  assert.match(
    answerText,
    new RegExp(
      `^Approved ${version.replace(
        /\./g,
        '\\.',
      )} for production\\s+Recorded in the audit trail as entry #\\d+`,
    ),
  );
  await page.screenshot({ path: 'test-results/approvals-approved.png' });

  // The deploy history shows the production deploy, approved by alex-kim.
  let found = false;
  for (let attempt = 0; attempt < 12 && !found; attempt++) {
    await page.goto(`${baseUrl}/catalog/default/component/lexecon-api/lexecon`);
    await page
      .getByTestId('live-version-production')
      .waitFor({ timeout: 60_000 });
    const rows = page.getByTestId('deployment-row');
    const history = page.locator('table').filter({ has: rows });
    const [versions, environments, approvers] = await Promise.all(
      ['Version', 'Environment', 'Approved by'].map(async column =>
        (await columnCells(history, rows, column)).allInnerTexts(),
      ),
    );
    found = versions.some(
      (shown, i) =>
        // The short sha, then the tag chip.
        /^[0-9a-f]{7}/.test(shown) &&
        shown.trim().endsWith(version) &&
        environments[i].trim() === 'production' &&
        approvers[i].trim().split('\n')[0] === 'alex-kim',
    );
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
