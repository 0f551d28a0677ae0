import {
  Control,
  EvidenceControlsQuery,
  EvidenceControlsResponse,
  EvidenceControlView,
  EvidenceItem,
  EvidenceItemView,
  EvidenceStatus,
  FRAMEWORKS,
  Framework,
} from '@internal/plugin-lexecon-common';
import { StoredObservation } from './EvidenceStore';
import { controlStatus, evaluateItem } from './rules/evaluateItem';

export interface ViewOptions {
  now: Date;
  dueSoonLeadMs: number;
}

const view = (o: StoredObservation) => ({
  ...(o.entityRef ? { entityRef: o.entityRef } : {}),
  status: o.status,
  reason: o.reason,
  firstCollected: o.firstCollected,
  collected: o.collected,
  expires: o.expires,
  ...(o.sourceUrl ? { sourceUrl: o.sourceUrl } : {}),
  facts: o.facts,
});

/**
 * An item at `now`: each service it was observed for judged on its own, the item as the worst
 * of them (org-wide evidence counts as one more); missing when nothing was observed.
 */
export function itemView(
  item: EvidenceItem,
  observations: readonly StoredObservation[],
  options: ViewOptions,
): EvidenceItemView {
  const own = observations.filter(o => o.itemId === item.id);
  const byService = new Map<string, StoredObservation[]>();
  for (const o of own) {
    const key = o.entityRef ?? '';
    byService.set(key, [...(byService.get(key) ?? []), o]);
  }
  const services = [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([entityRef, ofService]) => ({
      entityRef: entityRef || undefined,
      ...evaluateItem(item, ofService, options),
    }));
  if (!services.length) {
    const missing = evaluateItem(item, [], options);
    return { ...item, ...missing, services: [] };
  }
  const status = controlStatus(services.map(s => s.status));
  const worstOnes = services.filter(s => s.status === status);
  const worst = worstOnes[0];
  const latest = worst.observation as StoredObservation | undefined;
  return {
    ...item,
    status,
    reason: worstReason(worstOnes, services.length),
    ...(latest ? { latest: view(latest) } : {}),
    services: services.map(s => ({
      ...(s.entityRef ? { entityRef: s.entityRef } : {}),
      status: s.status,
      reason: s.reason,
    })),
  };
}

/** Services named in an item's reason at most; the rest are counted. */
const REASONS_SHOWN = 3;

/**
 * Why an item has its status: the reason of each service that has it (org-wide evidence has
 * no service), so no service's failure hides behind another's.
 */
function worstReason(
  worstOnes: ReadonlyArray<{ entityRef?: string; reason: string }>,
  serviceCount: number,
): string {
  const described = worstOnes
    .slice(0, REASONS_SHOWN)
    .map(s => (s.entityRef ? `${s.entityRef}: ${s.reason}` : s.reason));
  if (worstOnes.length === 1) return described[0];
  const more = worstOnes.length - REASONS_SHOWN;
  return `${worstOnes.length} of ${serviceCount} services. ${described.join(
    '; ',
  )}${more > 0 ? `; and ${more} more` : ''}`;
}

export function controlView(
  control: Control,
  observations: readonly StoredObservation[],
  options: ViewOptions,
): EvidenceControlView {
  const items = control.items.map(i => itemView(i, observations, options));
  return { ...control, status: controlStatus(items.map(i => i.status)), items };
}

const NEEDS_SOMEONE: EvidenceStatus[] = [
  'failing',
  'overdue',
  'missing',
  'due-soon',
];

/**
 * The controls view: every control at the window's end, counted per framework, then filtered by
 * framework, control and status; what is due next over every control (soonest expiry first,
 * never-collected items last).
 */
export function controlsResponse(
  catalog: readonly Control[],
  observations: readonly StoredObservation[],
  query: EvidenceControlsQuery & { from: string; to: string },
  options: ViewOptions & {
    canWrite: boolean;
    generatedAt: string;
    /** The caller and their groups (entity refs): items they own are marked `yours`, first. */
    ownership?: readonly string[];
  },
): EvidenceControlsResponse {
  const owned = new Set(
    (options.ownership ?? []).map(ref => ref.toLocaleLowerCase('en-US')),
  );
  const all = catalog.map(c => controlView(c, observations, options));
  const summary = Object.fromEntries(
    FRAMEWORKS.map(f => [f, {} as Partial<Record<EvidenceStatus, number>>]),
  ) as Record<Framework, Partial<Record<EvidenceStatus, number>>>;
  for (const c of all) {
    summary[c.framework][c.status] = (summary[c.framework][c.status] ?? 0) + 1;
  }
  const controls = all.filter(
    c =>
      (!query.framework || c.framework === query.framework) &&
      (!query.control || c.id === query.control) &&
      (!query.status || c.status === query.status),
  );
  const dueNext = all
    .flatMap(c => c.items)
    .filter(i => NEEDS_SOMEONE.includes(i.status))
    .map(i => ({
      id: i.id,
      controlId: i.controlId,
      title: i.title,
      owner: i.owner,
      yours: owned.has(i.owner.toLocaleLowerCase('en-US')),
      status: i.status,
      reason: i.reason,
      ...(i.latest ? { expires: i.latest.expires } : {}),
    }))
    .sort(
      (a, b) =>
        Number(b.yours) - Number(a.yours) ||
        (a.expires ?? '\uffff').localeCompare(b.expires ?? '\uffff') ||
        a.id.localeCompare(b.id),
    );
  return {
    generatedAt: options.generatedAt,
    from: query.from,
    to: query.to,
    canWrite: options.canWrite,
    summary,
    controls,
    dueNext,
  };
}

export { view as observationView };
