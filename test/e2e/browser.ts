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

/**
 * Signs in through the sign-in page's card titled `card`: its "Sign in" opens a popup where the
 * sandbox (playing GitHub's OAuth server or the company's identity provider) shows a
 * "Sign in as <login>" page; the backend matches the login or email to the catalog user.
 */
async function signInThrough(page: Page, card: string, login: string) {
  await page.goto(baseUrl);
  // Each provider is a card (a list item) with a "Sign in" button; the guest card says "Enter".
  const signIn = page
    .getByRole('listitem')
    .filter({ has: page.getByText(card, { exact: true }) })
    .getByRole('button', { name: /^sign in$/i });
  await signIn.waitFor({ timeout: 60_000 });
  const [popup] = await Promise.all([
    page.waitForEvent('popup', { timeout: 30_000 }),
    signIn.click(),
  ]);
  // Listening before the click: the popup may close before a later listener would be attached.
  const closed = popup.waitForEvent('close', { timeout: 30_000 });
  // Its timeout is reported below with screenshots; until then, do not let it crash the process
  // as an unhandled rejection (it can expire while the click is still failing).
  closed.catch(() => {});
  try {
    await popup.getByTestId(`sign-in-${login}`).click({ timeout: 30_000 });
    await closed;
  } catch (error) {
    const screenshots = [`test-results/sign-in-${login}.png`];
    await page.screenshot({ path: screenshots[0] });
    if (!popup.isClosed()) {
      screenshots.push(`test-results/sign-in-${login}-popup.png`);
      await popup.screenshot({ path: screenshots[1] });
    }
    throw new Error(
      `Signing in as ${login} through the ${card} popup did not finish: the popup ${
        popup.isClosed() ? 'closed' : `stayed open at ${popup.url()}`
      } (${
        (error as Error).message.split('\n')[0]
      }). Screenshots: ${screenshots.join(', ')}`,
      { cause: error },
    );
  }
  try {
    // Signed in: the sign-in page gives way to the app.
    await signIn.waitFor({ state: 'detached', timeout: 60_000 });
    await page
      .getByRole('link', { name: /catalog/i })
      .first()
      .waitFor({ timeout: 60_000 });
  } catch (error) {
    await page.screenshot({ path: `test-results/sign-in-${login}.png` });
    throw error;
  }
}

/** Signs in with GitHub: the sandbox's GitHub shows who to sign in as. */
export function signInWithGithub(page: Page, login: string) {
  return signInThrough(page, 'GitHub', login);
}

/**
 * Signs in with "Company sign-in": the sandbox's identity provider lists everyone in the
 * catalog, auditors and on-call included, and the backend finds the user by email.
 */
export function signInWithCompany(page: Page, login: string) {
  return signInThrough(page, 'Company sign-in', login);
}
