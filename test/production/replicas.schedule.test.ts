// Two production replicas on one PostgreSQL, refreshing every 10 s: each cycle of each source runs
// on one replica (the sandbox's request log and the replicas' logs agree), and a replica killed
// in the middle of a refresh loses nothing: the other completes the next cycle.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dataHash } from '../../plugins/lexecon-backend/src/snapshots/dataHash';
import { Cluster, eventually, pluginDatabase, startCluster } from './cluster';
import { connectedTo, sandboxRequests, setFaults } from './portalApi';

const FREQUENCY_S = 10;
/** Sources with an upstream of their own in the sandbox (GitHub serves two sources). */
const UPSTREAM_OF: Record<string, string> = {
  kubernetes: 'kubernetes',
  unleash: 'unleash',
  datadog: 'datadog',
  health: 'health',
};
const DATADOG_PORT = 7103;

let cluster: Cluster;

before(async () => {
  cluster = await startCluster({
    name: 'schedule',
    config: {
      lexecon: {
        refresh: {
          // minutes: 0 replaces the production file's `{ minutes: 5 }` (config merges objects).
          frequency: { minutes: 0, seconds: FREQUENCY_S },
          // A cycle abandoned by a dead replica is taken up once this has passed.
          timeout: { seconds: 8 },
          initialDelay: { seconds: 1 },
        },
      },
    },
  });
});

after(async () => {
  await setFaults([]);
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * `Refreshed <source> for N entities in M ms` lines of every replica, with who logged them, when,
 * and when that cycle started (the line's time less its duration).
 */
function completions(since: number) {
  return cluster.replicas.flatMap(replica =>
    replica
      .lines()
      .filter(line => line.receivedAt >= since)
      .flatMap(line => {
        const match = /^Refreshed (\S+) for (\d+) entities in (\d+)ms/.exec(
          line.message ?? '',
        );
        return match
          ? [
              {
                source: match[1],
                replica: replica.name,
                at: line.receivedAt,
                startedAt: line.receivedAt - Number(match[3]),
              },
            ]
          : [];
      }),
  );
}

/** Requests to one upstream grouped into bursts: a gap of 3 s or more starts a new one. */
function bursts(times: number[]) {
  const groups: number[][] = [];
  for (const t of [...times].sort((x, y) => x - y)) {
    const last = groups[groups.length - 1];
    if (last && t - last[last.length - 1] < 3_000) last.push(t);
    else groups.push([t]);
  }
  return groups;
}

test('each scheduled refresh of each source runs on exactly one replica per cycle', async () => {
  // The first cycles have run; from here on, count.
  // The first github cycle is the longest (every deploy's change set and readings are read):
  // counting while it loads the GitHub sandbox would time a slowed cycle, not the schedule.
  for (const source of ['datadog', 'github', 'github-approvals']) {
    await eventually(`a first ${source} cycle`, async () =>
      completions(0).some(c => c.source === source),
    );
  }
  const from = Date.now();
  await sleep(4 * FREQUENCY_S * 1000);
  const until = Date.now() - 3_000;

  const requests = (await sandboxRequests()).filter(r => {
    const at = Date.parse(r.at);
    return at >= from && at < until;
  });
  const done = completions(from).filter(c => c.at < until + 3_000);
  const report: string[] = [];
  for (const source of [
    'github',
    'github-approvals',
    ...Object.keys(UPSTREAM_OF),
  ]) {
    const runs = done
      .filter(c => c.source === source)
      .sort((x, y) => x.startedAt - y.startedAt);
    report.push(`${source}: ${runs.map(r => r.replica.slice(-1)).join('')}`);
    // Four 10 s cycles in 40 s: at least three ran, never two in one cycle.
    assert.ok(runs.length >= 3, `${source} ran ${runs.length} cycles`);
    assert.ok(runs.length <= 5, `${source} ran ${runs.length} cycles in 40 s`);
    // Cycles start a cadence apart; their ends are not (a slow cycle then a quick one end
    // closer), so the starts are compared: two replicas in one cycle start together.
    for (let i = 1; i < runs.length; i++) {
      const gap = runs[i].startedAt - runs[i - 1].startedAt;
      assert.ok(
        gap >= (FREQUENCY_S * 1000) / 2,
        `${source}: two runs started ${gap} ms apart (${runs[i - 1].replica}, ${
          runs[i].replica
        }): one cycle ran twice`,
      );
    }
  }
  // What the upstreams saw: one burst of requests per logged cycle, each the size of one
  // refresh of the covered entities (two replicas refreshing in one cycle would double it).
  for (const [source, upstream] of Object.entries(UPSTREAM_OF)) {
    const times = requests
      .filter(r => r.source === upstream)
      .map(r => Date.parse(r.at));
    const groups = bursts(times).filter(
      g => g[g.length - 1] < until - 3_000 && g[0] > from + 1_000,
    );
    const logged = done.filter(
      c => c.source === source && c.at > from + 1_000 && c.at < until,
    );
    assert.ok(groups.length >= 2, `${upstream} saw ${groups.length} bursts`);
    const sizes = groups.map(g => g.length);
    assert.ok(
      sizes.every(size => size === sizes[0]),
      `every ${upstream} burst is one refresh: sizes ${sizes.join(', ')}`,
    );
    for (const group of groups) {
      const inBurst = logged.filter(
        c => c.at >= group[0] && c.at <= group[group.length - 1] + 2_000,
      );
      assert.equal(
        inBurst.length,
        1,
        `one ${source} run logged for the burst at ${new Date(
          group[0],
        ).toISOString()}: ${inBurst.map(c => c.replica).join(', ')}`,
      );
    }
  }
  console.log(`cycles per replica (a/b): ${report.join('; ')}`);
});

test('kill -9 of the replica in the middle of a refresh: the other replica completes the next cycle, no snapshot lost or half-written', async () => {
  const db = await pluginDatabase(cluster, 'lexecon');
  try {
    const before = await db('lexecon_snapshots').select('entity_ref', 'source');
    assert.ok(before.length >= 8, `${before.length} snapshots to keep`);

    // Datadog stops answering: the next datadog cycle hangs, mid-refresh, on one replica.
    await setFaults([{ source: 'datadog', kind: 'timeout' }]);
    const holder = await eventually(
      'a replica in the middle of a datadog refresh',
      async () =>
        cluster.replicas.find(
          r => r.process?.pid && connectedTo(r.process.pid, DATADOG_PORT),
        ),
      3 * FREQUENCY_S * 1000,
    );
    const survivor = cluster.replicas.find(r => r !== holder)!;
    await holder.kill();
    const killedAt = Date.now();
    await setFaults([]);

    // The dead replica's cycle expires (timeout 8 s); the survivor runs the next one.
    const next = await eventually(
      `${survivor.name} completes a datadog cycle after the kill`,
      async () =>
        completions(killedAt).find(
          c => c.source === 'datadog' && c.replica === survivor.name,
        ),
      60_000,
    );
    assert.ok(next.at > killedAt);

    const after = await db('lexecon_snapshots').select(
      'entity_ref',
      'source',
      'data',
      'data_hash',
      'attempted_at',
      'error',
    );
    // Nothing lost: every snapshot there before is there now.
    const key = (r: { entity_ref: string; source: string }) =>
      `${r.entity_ref}|${r.source}`;
    const now = new Set(after.map(key));
    for (const row of before) assert.ok(now.has(key(row)), `${key(row)} kept`);
    // Nothing half-written: each row's data is whole JSON matching its hash.
    for (const row of after) {
      if (row.data === null) continue;
      const data = JSON.parse(row.data);
      assert.equal(row.data_hash, dataHash(data), `${key(row)} is whole`);
    }
    // The survivor's datadog cycle refreshed every datadog snapshot after the kill, cleanly.
    const datadog = after.filter(r => r.source === 'datadog');
    assert.ok(datadog.length >= 1);
    for (const row of datadog) {
      assert.ok(
        new Date(row.attempted_at).getTime() >= killedAt - 1_000,
        `${key(row)} refreshed after the kill`,
      );
      assert.equal(row.error, null, `${key(row)}: ${row.error}`);
    }

    // The killed replica comes back and takes its share again.
    holder.start();
    await holder.ready();
  } finally {
    await db.destroy();
  }
});
