import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { baseUrl } from './browser';
import {
  createRelease,
  decisionOutcome,
  Release,
  useSignedInPages,
  waitForInboxItem,
} from './session';
import { columnCells } from './table';

// Runs after approvals.test.ts (the runner takes the files in name order, one at a time): by
// then the seeded release is in production, so the release made here holds only the pushed
// commit, by maya-chen, and neither approver is an author of it.
const signedInPage = useSignedInPages();
let release: Release;

before(async () => {
  release = await createRelease({
    title: 'Cache policy evaluations per tenant',
    author: 'maya-chen',
  });
});

/** Opens the approve dialog of the release made above, once the inbox shows it. */
async function openApproveDialog(page: Page) {
  const item = await waitForInboxItem(page, release.runId);
  assert.equal(
    (await item.getByTestId('approval-version').innerText()).trim(),
    release.version,
  );
  await item.getByTestId('approve-button').click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByRole('heading', {
      name: `Approve ${release.version} for production?`,
      exact: true,
    })
    .waitFor();
  const failing = dialog.getByTestId('readiness-gate-failing');
  await failing.waitFor();
  return { dialog, failing };
}

test('an approver outside the override group sees why a below-gate release cannot be approved, and no override', async () => {
  const page = await signedInPage('jordan-lee');
  const { dialog, failing } = await openApproveDialog(page);
  const text = await failing.innerText();
  assert.match(text, /^Below the readiness gate: [\d.]+ against 90$/m);
  assert.match(text, /^Test coverage: missing \(/m);
  assert.match(
    text,
    /Only members of group:default\/release-managers may approve a release below the readiness gate\.$/,
  );
  assert.equal(await dialog.getByTestId('override-reason').count(), 0);
  assert.equal(await dialog.getByTestId('override-confirm').count(), 0);
  assert.equal(await dialog.getByTestId('confirm-decision').isDisabled(), true);
  await page.screenshot({ path: 'test-results/gate-not-overrider.png' });
  await page.context().close();
});

test('a member of the override group approves below the gate with a written reason, and the deploy row shows the exception', async () => {
  const page = await signedInPage('alex-kim');
  const { dialog } = await openApproveDialog(page);
  const confirm = dialog.getByTestId('confirm-decision');
  assert.equal(
    await confirm.isDisabled(),
    true,
    'approving needs the override first',
  );
  const reason =
    'Hotfix for tenant isolation; coverage report delayed by the CI outage';
  await dialog
    .getByTestId('override-reason')
    .locator('textarea')
    .first()
    .fill(reason);
  await dialog.getByTestId('override-confirm').locator('input').check();
  await dialog
    .getByTestId('decision-comment')
    .locator('textarea, input')
    .first()
    .fill('Approved under the override recorded above');
  await page.screenshot({ path: 'test-results/gate-override-dialog.png' });
  await confirm.click();
  const answerText = await decisionOutcome(dialog);
  assert.match(
    answerText,
    new RegExp(
      `^Approved ${release.version.replace(/\./g, '\\.')} for production`,
    ),
  );

  // The production deploy of this release carries the override, with who and why.
  let chip = '';
  for (let attempt = 0; attempt < 12 && !chip; attempt++) {
    await page.goto(`${baseUrl}/catalog/default/component/lexecon-api/lexecon`);
    await page
      .getByTestId('live-version-production')
      .waitFor({ timeout: 60_000 });
    const rows = page.getByTestId('deployment-row');
    const history = page.locator('table').filter({ has: rows });
    const [versions, environments] = await Promise.all(
      ['Version', 'Environment'].map(async column =>
        (await columnCells(history, rows, column)).allInnerTexts(),
      ),
    );
    const index = versions.findIndex(
      (v, i) =>
        v.trim().endsWith(release.version) &&
        environments[i].trim() === 'production',
    );
    const exception = rows.nth(index).getByTestId('gate-exception');
    if (index >= 0 && (await exception.count()) > 0) {
      chip = (await exception.first().getAttribute('aria-label')) ?? '';
    } else {
      await page.waitForTimeout(2500);
    }
  }
  assert.equal(chip, `Readiness gate overridden by alex-kim: ${reason}`);
  await page.screenshot({
    path: 'test-results/gate-override-history.png',
    fullPage: true,
  });
  await page.context().close();
});
