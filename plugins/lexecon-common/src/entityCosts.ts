import { CostProvider } from './cost';
import { Section } from './types';

/** A provider's billed requests on one UTC day against the configured cap. */
export interface CostRequestBudget {
  day: string;
  cap: number;
  used: number;
  remaining: number;
}

/** What the store holds of one provider's bill of the entity. */
export interface StoredProviderCosts {
  provider: CostProvider;
  /** The newest day the provider called final. */
  lastCompleteDay?: string;
  /** When the newest day was read from the provider (ISO 8601). */
  dataAsOf?: string;
  /** Stored days the provider may still revise, oldest first. */
  estimatedDays: string[];
  /** Today's billed requests (Cost Explorer: $0.01 each), where the provider bills them. */
  requestBudget?: CostRequestBudget;
}

/** One component's stored daily cost from one provider, oldest day first. */
export interface ComponentDailyCosts {
  component: string;
  provider: CostProvider;
  currency: string;
  /** `credits` (negative) are netted into `amount`, where the provider reports them apart. */
  days: Array<{
    day: string;
    amount: number;
    estimated: boolean;
    credits?: number;
  }>;
}

export interface StoredCosts {
  /** The first day the store keeps (13 months back). */
  from: string;
  providers: StoredProviderCosts[];
  components: ComponentDailyCosts[];
}

/**
 * `GET /v1/entities/:namespace/:kind/:name/costs`: the stored daily facts, never read from a
 * provider on the way. The state (ok, stale, error, not-configured naming the annotation) is
 * worded as for every section; `fetchedAt` is the data's "as of".
 */
export interface EntityCosts extends Section<StoredCosts> {
  entityRef: string;
}
