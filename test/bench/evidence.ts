/**
 * The evidence package of the portfolio for a 90-day window (issue 16): its size and how long
 * the backend takes to write it, once the portal has collected its evidence.
 */
import type {
  ChangePopulation,
  EvidenceControlsResponse,
} from '@internal/plugin-lexecon-common';
import { BACKEND_URL } from './backend';
import {
  Distribution,
  distribution,
  REQUEST_TIMEOUT_MS,
  sleep,
} from './measure';

const EVIDENCE_URL = `${BACKEND_URL}/api/lexecon/v1/evidence`;
const DAY_MS = 86_400_000;
/** Packages written and timed, one after another. */
const PACKAGES = 5;
/** Waiting for the first collection of the change population: 90 rounds of 2 s at most. */
const COLLECTION_ROUNDS = 90;

export interface EvidencePackageFigure {
  /** Production deploys of the portfolio in the window (the change population's rows). */
  deploys: number;
  services: number;
  bytes: number;
  latency: Distribution;
}

async function getJson<T>(url: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    headers,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Until every service's change population has been derived from a read deploy history. */
async function waitForPopulation(headers: Record<string, string>) {
  for (let round = 0; round < COLLECTION_ROUNDS; round++) {
    const { controls } = await getJson<EvidenceControlsResponse>(
      `${EVIDENCE_URL}/controls?control=CC8.1`,
      headers,
    );
    const item = controls[0]?.items.find(
      i => i.id === 'cc8.1-change-population',
    );
    if (item?.latest && !/not read yet|Never collected/.test(item.reason)) {
      return;
    }
    await sleep(2_000);
  }
  throw new Error('The change population was not collected within 180 s');
}

export async function benchEvidencePackage(
  headers: Record<string, string>,
): Promise<EvidencePackageFigure> {
  await waitForPopulation(headers);
  const to = new Date();
  const from = new Date(to.getTime() - 90 * DAY_MS);
  const window = `from=${from.toISOString()}&to=${to.toISOString()}`;
  const population = await getJson<ChangePopulation>(
    `${EVIDENCE_URL}/populations/changes?${window}`,
    headers,
  );
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < PACKAGES; i++) {
    const started = performance.now();
    const response = await fetch(`${EVIDENCE_URL}/package?${window}`, {
      headers,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS * 4),
    });
    if (response.status !== 200) {
      throw new Error(`The evidence package answered ${response.status}`);
    }
    bytes = (await response.arrayBuffer()).byteLength;
    times.push(performance.now() - started);
  }
  return {
    deploys: population.rowCount,
    services: population.parameters.services.length,
    bytes,
    latency: distribution(times),
  };
}
