import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { APPROVALS_TEST_DATABASES } from '../approvals/__testUtils__/migratedDatabase';
import { DecisionStore } from '../approvals/DecisionStore';
import { hashVersion1 } from '../audit/auditHash';
import { AuditLog, GENESIS_HASH } from '../audit/AuditLog';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { migrateDatabase } from './migrate';

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

/** 512 characters: catalogs may allow long names, and a ref adds kind and namespace. */
const LONG_REF = `component:${'n'.repeat(63)}/${'x'.repeat(438)}`;
/** 255 characters each: the longest tag and environment name GitHub allows. */
const LONG_TAG = `v1.4.2-${'rc'.repeat(124)}`;
const LONG_ENVIRONMENT = `production-${'e'.repeat(244)}`;
const DELIVERY = `72d3162e-cc78-11e3-81ab-4c9367dc0958:${LONG_REF}`;
const ACTOR = `user:${'n'.repeat(63)}/${'p'.repeat(300)}`;

describe.each(databases.eachSupportedId())('the migrated schema on %s', id => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(id);
    await migrateDatabase({ getClient: async () => knex });
  });

  it('keeps a snapshot of an entity with a long ref', async () => {
    const store = new SnapshotStore(knex);
    const at = new Date('2026-11-21T09:30:00.000Z');
    await store.saveSuccess(LONG_REF, 'github', { tag: LONG_TAG }, at);
    expect(await store.get(LONG_REF, 'github')).toMatchObject({
      entityRef: LONG_REF,
      data: { tag: LONG_TAG },
    });
  });

  it('keeps a decision on an environment with the longest name GitHub allows, by a person with a long ref', async () => {
    const decisions = new DecisionStore(knex, { claimExpiryMs: 120_000 });
    const key = {
      repository: 'lexecon-ai/lexecon',
      runId: 42,
      environment: LONG_ENVIRONMENT,
    };
    const at = new Date('2026-11-21T09:30:00.000Z');
    expect(await decisions.claim(key, { actor: ACTOR, at })).toEqual({
      claimed: true,
    });
    expect(await decisions.find(key)).toMatchObject({
      environment: LONG_ENVIRONMENT,
      actor: ACTOR,
    });
  });

  it('keeps an audit record of a release with the longest tag, from a webhook, for an entity with a long ref', async () => {
    const audit = new AuditLog(knex, {
      hmacKey: 'migrate-test-key-0123456789abcdef',
    });
    await audit.append({
      action: 'github-review',
      actor: ACTOR,
      entityRef: LONG_REF,
      repository: 'lexecon-ai/lexecon',
      runId: 42,
      environment: LONG_ENVIRONMENT,
      version: LONG_TAG,
      outcome: 'GitHub recorded the review',
      deliveryId: DELIVERY,
    });
    const { items } = await audit.list({ entityRef: LONG_REF, limit: 10 });
    expect(items).toMatchObject([
      {
        actor: ACTOR,
        entityRef: LONG_REF,
        environment: LONG_ENVIRONMENT,
        version: LONG_TAG,
        subject: `lexecon-ai/lexecon#42/${LONG_ENVIRONMENT}`,
      },
    ]);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  it('holds the same values in the columns of the records written before (version 1)', async () => {
    await knex('lexecon_audit_log').delete();
    const entry = {
      at: '2026-11-20T15:00:00.000Z',
      action: 'decision',
      actor: ACTOR,
      entityRef: LONG_REF,
      repository: 'lexecon-ai/lexecon',
      runId: 43,
      environment: LONG_ENVIRONMENT,
      version: LONG_TAG,
      outcome: 'GitHub accepted the approval',
      deliveryId: DELIVERY,
    };
    await knex('lexecon_audit_log').insert({
      format_version: 1,
      at: entry.at,
      action: entry.action,
      actor: entry.actor,
      entity_ref: entry.entityRef,
      repository: entry.repository,
      run_id: entry.runId,
      environment: entry.environment,
      version: entry.version,
      outcome: entry.outcome,
      delivery_id: entry.deliveryId,
      prev_hash: GENESIS_HASH,
      hash: hashVersion1(GENESIS_HASH, entry),
    });
    const audit = new AuditLog(knex, {
      hmacKey: 'migrate-test-key-0123456789abcdef',
    });
    expect((await audit.list({ limit: 1 })).items).toMatchObject([
      { actor: ACTOR, entityRef: LONG_REF, version: LONG_TAG },
    ]);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
  });
});

describe('migrateDatabase', () => {
  it('leaves the database alone when the backend says migrations are skipped', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateDatabase({
      getClient: async () => knex,
      migrations: { skip: true },
    });
    expect(await knex.schema.hasTable('lexecon_audit_log')).toBe(false);
    await migrateDatabase({ getClient: async () => knex });
    expect(await knex.schema.hasTable('lexecon_audit_log')).toBe(true);
  });
});
