import { execFileSync } from 'node:child_process';
import { drawSample, SampleDraw, SAMPLING_METHOD } from './drawSample';

const population = Array.from({ length: 60 }, (_, i) => ({
  id: `component:default/svc-${i % 3} production:run:${1000 + i}`,
}));
const keyOf = (row: { id: string }) => row.id;
const keys = (sample: { rows: Array<{ key: string }> }) =>
  sample.rows.map(r => r.key);

describe('drawSample', () => {
  it('draws the same rows in the same order for the same seed, whatever the listing order', () => {
    const first = drawSample(population, keyOf, {
      seed: 'audit-2026',
      size: 25,
    });
    const reversed = drawSample([...population].reverse(), keyOf, {
      seed: 'audit-2026',
      size: 25,
    });
    expect(first.rows).toHaveLength(25);
    expect(new Set(keys(first)).size).toBe(25);
    expect(keys(reversed)).toEqual(keys(first));
    expect(first).toMatchObject({ seed: 'audit-2026', populationSize: 60 });
  });

  it('draws other rows for another seed', () => {
    const a = drawSample(population, keyOf, { seed: 'audit-2026', size: 10 });
    const b = drawSample(population, keyOf, { seed: 'audit-2027', size: 10 });
    expect(keys(b)).not.toEqual(keys(a));
  });

  it('is what the printed method gives with sha256sum and sort', () => {
    const seed = 'q4-cc8.1';
    const script = `while IFS= read -r key; do printf '%s\\n%s' "$SEED" "$key" | sha256sum | cut -d' ' -f1 | tr -d '\\n'; printf ' %s\\n' "$key"; done | LC_ALL=C sort | head -n 7 | cut -d' ' -f2-`;
    const byShell = execFileSync('bash', ['-c', script], {
      input: `${population.map(keyOf).join('\n')}\n`,
      env: { ...process.env, SEED: seed },
    })
      .toString()
      .trim()
      .split('\n');
    expect(SAMPLING_METHOD).toContain('sha256sum');
    expect(keys(drawSample(population, keyOf, { seed, size: 7 }))).toEqual(
      byShell,
    );
  });

  it('refuses a size larger than the population, and takes it whole at its size', () => {
    expect(() =>
      drawSample(population, keyOf, { seed: 's', size: 61 }),
    ).toThrow(
      'size 61 is larger than the population (60 rows): test the whole population instead',
    );
    expect(
      drawSample(population, keyOf, { seed: 's', size: 60 }).rows,
    ).toHaveLength(60);
  });

  it('refuses a seed that cannot be printed and typed back, and a size below 1', () => {
    expect(() => new SampleDraw({ seed: 'a b', size: 1 })).toThrow(/seed/);
    expect(() => new SampleDraw({ seed: 'ok', size: 0 })).toThrow(/size/);
    expect(() => new SampleDraw({ seed: 'ok', size: 1.5 })).toThrow(/size/);
  });
});
