import { CostAnalysis } from './cost';
import { StoredProviderCosts } from './entityCosts';
import { Section } from './types';

/** Inputs of the analysis the portal does not store yet, so the card says what is left out. */
export type CostAnalysisGap =
  | 'aws-anomalies'
  | 'provider-forecast'
  | 'unit-cost'
  | 'utilisation';

export interface CostAnalysisNote {
  about: CostAnalysisGap;
  message: string;
}

/** The Cost card's data: the analysis of the stored facts and what it rests on. */
export interface CostAnalysisView {
  /** The first day the store keeps (13 months back). */
  from: string;
  /** The UTC day the analysis counts as today (month to date runs to the day before). */
  today: string;
  /** The newest day no provider will revise: the oldest of the providers' last complete days. */
  lastCompleteDay?: string;
  providers: StoredProviderCosts[];
  /** Absent until a provider has stored a final day. */
  analysis?: CostAnalysis;
  notes: CostAnalysisNote[];
}

/**
 * `GET /v1/entities/:namespace/:kind/:name/cost-analysis`: `analyseCosts` over the stored daily
 * facts, never read from a provider on the way; the states are those of `/costs`.
 */
export interface EntityCostAnalysis extends Section<CostAnalysisView> {
  entityRef: string;
}
