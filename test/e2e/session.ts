import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { after, before } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  baseUrl,
  launchBrowser,
  signInWithCompany,
  signInWithGithub,
} from './browser';

const CONTROL_URL = process.env.SANDBOX_CONTROL_URL ?? 'http://127.0.0.1:7199';

/**
 * One chromium for the calling file's tests; each page it opens is a browser context of its own
 * (its own session), signed in as `login` through GitHub or the company's identity provider.
 */
export function useSignedInPages() {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchBrowser();
    mkdirSync('test-results', { recursive: true });
  });
  after(async () => {
    await browser?.close();
  });
  return async (
    login: string,
    via: 'github' | 'company' = 'github',
  ): Promise<Page> => {
    assert.ok(browser, 'the browser starts before the tests');
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
    });
    const page = await context.newPage();
    await (via === 'github' ? signInWithGithub : signInWithCompany)(
      page,
      login,
    );
    return page;
  };
}

export interface Release {
  runId: number;
  version: string;
  sha: string;
}

/**
 * A new release of the Lexecon API waiting on production, dispatched by priya-nair, of one commit
 * pushed first: the sandbox's `POST /runs`. The pipeline has measured nothing of that commit (no
 * coverage or quality report), so its readiness misses inputs and is below the gate.
 */
export async function createRelease(commit: {
  title: string;
  author: string;
}): Promise<Release> {
  const response = await fetch(`${CONTROL_URL}/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ actor: 'priya-nair', push: [commit] }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return response.json();
}

/** What the sandbox seeded that a test checks the portal shows (from its control API). */
export async function sandboxFacts(): Promise<{
  selfApproved: { runId: number; version: string; approver: string };
}> {
  const response = await fetch(`${CONTROL_URL}/healthz`);
  assert.equal(response.status, 200);
  return response.json();
}

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

/**
 * The decision dialog's answer once it has one: the outcome, an error or a conflict (each
 * replaces the progress line).
 */
export async function decisionAnswer(dialog: Locator): Promise<Locator> {
  const answer = dialog
    .getByTestId('decision-outcome')
    .or(dialog.getByTestId('decision-error'))
    .or(dialog.getByTestId('decision-conflict'));
  await answer.waitFor({ timeout: 60_000 });
  return answer;
}

/** The text of a decision's outcome; an error or conflict fails here, with its words. */
export async function decisionOutcome(dialog: Locator): Promise<string> {
  const answer = await decisionAnswer(dialog);
  const text = (await answer.innerText()).trim();
  assert.equal(
    await dialog.getByTestId('decision-outcome').count(),
    1,
    `the decision failed: ${text}`,
  );
  return text;
}

/**
 * The Lexecon API's tab once its Cost card shows the analysis. The cost sources read the sandbox
 * once, shortly after the backend starts, and the card shows what the backend had when the page
 * loaded: until the first read is stored, reload the page as a person would. Bounded: 24 rounds
 * of at most 5 s.
 */
export async function openCostCard(page: Page): Promise<Locator> {
  const card = page.getByTestId('cost-card');
  const total = card.getByTestId('cost-row-total');
  for (let round = 0; round < 24; round++) {
    await page.goto(`${baseUrl}/catalog/default/component/lexecon-api/lexecon`);
    try {
      await total.waitFor({ timeout: 5_000 });
      return card;
    } catch {
      // not read yet: load the page again
    }
  }
  throw new Error('The Cost card never showed its analysis');
}

/** The file the page saves when `button` is pressed, with its suggested name. */
export async function download(page: Page, testId: string) {
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByTestId(testId).click(),
  ]);
  const path = await file.path();
  assert.ok(path, 'the download was saved');
  return {
    name: file.suggestedFilename(),
    lines: (await readFile(path, 'utf8')).trim().split(/\r?\n/),
  };
}
