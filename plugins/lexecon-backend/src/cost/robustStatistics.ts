/**
 * The median as statisticians use it for robust scores: the middle value, or the mean of the two
 * middle ones. Unlike the nearest-rank `percentile` of the delivery figures (always one of the
 * values), it does not lean to the lower of two months, and the MAD's 0.6745 scale assumes it.
 */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median absolute deviation from the median. */
export function medianAbsoluteDeviation(values: number[]): number | undefined {
  const centre = median(values);
  if (centre === undefined) return undefined;
  return median(values.map(v => Math.abs(v - centre)));
}

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function mean(values: number[]): number | undefined {
  return values.length === 0 ? undefined : sum(values) / values.length;
}

export function standardDeviation(values: number[]): number | undefined {
  const centre = mean(values);
  if (centre === undefined || values.length < 2) return undefined;
  return Math.sqrt(
    sum(values.map(v => (v - centre) ** 2)) / (values.length - 1),
  );
}
