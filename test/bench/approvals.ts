/**
 * Approval round trips against the real backend: for each one the sandbox creates a new release
 * run waiting on production (and sends its signed webhooks), the bench waits for the inbox to list
 * it and for upstream to go quiet, then times `POST .../approvals/:runId/production` with
 * INJECTED_MS on every GitHub call. Every request any upstream server received is counted: during
 * the round trip, and until upstream is quiet again (the refreshes the decision set off).
 * Bounded in count and time.
 */
import type { DecisionResult } from '@internal/plugin-lexecon-common';
import type { Sandbox, StartedRequest } from '@internal/sandbox';
import {
  distribution,
  Distribution,
  REQUEST_TIMEOUT_MS,
  sleep,
  waitForUpstreamQuiet,
  within,
} from './measure';

const INJECTED_MS = 100;
const ROUNDS = Number(process.env.BENCH_APPROVALS ?? 40);
const ROUNDS_SECONDS = Number(process.env.BENCH_APPROVALS_SECONDS ?? 300);
const INBOX_POLL_MS = 50;
/** The backend takes at most 10 decisions a minute per person: one each 6.1 s stays under. */
const DECISION_SPACING_MS = 6_100;
const INBOX_TIMEOUT_MS = 30_000;

export interface ApprovalBenchResult {
  roundTrip: Distribution;
  webhookToInbox: Distribution;
  /** Requests started between sending the decision and its answer, all sources. */
  callsDuringRoundTrip: Distribution;
  /** The same until upstream was quiet again: the decision plus the refreshes it set off. */
  callsUntilQuiet: Distribution;
  /** The calls of a median round during its round trip, by source and path. */
  medianRoundCalls: string[];
  /** The calls of that round after its answer, until upstream was quiet. */
  medianRoundCallsAfter: string[];
  /** Rounds whose decision started while upstream was still busy (quiet not reached). */
  busyStarts: number;
  injectedMs: number;
}

/** `GET /api/v3/repos/o/r/actions/runs/123/…` → `GET …/actions/runs/:id/…`, to group calls. */
function describe(r: StartedRequest) {
  const path = r.path
    .split('?')[0]
    .replace(/\/repos\/[^/]+\/[^/]+/, '/repos/:repo')
    .replace(/\/\d+(?=\/|$)/g, '/:id');
  return `${r.source} ${r.method} ${path}`;
}

export async function benchApprovals(options: {
  sandbox: Sandbox;
  backendUrl: string;
  /** Headers of a release approver's Backstage session. */
  headers: Record<string, string>;
  /** That approver's GitHub token. */
  githubToken: string;
}): Promise<ApprovalBenchResult> {
  const { sandbox, backendUrl, headers, githubToken } = options;
  const entity = `${backendUrl}/api/lexecon/v1/entities/default/component/lexecon-api`;
  const roundTrips: number[] = [];
  const appearances: number[] = [];
  const duringRoundTrip: number[] = [];
  const untilQuiet: number[] = [];
  const roundCalls: Array<{ during: string[]; after: string[] }> = [];
  let busyStarts = 0;
  let lastDecisionAt = 0;
  const deadline = Date.now() + ROUNDS_SECONDS * 1000;

  for (let i = 0; i < ROUNDS && Date.now() < deadline; i++) {
    const created = Date.now();
    const { runId } = sandbox.createWaitingRun();
    // The workflow_run / deployment_review webhooks make the backend refresh the entity.
    let listed = false;
    while (!listed && Date.now() - created < INBOX_TIMEOUT_MS) {
      const inbox = await fetch(`${entity}/approvals`, {
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).then(r => r.json());
      listed = inbox.items?.some(
        (item: { runId: number; viewer: { canDecide: boolean } }) =>
          item.runId === runId && item.viewer.canDecide,
      );
      if (!listed) await sleep(INBOX_POLL_MS);
    }
    if (!listed) throw new Error(`Run ${runId} never appeared in the inbox`);
    appearances.push(Date.now() - created);

    // The rest of the webhook-driven refresh is not this decision's.
    await within(sandbox.webhooksIdle(), REQUEST_TIMEOUT_MS, 'Webhooks');
    if (!(await waitForUpstreamQuiet(sandbox))) busyStarts++;

    await sleep(lastDecisionAt + DECISION_SPACING_MS - Date.now());
    lastDecisionAt = Date.now();
    sandbox.setFaults([
      { source: 'github', kind: 'latency', latencyMs: INJECTED_MS },
    ]);
    const mark = sandbox.lastRequestSeq();
    const t0 = performance.now();
    let response: Response;
    let body: string;
    let answeredSeq: number;
    try {
      response = await fetch(`${entity}/approvals/${runId}/production`, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'x-lexecon-github-token': githubToken,
        },
        body: JSON.stringify({
          decision: 'approved',
          comment: `Benchmark round ${i + 1}`,
        }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      body = await response.text();
    } finally {
      roundTrips.push(performance.now() - t0);
      answeredSeq = sandbox.lastRequestSeq();
      sandbox.clearFaults();
    }
    if (response.status !== 200) {
      throw new Error(
        `Approval of run ${runId} answered ${response.status}: ${body}`,
      );
    }
    const decided = JSON.parse(body) as DecisionResult;
    if (decided.decision !== 'approved' || decided.runId !== runId) {
      throw new Error(`Approval of run ${runId} answered ${body}`);
    }
    await within(sandbox.webhooksIdle(), REQUEST_TIMEOUT_MS, 'Webhooks');
    await waitForUpstreamQuiet(sandbox);
    const calls = sandbox.requestsStarted(mark);
    const during = calls.filter(c => c.seq <= answeredSeq);
    duringRoundTrip.push(during.length);
    untilQuiet.push(calls.length);
    roundCalls.push({
      during: during.map(describe),
      after: calls.filter(c => c.seq > answeredSeq).map(describe),
    });
  }

  const medianRound = [...roundCalls].sort(
    (a, b) => a.during.length - b.during.length,
  )[Math.floor(roundCalls.length / 2)];
  return {
    roundTrip: distribution(roundTrips),
    webhookToInbox: distribution(appearances),
    callsDuringRoundTrip: distribution(duringRoundTrip),
    callsUntilQuiet: distribution(untilQuiet),
    medianRoundCalls: summarise(medianRound?.during ?? []),
    medianRoundCallsAfter: summarise(medianRound?.after ?? []),
    busyStarts,
    injectedMs: INJECTED_MS,
  };
}

function summarise(calls: string[]) {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].map(([call, n]) => `${n} × ${call}`);
}
