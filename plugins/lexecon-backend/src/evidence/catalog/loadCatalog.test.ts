import { JsonObject } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULE_CHECKS } from '../rules/ruleChecks';
import {
  LEXECON_CATALOG,
  parseCatalog,
  readEvidenceCatalog,
} from './loadCatalog';

const control = {
  id: 'CC8.1',
  framework: 'soc2',
  title: 'Change management',
  description: 'Changes are approved',
  items: [
    {
      id: 'changes',
      title: 'Change population',
      source: 'portal-evidence',
      cadence: 'continuous',
      owner: 'group:default/release-approvers',
      rule: 'change-population',
    },
  ],
};

const read = (evidence: JsonObject) =>
  readEvidenceCatalog(new ConfigReader({ lexecon: { evidence } }));

describe('the shipped Lexecon catalog', () => {
  it('holds the controls the readiness plan names, each item with a rule the portal knows', () => {
    expect(LEXECON_CATALOG.map(c => c.id)).toEqual([
      'CC6.1',
      'CC6.2',
      'CC6.3',
      'CC7.1',
      'CC7.2',
      'CC7.3',
      'CC7.4',
      'CC8.1',
      'CC9',
      'A1.2',
      'C1',
      'GDPR-Art.5',
      'GDPR-Art.12-15-17-20',
      'GDPR-Art.30',
      'GDPR-Art.32',
      'GDPR-Art.33',
      'GDPR-Art.35',
    ]);
    const asWritten = LEXECON_CATALOG.map(c => ({
      ...c,
      items: c.items.map(({ controlId: _controlId, ...i }) => i),
    }));
    expect(parseCatalog(asWritten, 'shipped')).toEqual(LEXECON_CATALOG);
    for (const c of LEXECON_CATALOG) {
      for (const i of c.items) {
        expect(i.controlId).toBe(c.id);
        expect(RULE_CHECKS[i.rule]).toBeDefined();
      }
    }
  });

  it('keeps the seed’s retention periods in GDPR Art. 5', () => {
    const art5 = LEXECON_CATALOG.find(c => c.id === 'GDPR-Art.5')!;
    expect(art5.items.map(i => i.title).join(' | ')).toMatch(
      /Decision logs kept 30 days.*Override logs kept 1 year.*Audit logs kept 3 years/,
    );
  });

  it('is in force when config names no other', () => {
    expect(read({})).toBe(LEXECON_CATALOG);
  });
});

describe('readEvidenceCatalog', () => {
  it('replaces the shipped catalog with an inline one', () => {
    expect(read({ catalog: [control] })).toEqual([
      { ...control, items: [{ ...control.items[0], controlId: 'CC8.1' }] },
    ]);
  });

  it('reads a JSON catalog file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'catalog-')), 'catalog.json');
    writeFileSync(file, JSON.stringify([control]));
    expect(read({ catalogFile: file }).map(c => c.id)).toEqual(['CC8.1']);
  });

  it('refuses a bad catalog naming where it came from and each problem', () => {
    const bad = {
      ...control,
      framework: 'iso27001',
      items: [{ ...control.items[0], cadence: 'weekly', owner: 'approvers' }],
    };
    expect(() => read({ catalog: [bad] })).toThrow(
      /^Invalid evidence catalog \(lexecon\.evidence\.catalog\): \[0\]\.framework .*; \[0\]\.items\[0\]\.cadence .*; \[0\]\.items\[0\]\.owner must be an entity ref/,
    );
    expect(() =>
      read({ catalog: [control, { ...control, id: 'CC8.2' }] }),
    ).toThrow("evidence item id 'changes' is used more than once");
    expect(() => read({ catalog: [{ ...control, items: [] }] })).toThrow(
      '[0].items must list at least one evidence item',
    );
  });

  it('names a catalog file it cannot read', () => {
    expect(() => read({ catalogFile: '/nonexistent/catalog.json' })).toThrow(
      /^Invalid evidence catalog \(lexecon\.evidence\.catalogFile \/nonexistent\/catalog\.json\): cannot be read as JSON/,
    );
  });
});
