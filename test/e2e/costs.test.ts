import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrl } from './browser';
import { download, openCostCard, useSignedInPages } from './session';

const COSTS = '/lexecon/costs';
/** AWS's root cause of the seeded spike in the Lexecon API's database backups. */
const SPIKE_CAUSE =
  'database-backups on AWS: Amazon Relational Database Service, USE1-ChargedBackupUsage';

const signedIn = useSignedInPages();

test('an approver finds the spike and its cause on the Cost card, the savings and the cost per 1,000 decisions', async () => {
  const page = await signedIn('alex-kim', 'company');
  const card = await openCostCard(page);

  // The template: a row per component and a Total.
  for (const component of ['database-backups', 'kubernetes-compute']) {
    await card.getByTestId(`cost-row-${component}`).waitFor();
  }
  // The seeded anomaly, with AWS's root cause.
  const spike = card
    .getByTestId('cost-anomaly')
    .filter({ has: page.getByText(SPIKE_CAUSE, { exact: false }) });
  await spike.waitFor();
  assert.match(
    await spike.getByTestId('cost-anomaly-root-cause').innerText(),
    /Amazon Relational Database Service, USE1-ChargedBackupUsage/,
  );
  // The savings worth doing first include AWS's idle instance and an oversized workload.
  const opportunities = await card
    .getByTestId('cost-opportunity')
    .allInnerTexts();
  assert.ok(
    opportunities.some(o => /^(Right-size|Resize) /.test(o)),
    `an oversized workload is proposed: ${opportunities.join(' | ')}`,
  );
  assert.ok(
    opportunities.some(o =>
      o.startsWith('Remove idle instance lexecon-api-canary-runner'),
    ),
    `the idle instance is proposed: ${opportunities.join(' | ')}`,
  );
  // Cost per 1,000 decisions from Datadog's daily decision counts.
  assert.match(
    await card.getByTestId('cost-per-thousand').first().innerText(),
    /\$\d+\.\d{2,4} per 1,000 decisions over \d+ days?/,
  );
  assert.match(
    await card.getByTestId('cost-allocation').innerText(),
    // On the first of a month, nothing is allocated yet, and the card says that instead.
    /OpenCost allocates \$[\d,]+\.\d{2} to its workloads this month|OpenCost has allocated nothing for this month yet/,
  );
  await card.screenshot({ path: 'test-results/cost-card.png' });
  await page.context().close();
});

test('the portfolio ranks the services against their baselines, lists the spike and downloads both CSVs', async () => {
  const page = await signedIn('alex-kim', 'company');
  await page.goto(`${baseUrl}${COSTS}`);
  const row = page.getByTestId('cost-portfolio-row-lexecon-api');
  await row.waitFor({ timeout: 120_000 });
  const services = await page
    .locator('[data-testid^="cost-portfolio-row-"]')
    .count();
  assert.ok(services >= 4, `every costed service is ranked (${services})`);
  await page
    .getByTestId('cost-portfolio-anomaly')
    .filter({ hasText: SPIKE_CAUSE })
    .first()
    .waitFor();
  await page.screenshot({
    path: 'test-results/cost-portfolio.png',
    fullPage: true,
  });

  const table = await download(page, 'cost-portfolio-csv-table');
  assert.equal(table.name, 'lexecon-cost-portfolio.csv');
  assert.ok(table.lines.length === services + 1, table.lines.join('\n'));
  assert.ok(
    table.lines.some(line => line.includes('Lexecon API')),
    table.lines[1],
  );

  const facts = await download(page, 'cost-portfolio-csv-facts');
  assert.equal(facts.name, 'lexecon-daily-costs.csv');
  assert.equal(
    facts.lines[0],
    'entity,provider,component,day,amount,currency,estimated',
  );
  const api = facts.lines.filter(line =>
    line.startsWith('component:default/lexecon-api,'),
  );
  // 13 months of days for several components and three providers.
  assert.ok(api.length > 1000, `${api.length} daily facts of the Lexecon API`);
  assert.ok(api.some(line => line.includes(',aws,database-backups,')));
  assert.ok(api.some(line => line.includes(',gcp,')));
  await page.context().close();
});

test('an auditor reads the anomaly but has no Acknowledge; an approver acknowledges it and AWS is told', async () => {
  const auditor = await signedIn('casey-morgan', 'company');
  const auditorCard = await openCostCard(auditor);
  const seen = auditorCard
    .getByTestId('cost-anomaly')
    .filter({ hasText: SPIKE_CAUSE });
  await seen.waitFor();
  assert.equal(
    await auditorCard.getByTestId('cost-anomaly-acknowledge').count(),
    0,
  );
  await auditor.context().close();

  const page = await signedIn('alex-kim', 'company');
  const card = await openCostCard(page);
  const spike = card.getByTestId('cost-anomaly').filter({
    hasText: SPIKE_CAUSE,
  });
  await spike.getByTestId('cost-anomaly-acknowledge').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason').selectOption('migration');
  await dialog
    .getByLabel('Comment (optional)')
    .fill('Backups moved to the new vault on purpose');
  await dialog.getByTestId('cost-acknowledge-submit').click();
  await card
    .getByTestId('cost-notice')
    .getByText('Acknowledged, and AWS was told (PLANNED_ACTIVITY).')
    .waitFor({ timeout: 30_000 });
  await spike.waitFor({ state: 'detached', timeout: 30_000 });
  await page.context().close();
});
