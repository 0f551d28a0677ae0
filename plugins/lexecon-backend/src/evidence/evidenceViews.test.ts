import { LEXECON_CATALOG } from './catalog/loadCatalog';
import { StoredObservation } from './EvidenceStore';
import { controlsResponse, itemView } from './evidenceViews';

const NOW = new Date('2026-04-01T10:00:00.000Z');
const APPROVERS = 'group:default/release-approvers';

function dueNext(ownership?: string[]) {
  return controlsResponse(
    LEXECON_CATALOG,
    [],
    { from: '2026-01-01T00:00:00.000Z', to: NOW.toISOString() },
    {
      now: NOW,
      dueSoonLeadMs: 7 * 86_400_000,
      canWrite: true,
      generatedAt: NOW.toISOString(),
      ownership,
    },
  ).dueNext;
}

describe('controlsResponse: due next', () => {
  it('puts what the caller or their groups own first, and marks it theirs', () => {
    const due = dueNext([
      'user:default/alex-kim',
      'Group:default/Release-Approvers',
    ]);
    const approvers = LEXECON_CATALOG.flatMap(c => c.items).filter(
      i => i.owner === APPROVERS,
    );
    // Nothing was ever collected: every item needs someone.
    expect(due).toHaveLength(LEXECON_CATALOG.flatMap(c => c.items).length);
    expect(approvers.length).toBeGreaterThan(0);
    const yours = due.slice(0, approvers.length);
    expect(yours.every(i => i.yours && i.owner === APPROVERS)).toBe(true);
    expect(due.slice(approvers.length).some(i => i.yours)).toBe(false);
  });

  it('marks nothing as theirs for a caller who owns nothing in the catalog', () => {
    expect(dueNext(['user:default/casey-morgan']).some(i => i.yours)).toBe(
      false,
    );
    expect(dueNext().some(i => i.yours)).toBe(false);
  });
});

describe('itemView', () => {
  const item = LEXECON_CATALOG.flatMap(c => c.items).find(
    i => i.id === 'cc8.1-change-population',
  )!;
  const observed = (
    service: string,
    status: StoredObservation['status'],
    reason: string,
  ): StoredObservation => ({
    itemId: item.id,
    entityRef: `component:default/${service}`,
    status,
    reason,
    firstCollected: '2026-04-01T09:00:00.000Z',
    collected: '2026-04-01T09:00:00.000Z',
    expires: '2026-04-02T09:00:00.000Z',
    facts: {
      deployCount: 12,
      exceptionCount: status === 'failing' ? 1 : 0,
      unverifiedCount: 0,
    },
  });

  it('gives the reason of every service with the item’s status, so one failure does not hide another', () => {
    const view = itemView(
      item,
      [
        observed('decision-ledger', 'failing', '1 of 24 cannot be checked'),
        observed('lexecon-api', 'failing', '1 of 30 are exceptions'),
        observed('web-console', 'passing', '12 production deploys'),
      ],
      { now: NOW, dueSoonLeadMs: 0 },
    );
    expect(view.status).toBe('failing');
    expect(view.reason).toBe(
      '2 of 3 services. component:default/decision-ledger: 1 of 24 cannot be checked; component:default/lexecon-api: 1 of 30 are exceptions',
    );
  });

  it('names one failing service alone, and counts those past the third', () => {
    const one = itemView(
      item,
      [
        observed('lexecon-api', 'failing', 'exceptions'),
        observed('web-console', 'passing', 'fine'),
      ],
      { now: NOW, dueSoonLeadMs: 0 },
    );
    expect(one.reason).toBe('component:default/lexecon-api: exceptions');
    const five = itemView(
      item,
      ['a', 'b', 'c', 'd', 'e'].map(s => observed(s, 'failing', 'exceptions')),
      { now: NOW, dueSoonLeadMs: 0 },
    );
    expect(five.reason).toMatch(
      /^5 of 5 services\. .*component:default\/c: exceptions; and 2 more$/,
    );
  });
});
