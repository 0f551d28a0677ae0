// Two production replicas on one PostgreSQL: a replica killed in the middle of a decision, after
// it claimed the run and before GitHub answered. The claim holds the run until it expires, is then
// recovered by the other replica, GitHub sees one review, and the audit trail says what happened.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Cluster, eventually, startCluster } from './cluster';
import {
  approve,
  auditRecords,
  sandboxRequests,
  setFaults,
  signInToken,
  verifyAuditChain,
  waitingProductionRun,
} from './portalApi';

const CLAIM_EXPIRY_S = 5;
let cluster: Cluster;
let token: string;

before(async () => {
  cluster = await startCluster({
    name: 'crash',
    config: {
      lexecon: {
        refresh: { initialDelay: { seconds: 1 } },
        approvals: { claimExpiry: { seconds: CLAIM_EXPIRY_S } },
      },
    },
  });
  token = await signInToken('alex-kim');
});

after(async () => {
  await setFaults([]);
  await cluster?.stop();
});

test('kill -9 in the middle of a decision: the claim is recovered after its expiry, GitHub sees one review, and the audit trail says what happened', async () => {
  const [a, b] = cluster.replicas;
  const run = await waitingProductionRun(a, token);
  await waitingProductionRun(b, token, run.runId);
  const reviewPath = `/actions/runs/${run.runId}/pending_deployments`;
  const isReview = (r: { method: string; path: string }) =>
    r.method === 'POST' && r.path.includes(reviewPath);

  // GitHub holds the review without answering (and, the client gone, never applies it).
  await setFaults([
    {
      source: 'github',
      kind: 'timeout',
      method: 'POST',
      pathPattern: 'pending_deployments',
    },
  ]);
  const pending = approve(a, token, run, 'Approved before the crash');
  pending.catch(() => {});
  await eventually('the review held at GitHub', async () =>
    (await sandboxRequests()).some(r => isReview(r) && r.fault === 'timeout'),
  );
  await a.kill();
  const killedAt = Date.now();
  await setFaults([]);

  // Before the claim expires, the other replica refuses: someone is deciding.
  const early = await approve(b, token, run, 'Approved from the other replica');
  if (Date.now() - killedAt < CLAIM_EXPIRY_S * 1000 - 500) {
    assert.equal(early.status, 409);
    assert.match(
      (await early.json()).error.message,
      /alex-kim/,
      'the conflict names who holds the decision',
    );
  }

  // After the expiry, the other replica recovers the claim and the review reaches GitHub once.
  // One request once the claim (made before the kill) has expired: the decision rate limit
  // counts every attempt, so no polling here.
  await new Promise(r =>
    setTimeout(r, killedAt + CLAIM_EXPIRY_S * 1000 + 500 - Date.now()),
  );
  const late = await approve(
    b,
    token,
    run,
    'Approved after the crash, from the other replica',
  );
  assert.equal(late.status, 200, await late.clone().text());
  const recovered = await late.json();
  assert.ok(Date.now() - killedAt >= CLAIM_EXPIRY_S * 1000);
  assert.equal(recovered.decision, 'approved');
  const applied = (await sandboxRequests()).filter(
    r => isReview(r) && r.status === 200,
  );
  assert.equal(applied.length, 1, 'GitHub applied one review');
  const approvals = await fetch(
    `http://127.0.0.1:7100/api/v3/repos/lexecon-ai/lexecon/actions/runs/${run.runId}/approvals`,
    { headers: { authorization: 'Bearer sandbox-github-token' } },
  );
  const listed = (await approvals.json()) as Array<{ state: string }>;
  assert.equal(listed.filter(x => x.state === 'approved').length, 1);

  // The trail: the takeover, naming the abandoned claim, then the decision; the chain verifies.
  const records = (await auditRecords(b, token)).filter(
    r => r.runId === run.runId,
  );
  const actions = records
    .slice()
    .sort((x, y) => x.id - y.id)
    .map(r => r.action);
  const takeover = records.find(r => r.action === 'claim-recovered');
  assert.ok(takeover, `a claim-recovered record: ${actions.join(', ')}`);
  assert.match(JSON.stringify(takeover.details), /alex-kim/);
  const decision = records.find(r => r.action === 'decision');
  assert.ok(decision, `a decision record: ${actions.join(', ')}`);
  assert.ok(takeover.id < decision.id, 'the takeover is recorded first');
  const verification = await verifyAuditChain(b, token);
  assert.equal(verification.ok, true, JSON.stringify(verification));

  // The killed replica starts again on the same database and agrees.
  a.start();
  await a.ready();
  const again = await approve(a, token, run, 'Approved a third time');
  assert.equal(again.status, 409);
});
