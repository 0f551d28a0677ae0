import {
  DeliveryPortfolioRow,
  DORA_SCALES,
  DoraKey,
} from '@internal/plugin-lexecon-common';

export type SortField = 'rank' | 'title' | DoraKey;
export interface SortOrder {
  field: SortField;
  direction: 'asc' | 'desc';
}

const BETTER: Record<DoraKey, 'higher' | 'lower'> = {
  deploymentFrequency: DORA_SCALES.deploymentFrequency.better,
  leadTime: DORA_SCALES.leadTime.better,
  changeFailureRate: DORA_SCALES.changeFailureRate.better,
  timeToRestore: DORA_SCALES.timeToRestore.better,
};

/**
 * The rows in the order asked. A key sorts ascending from best to worst (the most frequent
 * deploys, the shortest lead time first), and a service without the figure comes last either way.
 */
export function sortRows(
  rows: DeliveryPortfolioRow[],
  { field, direction }: SortOrder,
): DeliveryPortfolioRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (field === 'rank') return sign * (a.rank - b.rank);
    if (field === 'title') return sign * a.title.localeCompare(b.title);
    const x = a.keys?.[field].figure.value;
    const y = b.keys?.[field].figure.value;
    if (x === undefined || y === undefined) {
      if (x === y) return a.rank - b.rank;
      return x === undefined ? 1 : -1;
    }
    const best = BETTER[field] === 'higher' ? y - x : x - y;
    return sign * best || a.rank - b.rank;
  });
}
