import { LEXECON_CATALOG } from './catalog/loadCatalog';
import { controlsResponse } from './evidenceViews';

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
