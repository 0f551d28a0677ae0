import { createHash, createHmac } from 'node:crypto';
import {
  canonicalJson,
  CanonicalRecord,
  GENESIS_HASH,
  hashVersion1,
  hashVersion2,
} from './auditHash';
import { DECISION } from './__fixtures__/auditEntries';

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');
const hmac = (key: string, text: string) =>
  createHmac('sha256', key).update(text).digest('hex');

const KEY = 'a-test-key-of-at-least-32-characters!';

/** The canonical JSON of DECISION, written out: every hashed field, in order, absent ones null. */
const DECISION_CANONICAL =
  '[["at","2026-11-20T15:00:00.000Z"],["action","decision"],["actor","user:default/alex-kim"],' +
  '["githubLogin","alex-kim"],["entityRef","component:default/lexecon-api"],' +
  '["repository","lexecon-ai/lexecon"],["runId",9876543210],["environment","production"],' +
  '["version","v1.4.2"],["decision","approved"],["comment","Readiness 92, staging healthy for a day"],' +
  '["outcome","GitHub accepted the approval"],["upstreamStatus",200],["mode","github-reviewers"],' +
  '["deliveryId",null]]';

describe('hashVersion1 (rows written before the portal-wide trail)', () => {
  it('hashes the previous hash, a newline and the fields as ordered pairs', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(hashVersion1(GENESIS_HASH, DECISION)).toBe(
      sha256(`${GENESIS_HASH}\n${DECISION_CANONICAL}`),
    );
  });

  it('does not depend on the order the fields were given in, nor on undefined versus null', () => {
    const reversed = Object.fromEntries(Object.entries(DECISION).reverse());
    expect(hashVersion1(GENESIS_HASH, reversed)).toBe(
      hashVersion1(GENESIS_HASH, DECISION),
    );
    const minimal = { at: 'x', action: 'refused', actor: 'a', outcome: 'o' };
    expect(hashVersion1('p', { ...minimal, comment: undefined })).toBe(
      hashVersion1('p', { ...minimal, comment: null, mode: null }),
    );
    expect(hashVersion1('p', minimal)).toBe(
      sha256(
        'p\n[["at","x"],["action","refused"],["actor","a"],["githubLogin",null],["entityRef",null],' +
          '["repository",null],["runId",null],["environment",null],["version",null],["decision",null],' +
          '["comment",null],["outcome","o"],["upstreamStatus",null],["mode",null],["deliveryId",null]]',
      ),
    );
  });

  it('changes with the previous hash and with any field, the webhook delivery id included', () => {
    const base = hashVersion1(GENESIS_HASH, DECISION);
    expect(hashVersion1('1'.repeat(64), DECISION)).not.toBe(base);
    expect(
      hashVersion1(GENESIS_HASH, { ...DECISION, deliveryId: 'd-1' }),
    ).not.toBe(base);
    expect(
      hashVersion1(GENESIS_HASH, { ...DECISION, runId: '9876543210' }),
    ).not.toBe(base);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth, keeps array order and leaves out undefined members', () => {
    expect(
      canonicalJson({
        b: 1,
        a: { d: [3, { z: true, y: null }], c: 'x' },
        u: undefined,
      }),
    ).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives one text for the same value built in any order', () => {
    const built = { runId: 42, comment: 'ok', nested: { b: 'β', a: 'α' } };
    const rebuilt = { nested: { a: 'α', b: 'β' }, comment: 'ok', runId: 42 };
    expect(canonicalJson(built)).toBe(canonicalJson(rebuilt));
    expect(canonicalJson(built)).toBe(
      '{"comment":"ok","nested":{"a":"α","b":"β"},"runId":42}',
    );
  });

  it('escapes strings as JSON does, so no value can pass for structure', () => {
    expect(canonicalJson({ 'a":1,"b': 'x"}' })).toBe('{"a\\":1,\\"b":"x\\"}"}');
  });
});

describe('hashVersion2 (the portal-wide record, keyed)', () => {
  const REFRESH: CanonicalRecord = {
    at: '2026-11-21T09:30:00.000Z',
    action: 'refresh-requested',
    actor: 'user:default/sam-okafor',
    subject: 'component:default/lexecon-api',
    entityRef: 'component:default/lexecon-api',
    details: { outcome: 'Refresh of every source queued' },
  };

  it('is the HMAC-SHA256 under the key of the previous hash, a newline and the canonical record with its version', () => {
    expect(hashVersion2(KEY, GENESIS_HASH, REFRESH)).toBe(
      hmac(
        KEY,
        `${GENESIS_HASH}\n` +
          '{"action":"refresh-requested","actor":"user:default/sam-okafor","at":"2026-11-21T09:30:00.000Z",' +
          '"deliveryId":null,"details":{"outcome":"Refresh of every source queued"},' +
          '"entityRef":"component:default/lexecon-api","subject":"component:default/lexecon-api","version":2}',
      ),
    );
  });

  it('changes with the key, the previous hash and any part of the record', () => {
    const base = hashVersion2(KEY, GENESIS_HASH, REFRESH);
    const variants: CanonicalRecord[] = [
      { ...REFRESH, at: '2026-11-21T09:30:00.001Z' },
      { ...REFRESH, action: 'decision' },
      { ...REFRESH, actor: 'user:default/alex-kim' },
      { ...REFRESH, subject: 'component:default/billing-api' },
      { ...REFRESH, entityRef: undefined },
      { ...REFRESH, deliveryId: 'd-1' },
      { ...REFRESH, details: { outcome: 'Refresh of every source queued.' } },
      {
        ...REFRESH,
        details: { outcome: 'Refresh of every source queued', n: 1 },
      },
    ];
    const hashes = variants.map(v => hashVersion2(KEY, GENESIS_HASH, v));
    expect(new Set([base, ...hashes]).size).toBe(variants.length + 1);
    expect(hashVersion2(`${KEY}x`, GENESIS_HASH, REFRESH)).not.toBe(base);
    expect(hashVersion2(KEY, '1'.repeat(64), REFRESH)).not.toBe(base);
  });

  it('does not depend on the order of the details', () => {
    const details = { runId: 42, decision: 'approved', comment: 'ok' };
    const reordered = { comment: 'ok', runId: 42, decision: 'approved' };
    expect(hashVersion2(KEY, GENESIS_HASH, { ...REFRESH, details })).toBe(
      hashVersion2(KEY, GENESIS_HASH, { ...REFRESH, details: reordered }),
    );
  });
});
