import type { Locator, Page } from 'playwright-core';
import { baseUrl } from './browser';

/**
 * The inbox item of a run made during the test, once the portal has read it. The inbox shows
 * what the backend had when the page loaded (it does not poll): a run the sandbox has just made
 * reaches the backend through a webhook and a refresh, so until it is there, press the page's
 * Reload button, as a person would. Bounded: 24 rounds of at most 5 s.
 */
export async function waitForInboxItem(
  page: Page,
  runId: number,
): Promise<Locator> {
  await page.goto(`${baseUrl}/lexecon/approvals`);
  const item = page.getByTestId(`approval-item-${runId}`);
  const reload = page.getByRole('button', { name: 'Reload', exact: true });
  for (let round = 0; round < 24; round++) {
    try {
      await item.waitFor({ timeout: 5_000 });
      return item;
    } catch {
      await reload.click();
    }
  }
  await item.waitFor({ timeout: 5_000 });
  return item;
}
