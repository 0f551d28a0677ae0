import { EvidenceItem } from '@internal/plugin-lexecon-common';
import { evidenceEvents } from './evidenceEvents';

const item: EvidenceItem = {
  id: 'cc8.1-change-population',
  controlId: 'CC8.1',
  title: 'Production deploys approved before start by a non-author',
  source: 'portal-evidence',
  cadence: 'continuous',
  owner: 'group:default/release-approvers',
  rule: 'change-population',
};
const items = new Map([[item.id, item]]);
const observed = (status: 'failing' | 'overdue' | 'passing') => ({
  itemId: item.id,
  entityRef: 'component:default/lexecon-api',
  status,
  reason: '1 of 24 production deploys are exceptions',
  collected: '2026-12-01T10:00:00.000Z',
  expires: '2026-12-02T10:00:00.000Z',
  facts: {},
});

describe('evidenceEvents', () => {
  it('tells an item’s owner that it turned failing, once, linking to its control', () => {
    expect(
      evidenceEvents(
        [{ observation: observed('failing'), previousStatus: 'passing' }],
        items,
      ),
    ).toEqual([
      {
        kind: 'evidence-failing',
        key: 'evidence:cc8.1-change-population:component:default/lexecon-api:failing:2026-12-01T10:00:00.000Z',
        audience: {
          type: 'entities',
          refs: ['group:default/release-approvers'],
        },
        payload: {
          title:
            'CC8.1 Production deploys approved before start by a non-author: failing for lexecon-api',
          description: '1 of 24 production deploys are exceptions',
          link: '/lexecon/evidence?control=CC8.1',
          scope:
            'evidence:cc8.1-change-population:component:default/lexecon-api',
        },
      },
    ]);
  });

  it('says nothing of an item that recovered, or of one the catalog does not hold', () => {
    expect(
      evidenceEvents(
        [
          { observation: observed('passing'), previousStatus: 'failing' },
          {
            observation: { ...observed('overdue'), itemId: 'unknown-item' },
          },
        ],
        items,
      ),
    ).toEqual([]);
    expect(
      evidenceEvents([{ observation: observed('overdue') }], items).map(
        e => e.kind,
      ),
    ).toEqual(['evidence-overdue']);
  });
});
