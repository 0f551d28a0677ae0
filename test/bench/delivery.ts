/**
 * The delivery phase of `npm run bench`: the Delivery card's view and the delivery portfolio,
 * looped in the warm phase against the running backend. Both read stored facts only, so the
 * loops' upstream requests (printed with them) should be none.
 */
import type {
  DeliveryPortfolio,
  EntityDelivery,
} from '@internal/plugin-lexecon-common';
import { Check } from './measure';

/** The Delivery card's answer with its four keys computed. */
export function deliveryCheck(entityRef: string): Check {
  return (status, body) => {
    const delivery = body as EntityDelivery;
    if (status !== 200) return { error: `HTTP ${status}` };
    if (delivery.entityRef !== entityRef) {
      return { error: `delivery of ${delivery.entityRef}` };
    }
    if (!delivery.data?.keys.deploymentFrequency) {
      return { error: `no keys (${delivery.status}: ${delivery.message})` };
    }
    return { asOf: delivery.fetchedAt };
  };
}

/** The delivery portfolio with the service ranked. */
export function deliveryPortfolioCheck(entityRef: string): Check {
  return (status, body) => {
    const portfolio = body as DeliveryPortfolio;
    if (status !== 200) return { error: `HTTP ${status}` };
    const row = portfolio.services?.find(r => r.entityRef === entityRef);
    if (!row?.rank) return { error: `${entityRef} is not ranked` };
    return {};
  };
}
