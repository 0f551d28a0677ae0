import {
  Control,
  EvidenceCadence,
  EvidenceItem,
} from '@internal/plugin-lexecon-common';

/** A control as the catalog writes it: its items take the control's id when it is loaded. */
export type CatalogControl = Omit<Control, 'items'> & {
  items: Array<Omit<EvidenceItem, 'controlId'>>;
};

/** One evidence item of the shipped catalog. */
export function item(
  id: string,
  title: string,
  source: string,
  cadence: EvidenceCadence,
  owner: string,
  rule: string,
): Omit<EvidenceItem, 'controlId'> {
  return { id, title, source, cadence, owner, rule };
}
