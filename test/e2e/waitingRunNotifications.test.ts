import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { baseUrl } from './browser';
import {
  createRelease,
  decisionOutcome,
  useSignedInPages,
  waitForInboxItem,
} from './session';

// Named to run after readinessGate.test.ts: the run this file rejects stays undeployed, so its
// commit by jordan-lee joins every later release's change set, and jordan-lee could no longer
// approve them (that file has him approve as an approver outside the override group).
const signedIn = useSignedInPages();

/**
 * The notification titled `title` on the person's notifications page. The page lists what was
 * stored when it loaded; until the notification is there, load it again. Bounded: 30 rounds of at
 * most 4 s.
 */
async function waitForNotification(
  page: Page,
  title: string,
): Promise<Locator> {
  const found = page.getByText(title, { exact: true });
  for (let round = 0; round < 30; round++) {
    await page.goto(`${baseUrl}/notifications`);
    try {
      await found.first().waitFor({ timeout: 4_000 });
      return found.first();
    } catch {
      // not stored yet
    }
  }
  throw new Error(`No notification "${title}"`);
}

test('an approver is told of a new waiting deploy and decides it from the notification; its author is not told; another open inbox drops it without a reload', async () => {
  // Signed in with GitHub: approvals are sent with the approver's own GitHub token.
  const approver = await signedIn('alex-kim');
  const author = await signedIn('jordan-lee');
  const otherInbox = await signedIn('alex-kim');

  const createdAt = Date.now();
  const release = await createRelease({
    title: 'feat(notify): tell approvers when a deploy waits',
    author: 'jordan-lee',
  });
  const title = `lexecon-api ${release.version} waits for your approval to production`;

  const notification = await waitForNotification(approver, title);
  // eslint-disable-next-line no-console
  console.log(
    `notification shown ${
      Date.now() - createdAt
    } ms after the sandbox created run ${release.runId} (page loads included)`,
  );
  await approver.screenshot({
    path: 'test-results/notifications-approver.png',
  });

  // The second inbox is open before the decision and is never reloaded after it.
  const otherItem = await waitForInboxItem(otherInbox, release.runId);

  // The author of a change in the run is not asked to approve it.
  await author.goto(`${baseUrl}/notifications`);
  await author.getByText('Notifications', { exact: true }).first().waitFor();
  assert.equal(
    await author.getByText(title, { exact: true }).count(),
    0,
    'jordan-lee is not told to approve a run with his own change',
  );
  await author.screenshot({ path: 'test-results/notifications-author.png' });

  // The notification leads to the run in the inbox.
  await notification.click();
  await approver.waitForURL(/\/lexecon\/approvals/, { timeout: 30_000 });
  const item = approver.getByTestId(`approval-item-${release.runId}`);
  await item.waitFor({ timeout: 60_000 });
  await item.getByTestId('reject-button').click();
  const dialog = approver.getByRole('dialog');
  await dialog
    .getByTestId('decision-comment')
    .locator('textarea, input')
    .first()
    .fill('Not this week: the notification path needs a load test first');
  await dialog.getByTestId('confirm-decision').click();
  assert.match(
    await decisionOutcome(dialog),
    new RegExp(
      `^Rejected ${release.version.replace(/\./g, '\\.')} for production`,
    ),
  );

  // The other open inbox drops the run through a signal, without a reload.
  await otherItem.waitFor({ state: 'detached', timeout: 30_000 });
  await otherInbox.screenshot({
    path: 'test-results/notifications-other-inbox.png',
  });

  for (const page of [approver, author, otherInbox]) {
    await page.context().close();
  }
});
