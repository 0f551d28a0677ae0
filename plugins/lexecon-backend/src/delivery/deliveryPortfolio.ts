import {
  DeliveryPortfolio,
  DeliveryPortfolioRow,
  deliveryScore,
  EntityDelivery,
} from '@internal/plugin-lexecon-common';

export interface PortfolioEntry {
  name: string;
  title: string;
  delivery: EntityDelivery;
}

/** Every service's keys, best delivery performance first (see `deliveryScore`). */
export function deliveryPortfolio(
  entries: PortfolioEntry[],
  head: Omit<DeliveryPortfolio, 'services'>,
): DeliveryPortfolio {
  const rows = entries.map(({ name, title, delivery }) => {
    const { status, message, fetchedAt, missingAnnotations, data } = delivery;
    return {
      entityRef: delivery.entityRef,
      name,
      title,
      status,
      ...(message ? { message } : {}),
      ...(fetchedAt ? { fetchedAt } : {}),
      ...(missingAnnotations ? { missingAnnotations } : {}),
      ...(data ? { keys: data.keys, rollbacks: data.rollbacks.count } : {}),
      score: deliveryScore(data?.keys),
    };
  });
  rows.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  const services: DeliveryPortfolioRow[] = rows.map(
    ({ score: _score, ...row }, index) => ({ ...row, rank: index + 1 }),
  );
  return { ...head, services };
}
