import {
  addCalendarMonths,
  breachLate,
  breachNotifyBy,
  dsrDeadline,
  dsrOverdue,
} from './gdprClock';

describe('data subject request deadlines', () => {
  it('counts one calendar month to the same day, or the last day of a shorter month', () => {
    expect(dsrDeadline('2026-01-31', 'calendar-month')).toBe('2026-02-28');
    expect(dsrDeadline('2028-01-31', 'calendar-month')).toBe('2028-02-29');
    expect(dsrDeadline('2026-01-15', 'calendar-month')).toBe('2026-02-15');
    expect(dsrDeadline('2026-12-31', 'calendar-month')).toBe('2027-01-31');
  });

  it('counts 30 days under the days-30 rule', () => {
    expect(dsrDeadline('2026-01-31', 'days-30')).toBe('2026-03-02');
    expect(dsrDeadline('2026-02-01', 'days-30')).toBe('2026-03-03');
  });

  it('extends by one or two further months counted from receipt', () => {
    expect(dsrDeadline('2026-01-31', 'calendar-month', 2)).toBe('2026-04-30');
    expect(dsrDeadline('2026-01-31', 'calendar-month', 1)).toBe('2026-03-31');
    expect(dsrDeadline('2026-01-31', 'days-30', 2)).toBe('2026-05-01');
  });

  it('is overdue from the day after the deadline while open, and when answered after it', () => {
    const open = { status: 'open' as const };
    expect(
      dsrOverdue(open, '2026-02-28', new Date('2026-02-28T23:59:59.999Z')),
    ).toBe(false);
    expect(
      dsrOverdue(open, '2026-02-28', new Date('2026-03-01T00:00:00.000Z')),
    ).toBe(true);
    const now = new Date('2026-06-01T00:00:00Z');
    expect(
      dsrOverdue(
        { status: 'closed', closedOn: '2026-02-28' },
        '2026-02-28',
        now,
      ),
    ).toBe(false);
    expect(
      dsrOverdue(
        { status: 'closed', closedOn: '2026-03-01' },
        '2026-02-28',
        now,
      ),
    ).toBe(true);
  });

  it('adds calendar months across years', () => {
    expect(addCalendarMonths('2026-11-30', 3)).toBe('2027-02-28');
  });
});

describe('the 72-hour breach clock', () => {
  const awareAt = '2026-03-02T09:15:00.000Z';

  it('is due 72 hours after awareness', () => {
    expect(breachNotifyBy(awareAt)).toBe('2026-03-05T09:15:00.000Z');
  });

  it('is in time when the authority is told at exactly 72 hours, late one minute after', () => {
    const now = new Date('2026-04-01T00:00:00Z');
    expect(
      breachLate(
        { awareAt, notifiedAuthorityAt: '2026-03-05T09:15:00.000Z' },
        now,
      ),
    ).toBe(false);
    expect(
      breachLate(
        { awareAt, notifiedAuthorityAt: '2026-03-05T09:16:00.000Z' },
        now,
      ),
    ).toBe(true);
  });

  it('turns late without a notification once the 72 hours have passed', () => {
    expect(breachLate({ awareAt }, new Date('2026-03-05T09:15:00.000Z'))).toBe(
      false,
    );
    expect(breachLate({ awareAt }, new Date('2026-03-05T09:16:00.000Z'))).toBe(
      true,
    );
  });

  it('reads awareness given with an offset', () => {
    expect(
      breachLate(
        {
          awareAt: '2026-03-02T10:15:00+01:00',
          notifiedAuthorityAt: '2026-03-05T09:15:00Z',
        },
        new Date('2026-04-01T00:00:00Z'),
      ),
    ).toBe(false);
  });
});
