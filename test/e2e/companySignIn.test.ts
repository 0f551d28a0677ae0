import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { baseUrl } from './browser';
import {
  createRelease,
  decisionAnswer,
  Release,
  useSignedInPages,
  waitForInboxItem,
} from './session';

// Runs after approvals.test.ts (the runner takes the files in name order, one at a time), which
// approves the seeded release: the release made here is the one waiting.
const signedInPages = useSignedInPages();
const signedInPage = (login: string) => signedInPages(login, 'company');
let release: Release;

before(async () => {
  release = await createRelease({
    title: 'Retry webhook deliveries once',
    author: 'maya-chen',
  });
});

/** The release made above, once the inbox shows it. */
async function releaseItem(page: Page) {
  return waitForInboxItem(page, release.runId);
}

/** Opens the reject dialog (rejecting needs no readiness override) and writes a comment. */
async function startRejecting(page: Page) {
  const item = await releaseItem(page);
  await item.getByTestId('reject-button').click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByTestId('decision-comment')
    .locator('textarea, input')
    .first()
    .fill('Not this week: the release freeze starts tomorrow');
  return dialog;
}

/** Confirms, and in the GitHub consent popup that opens, signs in to GitHub as `login`. */
async function confirmConnectingGithubAs(page: Page, login: string) {
  const dialog = page.getByRole('dialog');
  const [popup] = await Promise.all([
    page.waitForEvent('popup', { timeout: 30_000 }),
    dialog.getByTestId('confirm-decision').click(),
  ]);
  const closed = popup.waitForEvent('close', { timeout: 30_000 });
  closed.catch(() => {});
  await popup.getByTestId(`sign-in-${login}`).click({ timeout: 30_000 });
  await closed;
  return decisionAnswer(dialog);
}

test('an auditor without a GitHub account signs in with the company account, verifies the audit chain, and has nothing to approve', async () => {
  const page = await signedInPage('casey-morgan');
  const item = await releaseItem(page);
  await item
    .locator(
      '[data-testid="ineligibility-reason"][data-code="missing-permission"]',
    )
    .waitFor();
  assert.equal(await page.getByTestId('approve-button').count(), 0);
  assert.equal(await page.getByTestId('reject-button').count(), 0);

  await page.getByTestId('verify-chain').click();
  const result = page.getByTestId('verify-result');
  await result.waitFor({ timeout: 60_000 });
  assert.match(
    (await result.innerText()).trim(),
    /^Chain intact: \d+ records checked/,
  );
  await page.screenshot({
    path: 'test-results/company-auditor.png',
    fullPage: true,
  });
  await page.context().close();
});

test('on-call signs in with the company account and sees the on-call board', async () => {
  const page = await signedInPage('sam-okafor');
  await page.goto(`${baseUrl}/lexecon/oncall`);
  await page
    .getByTestId('oncall-service')
    .filter({ hasText: /lexecon/i })
    .first()
    .waitFor({ timeout: 90_000 });
  await page.screenshot({ path: 'test-results/company-oncall.png' });
  await page.context().close();
});

test("an approver signed in with the company account is asked to connect GitHub, and someone else's GitHub account is refused", async () => {
  const page = await signedInPage('alex-kim');
  const dialog = await startRejecting(page);
  assert.match(
    (await dialog.getByTestId('connect-github').innerText()).trim(),
    /^Connect GitHub to reject\s+production takes reviews from your GitHub account/,
  );
  const answer = await confirmConnectingGithubAs(page, 'jordan-lee');
  assert.match(
    (await answer.innerText()).trim(),
    /The GitHub token you sent belongs to jordan-lee, but you are signed in as alex-kim/,
  );
  await page.screenshot({ path: 'test-results/company-borrowed-github.png' });
  await page.context().close();
});

test('an approver signed in with the company account connects their own GitHub account when deciding', async () => {
  const page = await signedInPage('alex-kim');
  await startRejecting(page);
  const answer = await confirmConnectingGithubAs(page, 'alex-kim');
  assert.match(
    (await answer.innerText()).trim(),
    new RegExp(
      `^Rejected ${release.version.replace(
        /\./g,
        '\\.',
      )} for production\\s+Recorded in the audit trail as entry #\\d+, sent to GitHub as alex-kim`,
    ),
  );
  await page.screenshot({ path: 'test-results/company-connected-github.png' });
  await page.context().close();
});
