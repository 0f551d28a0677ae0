import { createHash, randomBytes } from 'node:crypto';

/**
 * How a sample is drawn, in words an auditor can re-run with `sha256sum` and `sort`: each row of
 * the population gets the rank SHA-256(seed + "\n" + key) in lowercase hex, and the sample is
 * the `size` rows of lowest rank, in rank order. The rank of a row depends on the seed and its
 * own key only, so the draw does not depend on the order the rows were listed in, and any
 * seed-keyed permutation is equally likely (SHA-256 as a random function).
 */
export const SAMPLING_METHOD =
  'Each row is ranked by SHA-256 of the UTF-8 text seed + "\\n" + key (lowercase hex); the sample is the size rows of lowest rank, in rank order. Reproduce: for each key, printf \'%s\\n%s\' "$seed" "$key" | sha256sum, then sort ascending and take the first size.';

/** Seeds are printed on the page and typed back in: short, and safe in a URL and a shell. */
export const SEED_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export interface SampledRow<T> {
  /** 1-based position in the draw. */
  position: number;
  key: string;
  rank: string;
  row: T;
}

export interface Sample<T> {
  seed: string;
  size: number;
  populationSize: number;
  method: string;
  rows: Array<SampledRow<T>>;
}

/** A random seed for a draw nobody asked to reproduce yet (it is printed with the sample). */
export function randomSeed(): string {
  return randomBytes(12).toString('hex');
}

export function sampleRank(seed: string, key: string): string {
  return createHash('sha256').update(`${seed}\n${key}`, 'utf8').digest('hex');
}

function checkDraw(seed: string, size: number) {
  if (!SEED_PATTERN.test(seed)) {
    throw new RangeError(
      'seed must be 1 to 128 letters, digits, dots, dashes or underscores',
    );
  }
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError('size must be a whole number of at least 1');
  }
}

/**
 * A draw over a population read row by row (see SAMPLING_METHOD): it keeps only the `size` rows
 * of lowest rank so far, so a population of any length is sampled in memory of the sample's size.
 * Keys are the population's unique keys (a primary key): two rows with one key would share a rank.
 * A size larger than the population is refused rather than shrunk, so a sample always has the
 * size asked for (test the whole population instead).
 */
export class SampleDraw<T> {
  private readonly kept: Array<{ key: string; rank: string; row: T }> = [];
  private count = 0;

  constructor(private readonly options: { seed: string; size: number }) {
    checkDraw(options.seed, options.size);
  }

  add(key: string, row: T) {
    this.count++;
    const rank = sampleRank(this.options.seed, key);
    const { kept } = this;
    if (
      kept.length === this.options.size &&
      rank >= kept[kept.length - 1].rank
    ) {
      return;
    }
    let at = kept.length;
    while (at > 0 && kept[at - 1].rank > rank) at--;
    kept.splice(at, 0, { key, rank, row });
    if (kept.length > this.options.size) kept.pop();
  }

  /**
   * The sample. A population smaller than the size is refused, unless `wholeWhenSmaller`: then
   * the sample is the whole population in rank order (what a package does: every row is tested).
   */
  result(options: { wholeWhenSmaller?: boolean } = {}): Sample<T> {
    const { seed } = this.options;
    let { size } = this.options;
    if (size > this.count) {
      if (!options.wholeWhenSmaller) {
        throw new RangeError(
          `size ${size} is larger than the population (${this.count} rows): test the whole population instead`,
        );
      }
      size = this.count;
    }
    return {
      seed,
      size,
      populationSize: this.count,
      method: SAMPLING_METHOD,
      rows: this.kept.map((r, index) => ({ position: index + 1, ...r })),
    };
  }
}

/** Draws `size` rows of `population` with `seed`; see SampleDraw. */
export function drawSample<T>(
  population: Iterable<T>,
  keyOf: (row: T) => string,
  options: { seed: string; size: number },
): Sample<T> {
  const draw = new SampleDraw<T>(options);
  for (const row of population) draw.add(keyOf(row), row);
  return draw.result();
}
