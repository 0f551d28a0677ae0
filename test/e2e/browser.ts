import { Browser, chromium, Page } from 'playwright-core';

export const baseUrl = process.env.E2E_BASE_URL ?? 'http://localhost:7007';

/** Debian's chromium, headless, with no traffic beyond loopback. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens a portal page, signing in as guest when the sign-in page shows. */
export async function openSignedIn(page: Page, path: string) {
  await page.goto(`${baseUrl}${path}`);
  const enter = page.getByRole('button', { name: /enter/i });
  const signedIn = page
    .locator('main, [data-testid="sidebar-root"], nav')
    .first();
  await Promise.race([
    enter.waitFor({ timeout: 60_000 }),
    signedIn.waitFor({ timeout: 60_000 }),
  ]);
  if (await enter.isVisible()) {
    await enter.click();
  }
}
