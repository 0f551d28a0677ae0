import { DsrDeadlineRule, DsrStatus } from '@internal/plugin-lexecon-common';
import { HOUR_MS } from '../rules/freshness';

const DAY_MS = 24 * HOUR_MS;
/** Art. 33(1): the supervisory authority is told within 72 hours of awareness. */
export const BREACH_NOTIFICATION_MS = 72 * HOUR_MS;

const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

/**
 * The same day `months` calendar months later, or that month's last day when it is shorter (the
 * counting of Regulation 1182/71 the EDPB applies to Art. 12(3)): 31 January + 1 = 28/29 February.
 */
export function addCalendarMonths(day: string, months: number): string {
  const start = new Date(dayMs(day));
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return toDay(Date.UTC(year, month, Math.min(start.getUTCDate(), lastDay)));
}

/**
 * The last day to answer a request received on `receivedOn`: one month by the request's own rule,
 * plus the extension's months, counted from receipt (so an extended request received on 31 January
 * is due 30 April by the calendar, not 28 April through 28 February).
 */
export function dsrDeadline(
  receivedOn: string,
  rule: DsrDeadlineRule,
  extensionMonths = 0,
): string {
  const months = 1 + extensionMonths;
  if (rule === 'days-30')
    return toDay(dayMs(receivedOn) + 30 * months * DAY_MS);
  return addCalendarMonths(receivedOn, months);
}

/** Past its deadline: answered after its last day, or still open once that day has ended (UTC). */
export function dsrOverdue(
  request: { status: DsrStatus; closedOn?: string },
  deadline: string,
  now: Date,
): boolean {
  if (request.status === 'closed') {
    return (request.closedOn ?? '') > deadline;
  }
  return now.toISOString().slice(0, 10) > deadline;
}

export function breachNotifyBy(awareAt: string): string {
  return new Date(Date.parse(awareAt) + BREACH_NOTIFICATION_MS).toISOString();
}

/**
 * Late: the authority was told after the 72 hours (at exactly 72 hours is in time), or has not
 * been told and the 72 hours have passed.
 */
export function breachLate(
  breach: { awareAt: string; notifiedAuthorityAt?: string },
  now: Date,
): boolean {
  const notifyBy = Date.parse(breach.awareAt) + BREACH_NOTIFICATION_MS;
  const notified = breach.notifiedAuthorityAt
    ? Date.parse(breach.notifiedAuthorityAt)
    : undefined;
  return (notified ?? now.getTime()) > notifyBy;
}
