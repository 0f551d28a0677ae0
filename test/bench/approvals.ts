/* eslint-disable no-console */
/**
 * Approval round trips against the real backend: for each one the sandbox creates a new release
 * run waiting on production (and sends its signed webhooks), the bench waits for the inbox to list
 * it, then times `POST .../approvals/:runId/production` with 100 ms injected on every GitHub call.
 * Bounded in count and time.
 */
import type { Sandbox } from '@internal/sandbox';

const INJECTED_MS = 100;
const ROUNDS = Number(process.env.BENCH_APPROVALS ?? 15);
const ROUNDS_SECONDS = 120;

export interface ApprovalBenchResult {
  rounds: number;
  roundTripP50: number;
  roundTripP95: number;
  upstreamCallsPerDecision: number;
  webhookToInboxP50: number;
  webhookToInboxMax: number;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
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
  const upstreamCalls: number[] = [];
  const deadline = Date.now() + ROUNDS_SECONDS * 1000;

  for (let i = 0; i < ROUNDS && Date.now() < deadline; i++) {
    const created = Date.now();
    const { runId } = sandbox.createWaitingRun();
    // The workflow_run / deployment_review webhooks make the backend refresh the entity.
    let listed = false;
    for (let poll = 0; poll < 300 && !listed; poll++) {
      const inbox = await fetch(`${entity}/approvals`, { headers }).then(r =>
        r.json(),
      );
      listed = inbox.items?.some(
        (item: { runId: number; viewer: { canDecide: boolean } }) =>
          item.runId === runId && item.viewer.canDecide,
      );
      if (!listed) await new Promise(r => setTimeout(r, 50));
    }
    if (!listed) throw new Error(`Run ${runId} never appeared in the inbox`);
    appearances.push(Date.now() - created);

    sandbox.setFaults([
      { source: 'github', kind: 'latency', latencyMs: INJECTED_MS },
    ]);
    sandbox.clearRequests();
    const t0 = performance.now();
    const response = await fetch(`${entity}/approvals/${runId}/production`, {
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
    });
    const body = await response.text();
    roundTrips.push(performance.now() - t0);
    // The decision's own calls; the refresh it starts afterwards is not part of the round trip.
    upstreamCalls.push(
      sandbox
        .requests()
        .filter(
          r =>
            r.path.includes(`/actions/runs/${runId}/pending_deployments`) ||
            r.path.endsWith('/api/v3/user'),
        ).length,
    );
    sandbox.clearFaults();
    if (response.status !== 200) {
      throw new Error(
        `Approval of run ${runId} answered ${response.status}: ${body}`,
      );
    }
  }

  return {
    rounds: roundTrips.length,
    roundTripP50: median(roundTrips),
    roundTripP95: quantile(roundTrips, 0.95),
    upstreamCallsPerDecision: median(upstreamCalls),
    webhookToInboxP50: median(appearances),
    webhookToInboxMax: Math.max(...appearances),
  };
}

export function printApprovals(r: ApprovalBenchResult) {
  console.log(
    `  approval round trip with ${INJECTED_MS} ms per GitHub call: p50 ${r.roundTripP50.toFixed(
      0,
    )} ms, p95 ${r.roundTripP95.toFixed(0)} ms (${r.rounds} decisions, ${
      r.upstreamCallsPerDecision
    } GitHub calls each)`,
  );
  console.log(
    `  new waiting run → listed in the inbox (webhook-driven refresh): p50 ${r.webhookToInboxP50.toFixed(
      0,
    )} ms, max ${r.webhookToInboxMax.toFixed(0)} ms`,
  );
}
