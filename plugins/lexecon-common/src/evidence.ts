/**
 * SOC 2 / GDPR evidence (issue 16): the control catalog, its evidence items and the observations
 * that evidence sources store. Shared by the backend (rules, sources, routes) and the auditor's
 * view, so that both speak of a control, an item and a status the same way.
 */

/** The frameworks the catalog covers. */
export type Framework = 'soc2' | 'gdpr';

export const FRAMEWORKS: readonly Framework[] = ['soc2', 'gdpr'];

/** How often an item must be collected again; `continuous` means a source keeps it fresh. */
export type EvidenceCadence =
  | 'continuous'
  | 'daily'
  | 'monthly'
  | 'quarterly'
  | 'annual';

export const EVIDENCE_CADENCES: readonly EvidenceCadence[] = [
  'continuous',
  'daily',
  'monthly',
  'quarterly',
  'annual',
];

/**
 * An item's status. Unknown or unevaluable evidence is `failing` (with the reason), never
 * `passing`; `not-applicable` is only ever set with a reason.
 */
export type EvidenceStatus =
  | 'passing'
  | 'failing'
  | 'due-soon'
  | 'overdue'
  | 'missing'
  | 'not-applicable';

export const EVIDENCE_STATUSES: readonly EvidenceStatus[] = [
  'passing',
  'failing',
  'due-soon',
  'overdue',
  'missing',
  'not-applicable',
];

/** One piece of evidence a control needs, and who keeps it current. */
export interface EvidenceItem {
  /** Unique across the catalog, e.g. `cc8.1-change-population`. */
  id: string;
  controlId: string;
  title: string;
  /**
   * Where the evidence comes from: the id of the evidence source that observes it (e.g.
   * `portal-changes`, `github-evidence`) or `upload` for documents an owner attaches.
   */
  source: string;
  cadence: EvidenceCadence;
  /** Entity ref of the owning group, e.g. `group:default/lexecon-engineering`. */
  owner: string;
  /** Id of the rule that turns the item's observations into a status. */
  rule: string;
}

/** A control of a framework with the evidence items that demonstrate it. */
export interface Control {
  /** e.g. `CC8.1`, `GDPR-Art.33`. */
  id: string;
  framework: Framework;
  title: string;
  description: string;
  items: EvidenceItem[];
}

/**
 * What a source saw for an item at one time (OSCAL's observation): stored with when it was
 * collected and when it stops counting as evidence.
 */
export interface EvidenceObservation {
  itemId: string;
  /** The service it is about; absent for portal- or org-wide evidence. */
  entityRef?: string;
  status: EvidenceStatus;
  /** Why the status is what it is, in words an auditor can check. */
  reason: string;
  /** ISO 8601. */
  collected: string;
  /** ISO 8601: collected plus the item's cadence period. */
  expires: string;
  /** Where the auditor can see the evidence upstream. */
  sourceUrl?: string;
  /** The figures the status was derived from (counts, ids, dates), as JSON. */
  facts: Record<string, unknown>;
}
