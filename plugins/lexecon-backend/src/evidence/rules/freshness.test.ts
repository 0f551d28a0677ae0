import { dueSoonLeadMs, expiresAt, freshnessAt } from './freshness';

const at = (iso: string) => new Date(iso);

describe('expiresAt', () => {
  it('gives continuous and daily evidence one day', () => {
    expect(expiresAt(at('2026-03-01T10:00:00.000Z'), 'continuous')).toEqual(
      at('2026-03-02T10:00:00.000Z'),
    );
    expect(expiresAt(at('2026-03-01T10:00:00.000Z'), 'daily')).toEqual(
      at('2026-03-02T10:00:00.000Z'),
    );
  });

  it('counts calendar months in UTC, ending on a shorter month’s last day', () => {
    expect(expiresAt(at('2026-01-31T08:30:00.000Z'), 'monthly')).toEqual(
      at('2026-02-28T08:30:00.000Z'),
    );
    expect(expiresAt(at('2027-11-30T00:00:00.000Z'), 'quarterly')).toEqual(
      at('2028-02-29T00:00:00.000Z'),
    );
    expect(expiresAt(at('2026-02-15T12:00:00.000Z'), 'annual')).toEqual(
      at('2027-02-15T12:00:00.000Z'),
    );
    expect(expiresAt(at('2028-02-29T12:00:00.000Z'), 'annual')).toEqual(
      at('2029-02-28T12:00:00.000Z'),
    );
  });
});

describe('freshnessAt', () => {
  const expires = at('2026-06-30T12:00:00.000Z');
  const lead = 14 * 86_400_000;

  it('is overdue only from one millisecond after the expiry instant', () => {
    expect(freshnessAt(expires, expires, lead)).toBe('due-soon');
    expect(freshnessAt(new Date(expires.getTime() + 1), expires, lead)).toBe(
      'overdue',
    );
  });

  it('is due soon from exactly the lead before expiry, fresh one millisecond earlier', () => {
    const dueFrom = new Date(expires.getTime() - lead);
    expect(freshnessAt(dueFrom, expires, lead)).toBe('due-soon');
    expect(freshnessAt(new Date(dueFrom.getTime() - 1), expires, lead)).toBe(
      'fresh',
    );
  });
});

describe('dueSoonLeadMs', () => {
  it('keeps the configured lead for long cadences and caps it at a quarter of a short one', () => {
    const collected = at('2026-01-01T00:00:00.000Z');
    const fortnight = 14 * 86_400_000;
    expect(dueSoonLeadMs('annual', fortnight, collected)).toBe(fortnight);
    expect(dueSoonLeadMs('daily', fortnight, collected)).toBe(6 * 3_600_000);
  });
});
