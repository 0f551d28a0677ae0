// Two production replicas on one PostgreSQL: a double approval across replicas reaches GitHub
// once, and restarting a replica re-runs the migrations harmlessly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Cluster, Replica, startCluster } from './cluster';
import {
  approve,
  auditRecords,
  sandboxRequests,
  signInToken,
  verifyAuditChain,
  waitingProductionRun,
} from './portalApi';

let cluster: Cluster;
let token: string;

before(async () => {
  cluster = await startCluster({
    name: 'decisions',
    config: {
      // Scheduled refreshes stay out of the way: the tests read on demand.
      lexecon: { refresh: { initialDelay: { seconds: 1 } } },
    },
  });
  token = await signInToken('alex-kim');
});

after(async () => {
  await cluster?.stop();
});

test('20 concurrent approvals split across both replicas: one GitHub review, 19 answers of 409, and the audit chain verifies', async () => {
  const [a, b] = cluster.replicas;
  const run = await waitingProductionRun(a, token);
  // Both replicas have read the run: each can decide it.
  await waitingProductionRun(b, token, run.runId);
  const reviewPath = `/actions/runs/${run.runId}/pending_deployments`;
  const reviewsBefore = (await sandboxRequests()).filter(
    r => r.method === 'POST' && r.path.includes(reviewPath),
  ).length;

  // Ten per replica: the decision rate limit (10 a minute per person) is per replica.
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => approve(i % 2 ? b : a, token, run)),
  );
  const statuses = answers.map(r => r.status);
  const bodies = await Promise.all(answers.map(r => r.json()));
  assert.deepEqual(
    [...statuses].sort(),
    [200, ...Array(19).fill(409)],
    `one approval and 19 conflicts, got ${statuses.join(
      ', ',
    )}: ${JSON.stringify(
      bodies.filter((_, i) => statuses[i] !== 409 && statuses[i] !== 200),
    )}`,
  );
  const winner = bodies[statuses.indexOf(200)];
  assert.equal(winner.decision, 'approved');
  assert.equal(winner.decidedBy, 'user:default/alex-kim');
  for (const [i, body] of bodies.entries()) {
    if (statuses[i] === 409) {
      assert.match(
        body.error?.message ?? '',
        /alex-kim|already|in progress|decid/i,
        'a conflict says who holds or made the decision',
      );
    }
  }

  // GitHub received exactly one review, and now lists exactly one approval of the run.
  const reviews = (await sandboxRequests()).filter(
    r => r.method === 'POST' && r.path.includes(reviewPath),
  );
  assert.equal(reviews.length - reviewsBefore, 1, 'one review reached GitHub');
  const approvals = await fetch(
    `http://127.0.0.1:7100/api/v3/repos/lexecon-ai/lexecon/actions/runs/${run.runId}/approvals`,
    { headers: { authorization: 'Bearer sandbox-github-token' } },
  );
  const listed = (await approvals.json()) as Array<{ state: string }>;
  assert.equal(listed.filter(x => x.state === 'approved').length, 1);

  // One approval record, the refusals recorded as such, and a chain both replicas verify.
  const records = await auditRecords(a, token);
  const ofRun = records.filter(r => r.runId === run.runId);
  const decisions = ofRun.filter(r => r.action === 'decision');
  assert.equal(
    decisions.length,
    1,
    `one decision in the trail: ${ofRun.map(r => r.action).join(', ')}`,
  );
  assert.match(JSON.stringify(decisions[0].details), /approved/);
  assert.equal(ofRun.filter(r => r.action === 'refused').length, 19);
  for (const replica of [a, b]) {
    const verification = await verifyAuditChain(replica, token);
    assert.equal(verification.ok, true, JSON.stringify(verification));
  }
});

test('restarting a replica re-runs the migrations harmlessly: it starts, and the data and the chain are intact', async () => {
  const [a, b] = cluster.replicas;
  const before = await auditRecords(b, token);
  const headBefore = await (
    await fetch(`${a.url}/api/lexecon/v1/audit/head`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json();

  await a.stop();
  const restartedAt = Date.now();
  a.start();
  await a.ready();

  const after = await auditRecords(a, token);
  assert.deepEqual(
    after.map(r => r.id),
    before.map(r => r.id),
    'the trail is unchanged by the restart',
  );
  const headAfter = await (
    await fetch(`${a.url}/api/lexecon/v1/audit/head`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json();
  assert.deepEqual(headAfter, headBefore);
  const verification = await verifyAuditChain(a, token);
  assert.equal(verification.ok, true, JSON.stringify(verification));
  // Every migration had already run: the restarted replica logged no error. The replica going
  // down is left out: while it stops it answers late requests 503 "Service is shutting down" and
  // a caller may hang up mid-body ("stream is not readable"), and Backstage logs both as errors;
  // neither says anything about the migrations.
  assert.deepEqual(
    a
      .lines()
      .filter(
        line =>
          line.receivedAt >= restartedAt &&
          line.level === 'error' &&
          !/stream is not readable/.test(String(line.message)),
      ),
    [],
  );
});

/** Lines `GitHub <event> for lexecon-ai/lexecon: refreshing 1 of 1 entity` since `from`. */
function webhookRefreshes(replica: Replica, from: number) {
  return replica
    .lines()
    .filter(
      line =>
        line.receivedAt >= from &&
        /^GitHub \S+ for lexecon-ai\/lexecon: refreshing 1 of 1 entity/.test(
          line.message ?? '',
        ),
    );
}

interface Delivery {
  id: string;
  url: string;
  status: number;
}

/** The sandbox's deliveries once none has been added or retried for a second. */
async function settledDeliveries(): Promise<Delivery[]> {
  const read = async () =>
    (await (
      await cluster.control('/webhooks/deliveries')
    ).json()) as Delivery[];
  let previous = JSON.stringify(await read());
  for (let round = 0; round < 30; round++) {
    await new Promise(r => setTimeout(r, 1_000));
    const current = await read();
    if (JSON.stringify(current) === previous) return current;
    previous = JSON.stringify(current);
  }
  throw new Error('the sandbox kept delivering webhooks for 30 s');
}

test('webhooks delivered to either replica refresh the entity once, on the replica that received them', async () => {
  const [a, b] = cluster.replicas;
  for (const [receiver, other] of [
    [a, b],
    [b, a],
  ]) {
    const target = await cluster.control('/webhooks', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `http://127.0.0.1:${receiver.port}/api/events/http/github`,
        secret: cluster.secrets.webhook,
      }),
    });
    assert.equal(target.status, 200, await target.text());
    const earlier = new Set((await settledDeliveries()).map(d => d.id));
    const from = Date.now();
    const created = await cluster.control('/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ actor: 'priya-nair' }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { runId } = (await created.json()) as { runId: number };

    // Both replicas show the new run: one refresh, into the database they share.
    await waitingProductionRun(receiver, token, runId);
    await waitingProductionRun(other, token, runId);
    const deliveries = (await settledDeliveries()).filter(
      d => !earlier.has(d.id),
    );
    assert.ok(deliveries.length >= 1, 'the sandbox delivered webhooks');
    for (const delivery of deliveries) {
      assert.equal(
        delivery.url,
        `http://127.0.0.1:${receiver.port}/api/events/http/github`,
      );
      assert.equal(delivery.status, 202, JSON.stringify(delivery));
    }
    const refreshes = webhookRefreshes(receiver, from);
    assert.equal(
      refreshes.length,
      deliveries.length,
      `${receiver.name} refreshed the entity once per delivery`,
    );
    console.log(
      `${deliveries.length} deliveries to ${receiver.name}: ${
        refreshes.length
      } refreshes there, ${webhookRefreshes(other, from).length} on ${
        other.name
      }`,
    );
    assert.deepEqual(
      webhookRefreshes(other, from),
      [],
      `${other.name} received nothing and refreshed nothing`,
    );
  }
});
