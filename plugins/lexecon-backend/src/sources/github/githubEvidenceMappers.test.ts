import {
  alertAgainstSla,
  branchProtectionFacts,
} from './githubEvidenceMappers';

const NOW = new Date('2026-11-20T15:00:00Z');
const HOUR = 3_600_000;

const openFor = (
  severity: 'critical' | 'high' | 'medium' | 'low',
  ageMs: number,
) =>
  alertAgainstSla(
    {
      tool: 'dependabot',
      number: 1,
      severity,
      createdAt: new Date(NOW.getTime() - ageMs).toISOString(),
      summary: 'a vulnerability',
      url: 'https://github.example/alert/1',
    },
    NOW,
  );

describe('alertAgainstSla', () => {
  it.each([
    ['critical', 24],
    ['high', 7 * 24],
    ['medium', 30 * 24],
  ] as const)(
    'a %s alert is within its %i-hour SLA until the last millisecond, and breached at it',
    (severity, hours) => {
      const within = openFor(severity, hours * HOUR - 1);
      expect(within).toMatchObject({
        slaHours: hours,
        breached: false,
        ageHours: hours - 1,
      });
      expect(Date.parse(within.dueAt!)).toBe(NOW.getTime() + 1);
      expect(openFor(severity, hours * HOUR)).toMatchObject({
        breached: true,
        ageHours: hours,
        dueAt: NOW.toISOString(),
      });
    },
  );

  it('gives a low alert no SLA, however old', () => {
    expect(openFor('low', 400 * 24 * HOUR)).toMatchObject({
      slaHours: null,
      dueAt: null,
      breached: false,
    });
  });
});

describe('branchProtectionFacts', () => {
  const url = 'https://github.example/o/r/settings/branches';

  it('requires reviews when only a ruleset asks for them, taking the stricter count', () => {
    const rule = (type: string, parameters?: object) =>
      ({ type, parameters, ruleset_id: 7, ruleset_source: 'o/r' } as never);
    const facts = branchProtectionFacts(
      'main',
      null,
      [
        rule('deletion'),
        rule('pull_request', { required_approving_review_count: 2 }),
      ],
      url,
    );
    expect(facts).toMatchObject({
      classic: null,
      reviewRequired: true,
      requiredApprovingReviews: 2,
    });
  });

  it('requires none when neither protection nor rulesets ask for reviews', () => {
    expect(branchProtectionFacts('main', null, [], url)).toMatchObject({
      reviewRequired: false,
      requiredApprovingReviews: 0,
    });
  });
});
