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

describe('parsePercent', () => {
  it('reads coverage the way CI tools report it', () => {
    expect(parsePercent('87.40% (+0.32%) compared to abc1234')).toBe(87.4);
    expect(parsePercent('Coverage 91% of statements')).toBe(91);
    expect(parsePercent('no numbers here')).toBeUndefined();
    expect(parsePercent('250% nonsense')).toBeUndefined();
  });
});

describe('parseScore', () => {
  it('reads a score a quality check reports out of 100', () => {
    expect(parseScore('Quality score 92/100')).toBe(92);
    expect(parseScore('Quality gate passed: A')).toBeUndefined();
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
