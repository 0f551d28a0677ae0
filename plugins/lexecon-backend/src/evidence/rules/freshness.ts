import { EvidenceCadence } from '@internal/plugin-lexecon-common';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Calendar months each cadence lasts; the others last a fixed time. */
const MONTHS: Partial<Record<EvidenceCadence, number>> = {
  monthly: 1,
  quarterly: 3,
  annual: 12,
};

/**
 * When evidence collected at `collected` stops counting: a day for continuous and daily items
 * (a continuous source that has not observed for a day is not continuous), else the same time
 * one, three or twelve calendar months later in UTC, on the month's last day when it is shorter
 * (31 January + 1 month = 28 or 29 February).
 */
export function expiresAt(collected: Date, cadence: EvidenceCadence): Date {
  const months = MONTHS[cadence];
  if (months === undefined) return new Date(collected.getTime() + DAY_MS);
  const year = collected.getUTCFullYear();
  const month = collected.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(collected.getUTCDate(), lastDay),
      collected.getUTCHours(),
      collected.getUTCMinutes(),
      collected.getUTCSeconds(),
      collected.getUTCMilliseconds(),
    ),
  );
}

/**
 * How long before it expires an item shows as due soon: the configured lead, but at most a
 * quarter of the item's period, so that a daily item is not due soon from the moment it is
 * collected.
 */
export function dueSoonLeadMs(
  cadence: EvidenceCadence,
  configuredLeadMs: number,
  collected: Date,
): number {
  const period = expiresAt(collected, cadence).getTime() - collected.getTime();
  return Math.min(configuredLeadMs, Math.floor(period / 4));
}

export type Freshness = 'fresh' | 'due-soon' | 'overdue';

/**
 * Fresh until the lead before expiry; due soon from then up to and including the expiry instant;
 * overdue from one millisecond after it.
 */
export function freshnessAt(
  now: Date,
  expires: Date,
  leadMs: number,
): Freshness {
  const t = now.getTime();
  if (t > expires.getTime()) return 'overdue';
  if (t >= expires.getTime() - leadMs) return 'due-soon';
  return 'fresh';
}
