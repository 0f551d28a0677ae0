import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DecisionStore } from './DecisionStore';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from './__testUtils__/migratedDatabase';

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const T0 = Date.parse('2026-11-20T15:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
/** GitHub run ids have outgrown 32 bits. */
const KEY = {
  repository: 'lexecon-ai/lexecon',
  runId: 9_876_543_210,
  environment: 'production',
};
const ALEX = { actor: 'user:default/alex-kim', githubLogin: 'alex-kim' };
const JORDAN = { actor: 'user:default/jordan-lee', githubLogin: 'jordan-lee' };
const TWO_MINUTES = 2 * 60_000;
/** The row of a claim alex-kim made at T0 and has not finished. */
const ALEX_CLAIM_AT_T0 = {
  ...KEY,
  state: 'in-progress',
  actor: ALEX.actor,
  githubLogin: 'alex-kim',
  startedAt: '2026-11-20T15:00:00.000Z',
  decidedAt: undefined,
};

describe.each(databases.eachSupportedId())('DecisionStore on %s', id => {
  let knex: Knex;
  let store: DecisionStore;

  beforeAll(async () => {
    knex = await migratedDatabase(databases, id);
  });
  beforeEach(async () => {
    await knex('lexecon_approval_decisions').delete();
    store = new DecisionStore(knex, { claimExpiryMs: TWO_MINUTES });
  });

  it('gives the claim to the first caller and shows the second who holds it', async () => {
    expect(await store.claim(KEY, { ...ALEX, at: at(0) })).toEqual({
      claimed: true,
    });
    expect(await store.claim(KEY, { ...JORDAN, at: at(1000) })).toEqual({
      claimed: false,
      existing: ALEX_CLAIM_AT_T0,
    });
  });

  it('keeps one claim per repository, run and environment', async () => {
    await store.claim(KEY, { ...ALEX, at: at(0) });
    const others = [
      { ...KEY, environment: 'staging' },
      { ...KEY, runId: KEY.runId + 1 },
      { ...KEY, repository: 'lexecon-ai/lexecon-docs' },
    ];
    for (const other of others) {
      expect(await store.claim(other, { ...JORDAN, at: at(0) })).toEqual({
        claimed: true,
      });
    }
    expect(
      Number(
        (await knex('lexecon_approval_decisions').count({ n: '*' }).first())?.n,
      ),
    ).toBe(4);
  });

  it('records a person without a GitHub login as such', async () => {
    await store.claim(KEY, { actor: 'user:default/no-login', at: at(0) });
    const row = await store.find(KEY);
    expect(row?.actor).toBe('user:default/no-login');
    expect(row?.githubLogin).toBeUndefined();
  });

  it('gives one claim to one of many simultaneous callers', async () => {
    const people = ['a', 'b', 'c', 'd', 'e'].map(n => ({
      actor: `user:default/${n}`,
      at: at(0),
    }));
    const results = await Promise.all(people.map(p => store.claim(KEY, p)));
    const winners = results.filter(r => r.claimed);
    expect(winners).toHaveLength(1);
    const holder = (await store.find(KEY))?.actor;
    const told = results.flatMap(r => (r.claimed ? [] : [r.existing.actor]));
    expect(told).toEqual(Array(4).fill(holder));
  });

  it('reports a completed decision with its decider and time, and never gives it away', async () => {
    await store.claim(KEY, { ...ALEX, at: at(0) });
    await store.complete(KEY, 'approved', at(5000));
    const decided = {
      ...ALEX_CLAIM_AT_T0,
      state: 'approved',
      decidedAt: '2026-11-20T15:00:05.000Z',
    };
    expect(await store.find(KEY)).toEqual(decided);
    expect(
      await store.claim(KEY, { ...JORDAN, at: at(24 * 3_600_000) }),
    ).toEqual({ claimed: false, existing: decided });
    await store.release(KEY);
    expect(await store.find(KEY)).toEqual(decided);
  });

  it('takes over a claim held for more than two minutes, not one exactly two minutes old', async () => {
    await store.claim(KEY, { ...ALEX, at: at(0) });
    const atTheLimit = await store.claim(KEY, {
      ...JORDAN,
      at: at(TWO_MINUTES),
    });
    expect(atTheLimit).toMatchObject({
      claimed: false,
      existing: { actor: ALEX.actor, state: 'in-progress' },
    });
    expect(
      await store.claim(KEY, { ...JORDAN, at: at(TWO_MINUTES + 1) }),
    ).toEqual({
      claimed: true,
      abandoned: ALEX_CLAIM_AT_T0,
    });
    expect(await store.find(KEY)).toEqual({
      ...KEY,
      state: 'in-progress',
      actor: JORDAN.actor,
      githubLogin: 'jordan-lee',
      startedAt: '2026-11-20T15:02:00.001Z',
      decidedAt: undefined,
    });
    // The taker's claim is fresh again: nobody else takes it over at once.
    expect(
      await store.claim(KEY, { ...ALEX, at: at(TWO_MINUTES + 2) }),
    ).toMatchObject({ claimed: false, existing: { actor: JORDAN.actor } });
  });

  it('holds a claim for the configured expiry, not two minutes', async () => {
    const quick = new DecisionStore(knex, { claimExpiryMs: 5_000 });
    await quick.claim(KEY, { ...ALEX, at: at(0) });
    expect(await quick.claim(KEY, { ...JORDAN, at: at(5_000) })).toMatchObject({
      claimed: false,
      existing: { actor: ALEX.actor },
    });
    expect(await quick.claim(KEY, { ...JORDAN, at: at(5_001) })).toMatchObject({
      claimed: true,
      abandoned: { actor: ALEX.actor, startedAt: '2026-11-20T15:00:00.000Z' },
    });
    expect((await quick.find(KEY))?.actor).toBe(JORDAN.actor);
  });

  it("records what an abandoned attempt got to GitHub as its holder's decision", async () => {
    await store.claim(KEY, { ...ALEX, at: at(0) });
    const takeover = await store.claim(KEY, {
      ...JORDAN,
      at: at(TWO_MINUTES + 1),
    });
    if (!takeover.claimed || !takeover.abandoned) {
      throw new Error('expected a takeover');
    }
    await store.completeAbandoned(
      KEY,
      takeover.abandoned,
      'approved',
      at(TWO_MINUTES + 500),
    );
    const decided = {
      ...ALEX_CLAIM_AT_T0,
      state: 'approved',
      decidedAt: '2026-11-20T15:02:00.500Z',
    };
    expect(await store.find(KEY)).toEqual(decided);
    expect(
      await store.claim(KEY, { ...JORDAN, at: at(3 * TWO_MINUTES) }),
    ).toEqual({ claimed: false, existing: decided });
  });

  it('forgets the GitHub login of the previous holder when a person without one takes over', async () => {
    await store.claim(KEY, { ...ALEX, at: at(0) });
    await store.claim(KEY, {
      actor: 'user:default/no-login',
      at: at(TWO_MINUTES + 1),
    });
    expect(await store.find(KEY)).toMatchObject({
      actor: 'user:default/no-login',
      githubLogin: undefined,
    });
  });

  it('gives an abandoned claim to one of two simultaneous takers', async () => {
    await store.claim(KEY, { ...ALEX, at: at(0) });
    const later = at(3 * 60_000);
    const [jordan, sam] = await Promise.all([
      store.claim(KEY, { ...JORDAN, at: later }),
      store.claim(KEY, { actor: 'user:default/sam-okafor', at: later }),
    ]);
    expect([jordan.claimed, sam.claimed].sort()).toEqual([false, true]);
    const loser = jordan.claimed ? sam : jordan;
    const winner = jordan.claimed ? JORDAN.actor : 'user:default/sam-okafor';
    expect(loser).toMatchObject({ existing: { actor: winner } });
    expect((await store.find(KEY))?.actor).toBe(winner);
  });

  it('gives an in-progress claim back so that a retry can claim it', async () => {
    await store.claim(KEY, { ...ALEX, at: at(0) });
    await store.release(KEY);
    expect(await store.find(KEY)).toBeUndefined();
    expect(await store.claim(KEY, { ...JORDAN, at: at(1) })).toEqual({
      claimed: true,
    });
  });

  it('releases only the claim of its own run and environment', async () => {
    const staging = { ...KEY, environment: 'staging' };
    await store.claim(KEY, { ...ALEX, at: at(0) });
    await store.claim(staging, { ...ALEX, at: at(0) });
    await store.release(staging);
    expect(await store.find(KEY)).toMatchObject({ state: 'in-progress' });
    expect(await store.find(staging)).toBeUndefined();
  });

  it('completes only its own run and environment', async () => {
    const staging = { ...KEY, environment: 'staging' };
    await store.claim(KEY, { ...ALEX, at: at(0) });
    await store.claim(staging, { ...ALEX, at: at(0) });
    await store.complete(staging, 'rejected', at(1000));
    expect(await store.find(KEY)).toMatchObject({ state: 'in-progress' });
    expect(await store.find(staging)).toMatchObject({
      state: 'rejected',
      decidedAt: '2026-11-20T15:00:01.000Z',
    });
  });

  it('lists the decided runs of one repository, not those still in progress', async () => {
    const other = { ...KEY, repository: 'lexecon-ai/lexecon-docs', runId: 3 };
    const claims = [
      { ...KEY, runId: 1 },
      { ...KEY, runId: 1, environment: 'staging' },
      { ...KEY, runId: 2 },
      KEY,
      other,
    ];
    for (const key of claims) await store.claim(key, { ...ALEX, at: at(0) });
    await store.complete({ ...KEY, runId: 1 }, 'approved', at(1));
    await store.complete(
      { ...KEY, runId: 1, environment: 'staging' },
      'rejected',
      at(1),
    );
    await store.complete(KEY, 'approved', at(1));
    await store.complete(other, 'approved', at(1));
    expect(await store.decidedRuns(KEY.repository)).toEqual(
      new Set(['1:production', '1:staging', `${KEY.runId}:production`]),
    );
  });

  it('answers "unknown is deciding" when the row it lost to vanishes before it can be read', async () => {
    await store.claim(KEY, { ...ALEX, at: at(0) });
    // The holder gives the claim back between this caller's insert and its read.
    let calls = 0;
    const racing = ((table: string) => {
      const builder = knex(table);
      calls++;
      if (calls !== 2) return builder;
      const read = builder.then.bind(builder);
      return Object.assign(builder, {
        then: (
          onFulfilled: (value: unknown) => unknown,
          onRejected: (reason: unknown) => unknown,
        ) =>
          knex(table)
            .delete()
            .then(() => read(onFulfilled, onRejected)),
      });
    }) as unknown as Knex;
    const result = await new DecisionStore(racing, {
      claimExpiryMs: TWO_MINUTES,
    }).claim(KEY, {
      ...JORDAN,
      at: at(1000),
    });
    expect(result).toEqual({
      claimed: false,
      existing: {
        ...KEY,
        state: 'in-progress',
        actor: 'unknown',
        startedAt: '2026-11-20T15:00:01.000Z',
      },
    });
  });
});
