import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type {
  OnCallBoard,
  OnCallService,
} from '@internal/plugin-lexecon-common';
import { launchBrowser, openSignedIn } from './browser';
import { columnCells } from './table';

let browser: Browser;
let page: Page;

type OnCallSla = NonNullable<OnCallService['sla']['data']>;

const FLAGS = [
  'enable_async_auth',
  'enable_observability_export',
  'enable_strict_validation',
];
const ENVIRONMENTS = ['development', 'staging', 'production'];

before(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  mkdirSync('test-results', { recursive: true });
});

after(async () => {
  await browser?.close();
});

/**
 * The status the board promises for month-to-date figures (SLA_THRESHOLDS): below the target is
 * breached; a burn rate above 1 or less than 25% of the budget left is at risk.
 */
function expectedStatus(sla: OnCallSla): string {
  if (sla.uptimePercent < sla.targetPercent) return 'Breached';
  if (sla.burnRate > 1 || sla.errorBudgetRemainingPercent < 25) {
    return 'At risk';
  }
  return 'Exceeding target';
}

test('on-call sees the SLA on the board, then the flags and the change behind an incident on the tab', async () => {
  // The exact figures behind the board (the page asks once), to know which status it must show.
  const boardResponse = page.waitForResponse(
    response =>
      new URL(response.url()).pathname === '/api/lexecon/v1/oncall' &&
      response.ok(),
    { timeout: 120_000 },
  );
  await openSignedIn(page, '/lexecon/oncall');

  // The board: Lexecon's month-to-date uptime against its target, with a status.
  const lexecon = page
    .getByTestId('oncall-service')
    .filter({ hasText: /lexecon/i });
  await lexecon.first().waitFor({ timeout: 90_000 });
  const uptime = lexecon.first().getByTestId('oncall-uptime');
  await uptime.getByText(/target 99\.9%/).waitFor({ timeout: 90_000 });
  assert.match(await uptime.innerText(), /\d{2,3}\.\d{3}% \(target 99\.9%\)/);
  const board: OnCallBoard = await (await boardResponse).json();
  const service = board.services.find(
    s => s.entityRef === 'component:default/lexecon-api',
  );
  assert.ok(service?.sla.data, 'the board answered with the SLA of Lexecon');
  const sla = service.sla.data;
  assert.equal(
    await uptime.innerText().then(text => text.split('\n')[0]),
    `${sla.uptimePercent.toFixed(3)}% (target ${sla.targetPercent}%)`,
  );
  const slaCell = await columnCells(
    page.getByRole('table', { name: 'Services by risk' }),
    lexecon.first(),
    'SLA',
  );
  assert.equal(
    (await slaCell.innerText()).trim().split('\n')[0],
    expectedStatus(sla),
    `the SLA status for ${JSON.stringify(sla)}`,
  );
  // What changed: the timeline merges deploys, production flag changes and incidents.
  await page.getByText('What changed in the last 24 hours').waitFor();
  await page.screenshot({ path: 'test-results/oncall.png', fullPage: true });

  // From the board to Lexecon's Release & Compliance tab.
  await lexecon.first().getByRole('link').first().click();
  await page.waitForURL(/\/catalog\/default\/component\/lexecon-api/);
  await page.getByRole('link', { name: 'Release & Compliance' }).click();
  await page.waitForURL(/\/lexecon$/);

  // The three flags, one column per environment, each with its last change.
  for (const flag of FLAGS) {
    const row = page.getByTestId('flag-row').filter({ hasText: flag });
    await row.first().waitFor({ timeout: 90_000 });
    for (const env of ENVIRONMENTS) {
      const cell = row.first().getByTestId(`flag-${flag}-${env}`);
      assert.match(
        await cell.innerText(),
        /^(on|off)(\n|$)/,
        `${flag} in ${env}`,
      );
    }
    assert.match(
      await row.first().innerText(),
      /\S+@\S+, (just now|yesterday|last (week|month|year)|\d+ \w+ ago)/,
      `${flag} shows who last changed it, and when`,
    );
  }

  // An incident linked to the deploy or flag change that preceded it.
  const linked = page
    .getByTestId('incident-row')
    .filter({ hasText: /(Flag|Deploy): / });
  await linked.first().waitFor({ timeout: 30_000 });
  await page.screenshot({
    path: 'test-results/reliability-cards.png',
    fullPage: true,
  });

  // A flag row opens its change history.
  await page.getByTestId('flag-row').filter({ hasText: FLAGS[0] }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`Change history of ${FLAGS[0]}`).waitFor();
  assert.ok((await dialog.getByTestId('flag-change').count()) > 0);
});
