import { computeReadiness, parsePercent, parseScore } from './readiness';

describe('computeReadiness', () => {
  it('weighs CI 40%, coverage 30%, security 20% and quality 10%', () => {
    const result = computeReadiness(
      {
        ciRuns: { total: 10, passed: 9, workflow: 'test.yml' },
        coverage: { percent: 85, source: 'coverage status' },
        security: { critical: 0, high: 0, medium: 1, low: 0 },
        quality: { check: 'lint', conclusion: 'success' },
      },
      90,
    );
    // 0.4*90 + 0.3*85 + 0.2*95 + 0.1*100 = 36 + 25.5 + 19 + 10
    expect(result.score).toBe(90.5);
    expect(result.band).toBe('good');
    expect(result.passesGate).toBe(true);
    expect(result.inputs.map(i => [i.key, i.label])).toEqual([
      ['ci', 'CI pass rate'],
      ['coverage', 'Test coverage'],
      ['security', 'Security scan'],
      ['quality', 'Code quality'],
    ]);
    expect(result.inputs.map(i => i.detail)).toEqual([
      '9 of the last 10 test.yml runs passed',
      '85% statement coverage (coverage status)',
      '1 open alert: 0 critical, 0 high, 1 medium, 0 low',
      'lint: success',
    ]);
  });

  it('puts scores in the bands of the pipeline spec and applies the gate', () => {
    const score = (passed: number) =>
      computeReadiness(
        {
          ciRuns: { total: 10, passed, workflow: 'test.yml' },
          coverage: { percent: 100, source: 'x' },
          security: { critical: 0, high: 0, medium: 0, low: 0 },
          quality: { check: 'lint', conclusion: 'success' },
        },
        92,
      );
    expect(score(10)).toMatchObject({ score: 100, band: 'excellent' });
    expect(score(8)).toMatchObject({
      score: 92,
      band: 'good',
      passesGate: true,
    });
    expect(score(7)).toMatchObject({
      score: 88,
      band: 'fair',
      passesGate: false,
    });
    expect(score(4)).toMatchObject({ score: 76, band: 'poor' });
  });

  it('counts missing evidence as zero and says what is missing', () => {
    const result = computeReadiness(
      { ciRuns: { total: 10, passed: 10, workflow: 'test.yml' } },
      90,
    );
    expect(result.score).toBe(40);
    expect(result.band).toBe('poor');
    const coverage = result.inputs.find(i => i.key === 'coverage');
    expect(coverage).not.toHaveProperty('score');
    expect(coverage?.detail).toBe('No coverage reported for this commit');
  });

  it('gives a failed security scan or a critical alert no security points', () => {
    const failed = computeReadiness(
      {
        security: {
          critical: 0,
          high: 0,
          medium: 0,
          low: 0,
          scanConclusion: 'failure',
        },
      },
      90,
    );
    expect(failed.inputs[2]).toMatchObject({ score: 0 });
    const critical = computeReadiness(
      { security: { critical: 4, high: 0, medium: 0, low: 0 } },
      90,
    );
    expect(critical.inputs[2].score).toBe(0);
  });
});

describe('computeReadiness at its boundaries', () => {
  const perfect = {
    ciRuns: { total: 10, passed: 10, workflow: 'test.yml' },
    coverage: { percent: 100, source: 'coverage status' },
    security: { critical: 0, high: 0, medium: 0, low: 0 },
    quality: { check: 'lint', conclusion: 'success' },
  };
  /** Everything perfect but the code quality: 90 + a tenth of `quality`. */
  const withQuality = (reported: number, gate = 90) =>
    computeReadiness(
      {
        ...perfect,
        quality: { check: 'code-quality', conclusion: 'success', reported },
      },
      gate,
    );

  it('passes the gate at exactly the gate score and not a tenth below it', () => {
    expect(withQuality(0, 90)).toMatchObject({
      score: 90,
      gate: 90,
      passesGate: true,
    });
    expect(withQuality(0, 90.1)).toMatchObject({
      score: 90,
      gate: 90.1,
      passesGate: false,
    });
    expect(withQuality(49, 95).passesGate).toBe(false);
    expect(withQuality(50, 95).passesGate).toBe(true);
  });

  it('starts each band at its lower bound', () => {
    expect(withQuality(50)).toMatchObject({ score: 95, band: 'excellent' });
    expect(withQuality(49)).toMatchObject({ score: 94.9, band: 'good' });
    expect(withQuality(0)).toMatchObject({ score: 90, band: 'good' });
    const withCoverage = (percent: number, reported: number) =>
      computeReadiness(
        {
          ...perfect,
          coverage: { percent, source: 'coverage status' },
          security: { critical: 4, high: 0, medium: 0, low: 0 },
          quality: { check: 'code-quality', conclusion: 'success', reported },
        },
        90,
      );
    // 40 + 0.3·coverage + 0 (four criticals) + 0.1·quality
    expect(withCoverage(100, 0)).toMatchObject({ score: 70, band: 'poor' });
    expect(withCoverage(100, 100)).toMatchObject({ score: 80, band: 'fair' });
    expect(withCoverage(99.7, 100)).toMatchObject({
      score: 79.9,
      band: 'poor',
    });
    const noQuality = computeReadiness(
      {
        ...perfect,
        coverage: { percent: 99.7, source: 'coverage status' },
        quality: { check: 'code-quality', conclusion: 'success', reported: 0 },
      },
      90,
    );
    expect(noQuality).toMatchObject({
      score: 89.9,
      band: 'fair',
      passesGate: false,
    });
  });

  it('does not pass a release with an input missing, whatever its score, and names what fails', () => {
    const complete = computeReadiness(
      {
        ciRuns: { total: 10, passed: 10, workflow: 'test.yml' },
        coverage: { percent: 100, source: 'coverage status' },
        security: { critical: 0, high: 0, medium: 0, low: 0 },
        quality: { check: 'lint', conclusion: 'success' },
      },
      90,
    );
    expect(complete).toMatchObject({ passesGate: true, failing: [] });
    const noQualityCheck = computeReadiness(
      {
        ciRuns: { total: 10, passed: 10, workflow: 'test.yml' },
        coverage: { percent: 89, source: 'coverage status' },
        security: { critical: 0, high: 0, medium: 0, low: 0 },
      },
      80,
    );
    // 40 + 26.7 + 20: above the gate of 80, but the quality check was never read.
    expect(noQualityCheck).toMatchObject({
      score: 86.7,
      passesGate: false,
      failing: ['quality'],
    });
    expect(computeReadiness({}, 90).failing).toEqual([
      'ci',
      'coverage',
      'security',
      'quality',
    ]);
    expect(
      computeReadiness(
        {
          ciRuns: { total: 10, passed: 9, workflow: 'test.yml' },
          coverage: { percent: 89.9, source: 'coverage status' },
          security: { critical: 0, high: 0, medium: 0, low: 0 },
          quality: { check: 'lint', conclusion: 'success' },
        },
        95,
      ).failing,
    ).toEqual(['ci', 'coverage']);
  });

  it('counts every missing input as 0 and says what is missing', () => {
    const result = computeReadiness({}, 90);
    expect(result).toMatchObject({ score: 0, band: 'poor', passesGate: false });
    expect(result.inputs).toEqual([
      {
        key: 'ci',
        label: 'CI pass rate',
        weight: 0.4,
        detail: 'No completed CI runs found',
      },
      {
        key: 'coverage',
        label: 'Test coverage',
        weight: 0.3,
        detail: 'No coverage reported for this commit',
      },
      {
        key: 'security',
        label: 'Security scan',
        weight: 0.2,
        detail: 'No security scan results could be read',
      },
      {
        key: 'quality',
        label: 'Code quality',
        weight: 0.1,
        detail: 'No lint or code-quality check on this commit',
      },
    ]);
  });

  it('treats a CI history without completed runs as missing, not as a division by zero', () => {
    const result = computeReadiness(
      { ...perfect, ciRuns: { total: 0, passed: 0, workflow: 'test.yml' } },
      90,
    );
    expect(result.score).toBe(60);
    expect(result.inputs[0]).toEqual({
      key: 'ci',
      label: 'CI pass rate',
      weight: 0.4,
      detail: 'No completed CI runs found',
    });
  });

  it('rounds the CI pass rate and the score to one decimal', () => {
    const result = computeReadiness(
      { ciRuns: { total: 3, passed: 2, workflow: 'test.yml', url: 'ci' } },
      90,
    );
    expect(result.inputs[0]).toEqual({
      key: 'ci',
      label: 'CI pass rate',
      weight: 0.4,
      score: 66.7,
      detail: '2 of the last 3 test.yml runs passed',
      url: 'ci',
    });
    // 0.4 × 66.7 = 26.68
    expect(result.score).toBe(26.7);
  });

  it('keeps coverage between 0 and 100 and shows what was reported', () => {
    const coverage = (percent: number) =>
      computeReadiness({ coverage: { percent, source: 'lcov check' } }, 90)
        .inputs[1];
    expect(coverage(87.46)).toMatchObject({
      score: 87.5,
      detail: '87.5% statement coverage (lcov check)',
    });
    expect(coverage(104)).toMatchObject({ score: 100 });
    expect(coverage(-3)).toMatchObject({ score: 0 });
  });

  it('takes 25 per critical, 15 per high, 5 per medium and 1 per low alert, down to 0', () => {
    const security = (
      counts: { critical: number; high: number; medium: number; low: number },
      scanConclusion?: string,
    ) =>
      computeReadiness({ security: { ...counts, scanConclusion } }, 90)
        .inputs[2];
    expect(security({ critical: 1, high: 1, medium: 1, low: 1 })).toEqual({
      key: 'security',
      label: 'Security scan',
      weight: 0.2,
      score: 54,
      detail: '4 open alerts: 1 critical, 1 high, 1 medium, 1 low',
      url: undefined,
    });
    expect(security({ critical: 0, high: 2, medium: 0, low: 3 })).toMatchObject(
      { score: 67 },
    );
    expect(security({ critical: 0, high: 0, medium: 0, low: 1 })).toMatchObject(
      {
        score: 99,
        detail: '1 open alert: 0 critical, 0 high, 0 medium, 1 low',
      },
    );
    expect(security({ critical: 3, high: 2, medium: 0, low: 0 })).toMatchObject(
      { score: 0 },
    );
    expect(
      security({ critical: 0, high: 0, medium: 0, low: 0 }, 'success'),
    ).toMatchObject({ score: 100, detail: 'No open security alerts' });
    expect(
      security({ critical: 0, high: 0, medium: 0, low: 0 }, 'neutral'),
    ).toMatchObject({ score: 0, detail: 'Security scan neutral' });
  });

  it('scores a quality check without a reported score by its conclusion', () => {
    const quality = (conclusion: string) =>
      computeReadiness({ quality: { check: 'lint', conclusion } }, 90)
        .inputs[3];
    expect(quality('success')).toMatchObject({
      score: 100,
      detail: 'lint: success',
    });
    expect(quality('neutral').score).toBe(50);
    expect(quality('skipped').score).toBe(50);
    expect(quality('failure').score).toBe(0);
    expect(quality('cancelled').score).toBe(0);
  });
});

describe('parsePercent', () => {
  it('reads coverage the way CI tools report it', () => {
    expect(parsePercent('87.40% (+0.32%) compared to abc1234')).toBe(87.4);
    expect(parsePercent('Coverage 91% of statements')).toBe(91);
    expect(parsePercent('no numbers here')).toBeUndefined();
    expect(parsePercent('250% nonsense')).toBeUndefined();
    expect(parsePercent('0% covered')).toBe(0);
    expect(parsePercent('100%')).toBe(100);
    expect(parsePercent('100.1%')).toBeUndefined();
    expect(parsePercent('Coverage: 87 %')).toBe(87);
    expect(parsePercent(undefined)).toBeUndefined();
  });
});

describe('parseScore', () => {
  it('reads a score a quality check reports out of 100', () => {
    expect(parseScore('Quality score 92/100')).toBe(92);
    expect(parseScore('Quality gate passed: A')).toBeUndefined();
    expect(parseScore('Maintainability 87.5 / 100')).toBe(87.5);
    expect(parseScore('Quality score 92.25/100')).toBe(92.25);
    expect(parseScore('100/100')).toBe(100);
    expect(parseScore('101/100')).toBeUndefined();
    expect(parseScore('92/1000')).toBeUndefined();
    expect(parseScore(null)).toBeUndefined();
  });
  it('uses the reported quality score over pass/fail', () => {
    const result = computeReadiness(
      {
        quality: {
          check: 'code-quality',
          conclusion: 'success',
          reported: 92,
        },
      },
      90,
    );
    expect(result.inputs[3]).toMatchObject({
      score: 92,
      detail: 'code-quality: 92/100 (success)',
    });
  });
});
