import {
  EvidenceItem,
  EvidenceObservation,
} from '@internal/plugin-lexecon-common';
import { controlStatus, evaluateItem } from './evaluateItem';

const DAY = 86_400_000;
const LEAD = 14 * DAY;

const item: EvidenceItem = {
  id: 'a1.2-backup-restore',
  controlId: 'A1.2',
  title: 'Backup restore test',
  source: 'upload',
  cadence: 'monthly',
  owner: 'group:default/lexecon-engineering',
  rule: 'document-current',
};

const observation = (
  overrides: Partial<EvidenceObservation> = {},
): EvidenceObservation => ({
  itemId: item.id,
  status: 'passing',
  reason: 'Restore test of 2026-03-01 attached',
  collected: '2026-03-01T00:00:00.000Z',
  expires: '2026-04-01T00:00:00.000Z',
  facts: {},
  ...overrides,
});

const evaluate = (
  now: string,
  observations: EvidenceObservation[] = [observation()],
  target: EvidenceItem = item,
) =>
  evaluateItem(target, observations, {
    now: new Date(now),
    dueSoonLeadMs: LEAD,
  });

describe('evaluateItem', () => {
  it('is missing when never collected, and when only collected after the evaluation time', () => {
    expect(evaluate('2026-03-10T00:00:00.000Z', [])).toMatchObject({
      status: 'missing',
      reason: 'Never collected (upload, monthly)',
    });
    expect(evaluate('2026-02-28T23:59:59.999Z').status).toBe('missing');
  });

  it('passes while fresh, is due soon from the lead before expiry and at expiry, overdue one ms after', () => {
    // A monthly item's lead is capped at a quarter of its 31 days: 7.75 days before 1 April.
    expect(evaluate('2026-03-24T05:59:59.999Z').status).toBe('passing');
    expect(evaluate('2026-03-24T06:00:00.000Z').status).toBe('due-soon');
    expect(evaluate('2026-04-01T00:00:00.000Z')).toMatchObject({
      status: 'due-soon',
      reason: expect.stringContaining('expires 2026-04-01T00:00:00.000Z'),
    });
    expect(evaluate('2026-04-01T00:00:00.001Z')).toMatchObject({
      status: 'overdue',
      reason: 'Expired 2026-04-01T00:00:00.000Z; collect it again (monthly)',
    });
  });

  it('judges the newest observation collected by then', () => {
    const older = observation({
      status: 'failing',
      reason: 'Restore failed',
      collected: '2026-02-01T00:00:00.000Z',
      expires: '2026-03-01T00:00:00.000Z',
    });
    expect(
      evaluate('2026-03-05T00:00:00.000Z', [older, observation()]),
    ).toMatchObject({
      status: 'passing',
      observation: { collected: '2026-03-01T00:00:00.000Z' },
    });
    expect(
      evaluate('2026-02-15T00:00:00.000Z', [older, observation()]),
    ).toMatchObject({
      status: 'failing',
      reason: 'Restore failed',
    });
  });

  it('keeps a failing verdict failing after expiry rather than calling it overdue', () => {
    const failing = observation({
      status: 'failing',
      reason: 'Restore failed',
    });
    expect(evaluate('2026-05-01T00:00:00.000Z', [failing]).status).toBe(
      'failing',
    );
  });

  it('fails what it cannot evaluate: an unknown rule, an unknown status, a bad date, no reason', () => {
    expect(
      evaluate('2026-03-05T00:00:00.000Z', undefined, {
        ...item,
        rule: 'no-such-rule',
      }),
    ).toMatchObject({
      status: 'failing',
      reason: expect.stringContaining("No rule 'no-such-rule'"),
    });
    expect(
      evaluate('2026-03-05T00:00:00.000Z', [
        observation({ status: 'green' as EvidenceObservation['status'] }),
      ]),
    ).toMatchObject({
      status: 'failing',
      reason: expect.stringContaining("unknown status 'green'"),
    });
    expect(
      evaluate('2026-03-05T00:00:00.000Z', [observation({ expires: 'soon' })])
        .status,
    ).toBe('failing');
    expect(
      evaluate('2026-03-05T00:00:00.000Z', [observation({ reason: ' ' })]),
    ).toMatchObject({ status: 'failing' });
  });

  it('is not applicable only with a reason', () => {
    expect(
      evaluate('2026-03-05T00:00:00.000Z', [
        observation({
          status: 'not-applicable',
          reason: 'No backups: stateless service',
        }),
      ]),
    ).toMatchObject({
      status: 'not-applicable',
      reason: 'No backups: stateless service',
    });
    expect(
      evaluate('2026-03-05T00:00:00.000Z', [
        observation({ status: 'not-applicable', reason: '' }),
      ]),
    ).toMatchObject({
      status: 'failing',
      reason: 'Marked not applicable without a reason',
    });
  });

  it('fails a change population with exceptions even when it was stored as passing', () => {
    const population: EvidenceItem = {
      ...item,
      id: 'cc8.1-change-population',
      rule: 'change-population',
      cadence: 'continuous',
    };
    const stored = observation({
      itemId: population.id,
      collected: '2026-03-01T00:00:00.000Z',
      expires: '2026-03-02T00:00:00.000Z',
    });
    expect(
      evaluate(
        '2026-03-01T01:00:00.000Z',
        [{ ...stored, facts: { deployCount: 4, exceptionCount: 1 } }],
        population,
      ),
    ).toMatchObject({
      status: 'failing',
      reason: '1 of 4 production deploys are exceptions',
    });
    expect(
      evaluate(
        '2026-03-01T01:00:00.000Z',
        [{ ...stored, facts: {} }],
        population,
      ).status,
    ).toBe('failing');
    expect(
      evaluate(
        '2026-03-01T01:00:00.000Z',
        [{ ...stored, facts: { deployCount: 4, exceptionCount: 0 } }],
        population,
      ).status,
    ).toBe('passing');
    // A population whose deploy history was never read is unknown, even stored as passing
    // with no deploy and no exception.
    expect(
      evaluate(
        '2026-03-01T01:00:00.000Z',
        [
          {
            ...stored,
            facts: {
              deployCount: 0,
              exceptionCount: 0,
              unread: ['GitHub’s deploy history'],
            },
          },
        ],
        population,
      ),
    ).toMatchObject({
      status: 'failing',
      reason:
        'The change population is unknown: GitHub’s deploy history not read yet',
    });
  });
});

describe('controlStatus', () => {
  it('is the worst of its items, not applicable only when all are, missing with none', () => {
    expect(controlStatus(['passing', 'due-soon', 'failing'])).toBe('failing');
    expect(controlStatus(['passing', 'overdue', 'missing'])).toBe('overdue');
    expect(controlStatus(['passing', 'not-applicable'])).toBe('passing');
    expect(controlStatus(['not-applicable', 'not-applicable'])).toBe(
      'not-applicable',
    );
    expect(controlStatus([])).toBe('missing');
  });
});
