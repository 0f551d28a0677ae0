import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import { baseUrl } from './browser';
import { sandboxFacts, useSignedInPages } from './session';

const signedIn = useSignedInPages();

/** Every file of a zip by name, read with yauzl (not the portal's own reader). */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    fromBuffer(zip, { lazyEntries: true }, (error, archive?: ZipFile) => {
      if (error || !archive) return reject(error);
      archive.on('entry', (entry: Entry) => {
        if (entry.fileName.endsWith('/')) return archive.readEntry();
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', chunk => chunks.push(chunk));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            archive.readEntry();
          });
          return undefined;
        });
        return undefined;
      });
      archive.on('end', () => resolve(files));
      archive.on('error', reject);
      archive.readEntry();
      return undefined;
    });
  });
}

const sha256 = (data: Buffer) =>
  createHash('sha256').update(data).digest('hex');

/** `<sha256>  <path>` lines, checked against the files: every line holds and nothing is left out. */
function checkManifest(
  files: Map<string, Buffer>,
  name: string,
  covers: (path: string) => boolean,
) {
  const manifest = files.get(name);
  assert.ok(manifest, `${name} is in the bag`);
  const listed = new Set<string>();
  for (const line of manifest.toString('utf8').split('\n').filter(Boolean)) {
    const [hash, ...rest] = line.split(/\s+/);
    const path = rest.join(' ');
    const file = files.get(path);
    assert.ok(file, `${name} lists ${path}, which is in the bag`);
    assert.equal(sha256(file), hash, `${path} has the hash ${name} gives`);
    listed.add(path);
  }
  for (const path of files.keys()) {
    if (covers(path)) assert.ok(listed.has(path), `${name} lists ${path}`);
  }
  return listed.size;
}

test('an auditor opens CC8.1 with its change population and exceptions, draws a reproducible sample and takes a package whose hashes and signature verify', async () => {
  const page = await signedIn('casey-morgan', 'company');
  const population = page.getByTestId('evidence-item-cc8.1-change-population');
  // The portal collects its evidence on a schedule, first shortly after it starts: until the
  // population is collected, load the page again, as a person would. Bounded: 40 rounds of 5 s.
  let shown = '';
  for (let round = 0; round < 40; round++) {
    await page.goto(`${baseUrl}/lexecon/evidence`);
    const control = page.getByTestId('evidence-control-CC8.1');
    await control.waitFor({ timeout: 60_000 });
    await control.getByRole('button', { name: /^CC8\.1: / }).click();
    await population.waitFor({ timeout: 60_000 });
    shown = await population.innerText();
    // Collected first, perhaps before the deploys' change sets were read; derived again within
    // a minute of the deploy history changing.
    if (/SoD exception/.test(shown)) break;
    await page.waitForTimeout(5_000);
  }
  // The seeded release jordan-lee approved in GitHub although he wrote part of it fails the
  // control, named in its reason.
  const { selfApproved } = await sandboxFacts();
  assert.match(shown, /Failing/i, shown);
  assert.match(
    shown,
    new RegExp(
      `${selfApproved.version.replace(
        /\./g,
        '\\.',
      )}: approved by jordan-lee, who authored part of the change: SoD exception`,
    ),
    shown,
  );
  // The population below the control lists the exception with its run, and says whether it
  // holds every production deployment GitHub lists.
  const exceptions = page.getByTestId('change-population-exceptions');
  await exceptions.waitFor({ timeout: 60_000 });
  const exceptionRow = exceptions
    .getByRole('row')
    .filter({ hasText: selfApproved.version });
  assert.match(await exceptionRow.innerText(), /jordan-lee/);
  assert.match(
    (await exceptionRow.getByRole('link').first().getAttribute('href')) ?? '',
    new RegExp(`/actions/runs/${selfApproved.runId}$`),
  );
  const completeness = page.getByTestId('change-population-completeness');
  await completeness.waitFor({ timeout: 60_000 });
  assert.match(await completeness.innerText(), /Complete|lacks|missing/i);
  // An auditor reads: no write action is offered.
  assert.equal(
    await page
      .getByRole('button', { name: /Attach evidence|Mark not applicable/ })
      .count(),
    0,
  );
  await page.screenshot({
    path: 'test-results/evidence-cc81.png',
    fullPage: true,
  });

  // A sample drawn with a seed is drawn again, the same, from the same seed.
  const panel = page.getByTestId('evidence-package-panel');
  const draw = async () => {
    await panel.getByLabel('Sample size').fill('10');
    await panel.getByLabel('Seed').fill('audit-2026-q4');
    await panel.getByRole('button', { name: 'Draw a sample' }).click();
    const sample = panel.getByTestId('evidence-sample');
    try {
      await sample.getByTestId('evidence-sample-seed-used').waitFor();
    } catch {
      throw new Error(`No sample was drawn: ${await panel.innerText()}`);
    }
    assert.equal(
      await sample.getByTestId('evidence-sample-seed-used').innerText(),
      'audit-2026-q4',
    );
    return sample.getByRole('table', { name: 'Sampled rows' }).innerText();
  };
  const first = await draw();
  assert.ok(first.split('\n').length > 2, `rows were sampled: ${first}`);
  assert.equal(await draw(), first, 'the same seed draws the same rows');

  // The package, checked here without the portal's verifier.
  const publicKeyPem = await panel
    .getByTestId('evidence-signing-key')
    .locator('pre')
    .innerText();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    panel.getByRole('button', { name: 'Download package' }).click(),
  ]);
  const path = await download.path();
  assert.ok(path, 'the package was saved');
  const files = await unzip(await readFile(path));
  assert.match(
    files.get('bagit.txt')?.toString('utf8') ?? '',
    /^BagIt-Version: 1\.0/m,
  );
  const payload = checkManifest(files, 'manifest-sha256.txt', p =>
    p.startsWith('data/'),
  );
  assert.ok(payload > 5, `the payload lists ${payload} files`);
  checkManifest(
    files,
    'tagmanifest-sha256.txt',
    p => !p.startsWith('data/') && !p.startsWith('tagmanifest-'),
  );
  const bagInfo = files.get('bag-info.txt')?.toString('utf8') ?? '';
  const bytes = [...files]
    .filter(([p]) => p.startsWith('data/'))
    .reduce((sum, [, data]) => sum + data.length, 0);
  assert.match(
    bagInfo,
    new RegExp(`^Payload-Oxum: ${bytes}\\.${payload}$`, 'm'),
  );
  const signature = files.get('tagmanifest-sha256.txt.sig');
  assert.ok(signature, 'the tag manifest is signed');
  assert.ok(
    verify(
      null,
      files.get('tagmanifest-sha256.txt')!,
      createPublicKey(publicKeyPem),
      signature,
    ),
    'the signature verifies with the key the page shows',
  );
  assert.ok(
    files.has('data/populations/changes.csv'),
    'the change population is in the package',
  );
  await page.context().close();
});
