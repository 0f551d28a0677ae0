// UTC calendar days and months as the cost facts name them (`YYYY-MM-DD`, `YYYY-MM`).
const DAY_MS = 24 * 3600 * 1000;

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

export const monthOf = (day: string) => day.slice(0, 7);

export function addDays(day: string, days: number) {
  return dayOf(dayMs(day) + days * DAY_MS);
}

/** The days from `from` to `to`, both included; none when `to` is before `from`. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = dayMs(from); t <= dayMs(to); t += DAY_MS) days.push(dayOf(t));
  return days;
}

export const firstDay = (month: string) => `${month}-01`;

export function lastDay(month: string) {
  const [year, monthIndex] = month.split('-').map(Number);
  // Day 0 of the next month is the last day of this one.
  return dayOf(Date.UTC(year, monthIndex, 0));
}

export const daysInMonth = (month: string) => Number(lastDay(month).slice(8));

export function addMonths(month: string, months: number) {
  const [year, monthIndex] = month.split('-').map(Number);
  return dayOf(Date.UTC(year, monthIndex - 1 + months, 1)).slice(0, 7);
}

/** 0 Sunday .. 6 Saturday. */
export const weekday = (day: string) => new Date(dayMs(day)).getUTCDay();
