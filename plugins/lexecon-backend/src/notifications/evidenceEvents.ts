import { EvidenceItem } from '@internal/plugin-lexecon-common';
import { VerdictChange } from '../evidence/EvidenceStore';
import { DetectedEvent, entityName, links } from './detectedEvent';

/**
 * An evidence item that turned failing or overdue, for its owner (a group): once per change of
 * status of the item for a service (or org-wide). Recovering says nothing: the page shows it.
 */
export function evidenceEvents(
  changes: readonly VerdictChange[],
  items: ReadonlyMap<string, EvidenceItem>,
): DetectedEvent[] {
  return changes.flatMap(({ observation: o }): DetectedEvent[] => {
    const item = items.get(o.itemId);
    if (!item || (o.status !== 'failing' && o.status !== 'overdue')) {
      return [];
    }
    const where = o.entityRef ? ` for ${entityName(o.entityRef)}` : '';
    return [
      {
        kind: o.status === 'failing' ? 'evidence-failing' : 'evidence-overdue',
        key: `evidence:${o.itemId}:${o.entityRef ?? 'portal'}:${o.status}:${
          o.collected
        }`,
        audience: { type: 'entities', refs: [item.owner] },
        payload: {
          title: `${item.controlId} ${item.title}: ${o.status}${where}`,
          description: o.reason,
          link: links.evidenceControl(item.controlId),
          scope: `evidence:${o.itemId}:${o.entityRef ?? 'portal'}`,
        },
      },
    ];
  });
}
