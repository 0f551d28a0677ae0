import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrl } from './browser';
import { download, useSignedInPages } from './session';

const TAB = '/catalog/default/component/lexecon-api/lexecon';
const DELIVERY = '/lexecon/delivery';

const signedIn = useSignedInPages();

test("an engineering lead reads the Lexecon API's change failure rate with its band and opens the failures behind it", async () => {
  const page = await signedIn('alex-kim', 'company');
  await page.goto(`${baseUrl}${TAB}`);
  const key = page
    .getByTestId('delivery-card')
    .getByTestId('delivery-key-change-failure-rate');
  await key.getByText(/performer|No band/).waitFor({ timeout: 90_000 });
  const shown = await key.innerText();
  assert.match(shown, /\d+\.\d%/, `a rate in percent: ${shown}`);
  assert.match(shown, /(Elite|High|Medium|Low) performer/, shown);

  await key.getByRole('button', { name: /^Show \d+ facts behind/ }).click();
  const facts = key.getByTestId('delivery-facts');
  await facts.waitFor();
  const failed = facts
    .getByRole('listitem')
    .filter({ has: page.getByTestId('delivery-fact-note') });
  const count = await failed.count();
  assert.ok(count > 0, 'at least one seeded deploy counts as a failure');
  const first = failed.first();
  assert.match(
    await first.getByTestId('delivery-fact-note').innerText(),
    /^Counted as a failure: (the deploy failed|it was rolled back|an incident followed it)/,
  );
  // The failure opens upstream: the workflow run of the deploy.
  assert.match(
    (await first.getByRole('link').first().getAttribute('href')) ?? '',
    /\/actions\/runs\/\d+$/,
  );
  await page
    .getByTestId('delivery-card')
    .screenshot({ path: 'test-results/delivery-card.png' });
  await page.context().close();
});

test('the delivery portfolio ranks the services, charts a key week by week and downloads the table', async () => {
  const page = await signedIn('alex-kim', 'company');
  await page.goto(`${baseUrl}${DELIVERY}`);
  await page
    .getByTestId('delivery-portfolio-row-lexecon-api')
    .waitFor({ timeout: 90_000 });
  const rows = page.locator('[data-testid^="delivery-portfolio-row-"]');
  const ranks = (await rows.evaluateAll(r =>
    r.map(row => row.querySelector('td')?.textContent ?? ''),
  )) as string[];
  assert.ok(ranks.length >= 4, `every service with deploys (${ranks.length})`);
  assert.deepEqual(
    ranks.map(Number),
    ranks.map((_, i) => i + 1),
    'ranked best first',
  );

  const trend = page.getByTestId('delivery-trend');
  await trend.getByTestId('delivery-trend-row-lexecon-api').waitFor();
  await trend.getByLabel('Key').selectOption('changeFailureRate');
  assert.match(
    await trend.getByTestId('delivery-trend-row-lexecon-api').innerText(),
    /\d+\.\d%/,
  );
  await page.screenshot({
    path: 'test-results/delivery-portfolio.png',
    fullPage: true,
  });

  const csv = await download(page, 'delivery-portfolio-csv');
  assert.equal(csv.name, 'lexecon-delivery.csv');
  assert.equal(csv.lines.length, ranks.length + 1, csv.lines.join('\n'));
  assert.ok(csv.lines.some(line => line.includes('Lexecon API')));
  await page.context().close();
});
