import { formatCountdown, formatSpan } from './format';

describe('formatSpan', () => {
  it('uses days and hours from one day on', () => {
    expect(formatSpan(74 * 3600 + 7 * 60)).toBe('3d 2h');
    expect(formatSpan(2 * 3600 + 10 * 60)).toBe('2h 10m');
  });
});

describe('formatCountdown', () => {
  const now = Date.parse('2026-11-20T15:00:00Z');
  const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();

  it('counts down in days, hours or minutes', () => {
    expect(formatCountdown(at(30 * 86400 - 45 * 60), now)).toBe('29d 23h');
    expect(formatCountdown(at(5 * 3600 + 12 * 60), now)).toBe('5h 12m');
    expect(formatCountdown(at(12 * 60 + 30), now)).toBe('12m');
    expect(formatCountdown(at(20), now)).toBe('1m');
  });

  it('says when the time is up', () => {
    expect(formatCountdown(at(0), now)).toBe('expired');
    expect(formatCountdown(at(-60), now)).toBe('expired');
    expect(formatCountdown('not a time', now)).toBe('unknown');
  });
});
