import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { baseUrl, launchBrowser, signInWithGithub } from './browser';
import { openCostCard } from './session';
import { columnCells } from './table';

// This file runs first (name order) and must leave the world as it found it: it opens the
// decision dialog but never decides.

const TAB = '/catalog/default/component/lexecon-api/lexecon';
const INBOX = '/lexecon/approvals';
const BOARD = '/lexecon/oncall';
const COSTS = '/lexecon/costs';
const DELIVERY = '/lexecon/delivery';
const EVIDENCE = '/lexecon/evidence';

/** axe-core's rules for WCAG 2.0 and 2.1, levels A and AA. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Backstage's AppThemeApi keeps the chosen theme id in localStorage under this key. */
const THEME_STORAGE_KEY = 'theme';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
  mkdirSync('test-results', { recursive: true });
});

after(async () => {
  await browser?.close();
});

/** A page in `theme`, signed in as alex-kim (an approver, who also reads the audit trail). */
async function approverPage(theme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    // The app's Content-Security-Policy forbids the inline script that injects axe.
    bypassCSP: true,
  });
  await context.addInitScript(
    ([key, value]) => window.localStorage.setItem(key, value),
    [THEME_STORAGE_KEY, theme],
  );
  const page = await context.newPage();
  await signInWithGithub(page, 'alex-kim');
  return page;
}

/**
 * Data has arrived once no progress bar is left, and the page is still once no transition runs
 * (a dialog fading in has, for a moment, too little contrast).
 */
async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[role="progressbar"]').length === 0 &&
      document.getAnimations().every(a => a.playState !== 'running'),
    undefined,
    { timeout: 90_000 },
  );
}

/** axe's WCAG 2.1 A/AA violations on the page as it is now, one line each. */
async function violations(page: Page, where: string): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  }
  const found = await page.evaluate(
    async tags =>
      (
        await (
          window as unknown as {
            axe: {
              run: (
                context: Document,
                options: object,
              ) => Promise<{ violations: AxeViolation[] }>;
            };
          }
        ).axe.run(document, { runOnly: { type: 'tag', values: tags } })
      ).violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map(n => ({ target: n.target })),
      })),
    WCAG_21_AA,
  );
  return found.map(
    v =>
      `${where}: ${v.id} (${v.impact}) ${v.help}; ${
        v.nodes.length
      } element(s): ${v.nodes
        .slice(0, 8)
        .map(n => JSON.stringify(n.target))
        .join(', ')}`,
  );
}

/** The page's background, to know the theme asked for is the one shown. */
async function backgroundIsDark(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const [r, g, b] = (
      getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []
    ).map(Number);
    return r + g + b < 3 * 128;
  });
}

async function scanTab(page: Page, theme: string): Promise<string[]> {
  // The tab with the Cost card's analysis, once the daily cost sources have read the sandbox.
  await openCostCard(page);
  const rows = page.getByTestId('deployment-row');
  await rows.first().waitFor({ timeout: 90_000 });
  await page.getByTestId('sla-status').first().waitFor({ timeout: 90_000 });
  await settled(page);
  const found = await violations(page, `${theme} tab`);

  // The acknowledgement dialog of the first open anomaly: opened and cancelled, never sent.
  await page.getByTestId('cost-anomaly-acknowledge').first().click();
  const acknowledge = page.getByRole('dialog');
  await acknowledge.getByLabel('Reason').waitFor();
  await settled(page);
  found.push(...(await violations(page, `${theme} acknowledge dialog`)));
  await acknowledge.getByRole('button', { name: 'Cancel' }).click();
  await acknowledge.waitFor({ state: 'detached' });

  await rows
    .first()
    .getByRole('button', { name: /^Changes in / })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByText(/commits? since|First known deploy/)
    .first()
    .waitFor({ timeout: 30_000 });
  await settled(page);
  found.push(...(await violations(page, `${theme} changelog dialog`)));
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  await page.getByTestId('flag-row').first().click();
  await flagHistoryShown(dialog);
  await settled(page);
  found.push(...(await violations(page, `${theme} flag history dialog`)));
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  return found;
}

/** A flag's history dialog once it shows its changes, or says there are none. */
async function flagHistoryShown(dialog: Locator) {
  await dialog
    .getByTestId('flag-change')
    .or(dialog.getByText(/^No changes in the period/))
    .first()
    .waitFor({ timeout: 30_000 });
}

async function scanInbox(page: Page, theme: string): Promise<string[]> {
  await page.goto(`${baseUrl}${INBOX}`);
  const item = page.locator('[data-testid^="approval-item-"]').first();
  await item.waitFor({ timeout: 90_000 });
  // This file runs first: the trail may still be empty.
  await page
    .getByTestId('audit-row')
    .or(page.getByText('No audit records match.'))
    .first()
    .waitFor({ timeout: 90_000 });
  await settled(page);
  const found = await violations(page, `${theme} inbox and audit trail`);

  await item.getByTestId('approve-button').click();
  const dialog = page.getByTestId('decision-dialog');
  await dialog.getByTestId('decision-comment').waitFor();
  await settled(page);
  found.push(...(await violations(page, `${theme} decision dialog`)));
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  return found;
}

async function scanBoard(page: Page, theme: string): Promise<string[]> {
  await page.goto(`${baseUrl}${BOARD}`);
  await page
    .getByTestId('oncall-uptime')
    .first()
    .getByText(/target/)
    .waitFor({ timeout: 90_000 });
  await settled(page);
  return violations(page, `${theme} on-call board`);
}

async function scanCosts(page: Page, theme: string): Promise<string[]> {
  await page.goto(`${baseUrl}${COSTS}`);
  await page
    .getByTestId('cost-portfolio-row-lexecon-api')
    .waitFor({ timeout: 120_000 });
  await settled(page);
  return violations(page, `${theme} cost portfolio`);
}

async function scanDelivery(page: Page, theme: string): Promise<string[]> {
  await page.goto(`${baseUrl}${DELIVERY}`);
  await page
    .getByTestId('delivery-trend-row-lexecon-api')
    .waitFor({ timeout: 90_000 });
  await settled(page);
  return violations(page, `${theme} delivery portfolio`);
}

async function scanEvidence(page: Page, theme: string): Promise<string[]> {
  await page.goto(`${baseUrl}${EVIDENCE}`);
  const control = page.getByTestId('evidence-control-CC8.1');
  await control.waitFor({ timeout: 90_000 });
  await control.getByRole('button', { name: /^CC8\.1: / }).click();
  await page
    .getByTestId('evidence-control-detail')
    .waitFor({ timeout: 60_000 });
  await settled(page);
  const found = await violations(page, `${theme} evidence page`);
  await page.goto(`${baseUrl}${EVIDENCE}/gdpr`);
  await page.getByRole('heading', { name: /GDPR/ }).first().waitFor();
  await settled(page);
  found.push(...(await violations(page, `${theme} GDPR registers`)));
  return found;
}

for (const theme of ['light', 'dark'] as const) {
  test(`every page and dialog of the plugin passes axe's WCAG 2.1 A and AA rules in the ${theme} theme`, async () => {
    const page = await approverPage(theme);
    assert.equal(
      await backgroundIsDark(page),
      theme === 'dark',
      `the ${theme} theme is shown`,
    );
    const found = [
      ...(await scanTab(page, theme)),
      ...(await scanInbox(page, theme)),
      ...(await scanBoard(page, theme)),
      ...(await scanCosts(page, theme)),
      ...(await scanDelivery(page, theme)),
      ...(await scanEvidence(page, theme)),
    ];
    assert.deepEqual(
      found,
      [],
      `axe found violations:\n${found.map(line => `  ${line}`).join('\n')}`,
    );
    await page.context().close();
  });
}

/** Presses Tab until `target` has the focus; a page that never reaches it fails here. */
async function tabTo(page: Page, target: Locator, what: string) {
  for (let presses = 0; presses < 200; presses++) {
    if (await target.evaluate(element => element === document.activeElement)) {
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
}

test('with the keyboard only, an approver opens and closes a changelog, filters the history and writes a decision comment', async () => {
  const page = await approverPage('light');
  await page.goto(`${baseUrl}${TAB}`);
  const rows = page.getByTestId('deployment-row');
  await rows.first().waitFor({ timeout: 90_000 });
  const footer = page.getByText(/^Showing \d+ of \d+ deploys$/);
  const footerBefore = await footer.innerText();

  // The changelog of the first deploy: Tab to its button, Enter, then Escape.
  const changes = rows.first().getByRole('button', { name: /^Changes in / });
  await tabTo(page, changes, 'the first deploy’s changes button');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog
    .getByText(/commits? since|First known deploy/)
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });

  // The Environment filter, set to production with the arrow keys.
  const environment = page.getByLabel('Environment', { exact: true });
  await tabTo(page, environment, 'the Environment filter');
  const options = await environment.locator('option').allTextContents();
  const steps = options.indexOf('production');
  assert.ok(steps > 0, `production is a choice: ${options.join(', ')}`);
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
  await footer
    .filter({ hasNotText: footerBefore })
    .waitFor({ timeout: 30_000 });
  const shown = await rows.count();
  assert.ok(shown > 0, 'production deploys are listed');
  const history = page.locator('table').filter({ has: rows });
  const environments = await (
    await columnCells(history, rows, 'Environment')
  ).allInnerTexts();
  assert.deepEqual(
    [...new Set(environments.map(e => e.trim()))],
    ['production'],
  );

  // The decision dialog from the inbox: Enter on approve, a comment typed, Escape leaves it.
  await page.goto(`${baseUrl}${INBOX}`);
  const item = page.locator('[data-testid^="approval-item-"]').first();
  await item.waitFor({ timeout: 90_000 });
  const approve = item.getByTestId('approve-button');
  await tabTo(page, approve, 'the approve button');
  await page.keyboard.press('Enter');
  const decision = page.getByTestId('decision-dialog');
  const comment = decision
    .getByTestId('decision-comment')
    .locator('textarea, input')
    .first();
  await comment.waitFor();
  await tabTo(page, comment, 'the comment field');
  await page.keyboard.type('Checked the staging soak');
  assert.equal(await comment.inputValue(), 'Checked the staging soak');
  await page.keyboard.press('Escape');
  await decision.waitFor({ state: 'detached', timeout: 10_000 });
  // Nothing was decided: the run still waits.
  await item.getByTestId('approve-button').waitFor();
  await page.context().close();
});

test('with the keyboard only, a person opens and closes the change history of a feature flag', async () => {
  const page = await approverPage('light');
  await page.goto(`${baseUrl}${TAB}`);
  const row = page.getByTestId('flag-row').first();
  await row.waitFor({ timeout: 90_000 });
  const history = row.getByRole('button', { name: /^Change history of / });
  await tabTo(page, history, 'the first flag’s history button');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await flagHistoryShown(dialog);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  await page.context().close();
});
