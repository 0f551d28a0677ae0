/* eslint-disable no-console */
/** The closing table: each figure next to the previous bench's (quiet machine) figure. */
import type { ApprovalBenchResult } from './approvals';
import type { ColdResult } from './cold';
import type { EvidencePackageFigure } from './evidence';
import type { Distribution, LoopResult } from './measure';

export interface WarmFigure {
  loop: LoopResult;
  /** Scheduled refresh runs that finished during the loop. */
  scheduledRuns: number;
  /** Refreshes the bench itself set off during the loop (the "during" run). */
  triggered?: { unchanged: number; changed: number; refused: number };
}

export interface BenchFigures {
  loadBefore: string;
  loadAfter: string;
  cadence: string;
  coldOverview: ColdResult;
  coldReliability: ColdResult;
  injectedMs: number;
  warmOverviewNoRefresh: WarmFigure;
  warmOverview: WarmFigure;
  catalog: WarmFigure;
  warmReliability: WarmFigure;
  warmOnCall: WarmFigure;
  warmCostAnalysis: WarmFigure;
  warmCostPortfolio: WarmFigure;
  warmDelivery: WarmFigure;
  warmDeliveryPortfolio: WarmFigure;
  evidencePackage: EvidencePackageFigure;
  duringRefreshes: WarmFigure;
  approvals: ApprovalBenchResult;
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const s = (v: number) => `${(v / 1000).toFixed(2)} s`;
const dist = (d: Distribution, unit = ms) =>
  `p50 ${unit(d.p50)}, p95 ${unit(d.p95)}, max ${unit(d.max)} (n=${d.n})`;

function warm(f: WarmFigure) {
  const { loop } = f;
  const upstream = Object.entries(loop.upstream)
    .map(([source, n]) => `${source} ${n}`)
    .join(', ');
  return [
    `${dist(loop.latency)}, ${loop.rps.toFixed(0)} req/s, ${
      loop.errors
    } errors, c=${loop.concurrency}, ${loop.seconds.toFixed(0)} s`,
    `refreshes landed: ${f.scheduledRuns} scheduled${
      f.triggered
        ? ` + ${f.triggered.unchanged} manual refreshes accepted (unchanged data; ${f.triggered.refused} refused by the per-person limit) and ${f.triggered.changed} new runs (webhooks) triggered`
        : ''
    }; the view showed ${loop.refreshesSeen} new "data as of" and ${
      loop.dataChangesSeen
    } data changes`,
    `upstream requests during the loop, refreshes included: ${
      loop.upstreamTotal
    }${upstream ? ` (${upstream})` : ''}`,
    ...loop.errorSamples.map(e => `error: ${e}`),
  ];
}

function cold(c: ColdResult) {
  const mismatches = c.samples.reduce(
    (n, x) => n + x.replayStatusMismatches,
    0,
  );
  const inFlight = c.samples.reduce((n, x) => n + x.inFlightAtEnd, 0);
  return [
    `median ${s(c.medianMs)} for ${c.medianCalls} calls over ${
      c.samples.length
    } entities; serial sum measured: median ${s(
      c.medianSerialMs,
    )} (×${c.medianSpeedup.toFixed(1)} faster in parallel)`,
    ...c.samples.map(
      x =>
        `${x.entity}: ${s(x.ms)}, ${x.calls} calls (${Object.entries(x.bySource)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}), serial ${s(x.serialMs)}`,
    ),
    `in flight when the view answered: ${inFlight}; replayed answers that differed: ${mismatches}`,
  ];
}

export function printReport(f: BenchFigures) {
  const a = f.approvals;
  const rows: Array<[string, string, string[]]> = [
    [
      'warm overview, no refresh (as before)',
      'p50 78 ms',
      warm(f.warmOverviewNoRefresh),
    ],
    [
      'warm overview, scheduled refresh on',
      '(not measured)',
      warm(f.warmOverview),
    ],
    ['catalog by-name (reference)', 'p50 24 ms', warm(f.catalog)],
    [
      'warm flags/SLA/health',
      'p50 92 ms, p95 141 ms, 103 req/s',
      warm(f.warmReliability),
    ],
    [
      'warm on-call board',
      'p50 86 ms, p95 154 ms, 106 req/s',
      warm(f.warmOnCall),
    ],
    [
      'warm Cost card analysis (cost providers called: none expected)',
      '(new)',
      warm(f.warmCostAnalysis),
    ],
    ['warm cost portfolio page', '(new)', warm(f.warmCostPortfolio)],
    [
      'warm Delivery card, 90 days (upstream calls: none expected)',
      '(new)',
      warm(f.warmDelivery),
    ],
    [
      'warm delivery portfolio, 90 days',
      '(new)',
      warm(f.warmDeliveryPortfolio),
    ],
    [
      'evidence package, portfolio, 90 days',
      '(new)',
      [
        `${(f.evidencePackage.bytes / 1024).toFixed(0)} KB for ${
          f.evidencePackage.deploys
        } production deploys of ${
          f.evidencePackage.services
        } services; written in ${dist(f.evidencePackage.latency)}`,
      ],
    ],
    [
      'warm overview, refreshes triggered during the loop',
      '(not measured)',
      warm(f.duringRefreshes),
    ],
    [
      `cold overview (${f.injectedMs} ms per call)`,
      '5.0 s for 171 calls (1 entity); serial "≥ 5.0 s" computed',
      cold(f.coldOverview),
    ],
    [
      `cold flags/SLA/health (${f.injectedMs} ms per call)`,
      '0.85 s for 25 calls (1 entity)',
      cold(f.coldReliability),
    ],
    [
      `approval round trip (${a.injectedMs} ms per GitHub call)`,
      'p50 405-412 ms, p95 537 ms (n=15, p95 = max)',
      [dist(a.roundTrip)],
    ],
    [
      'upstream calls per decision (all sources)',
      '3 GitHub calls (3 paths counted)',
      [
        `during the round trip: ${dist(a.callsDuringRoundTrip, String)}`,
        `until upstream quiet (with the refreshes it set off): ${dist(
          a.callsUntilQuiet,
          String,
        )}`,
        `median round, during: ${a.medianRoundCalls.join('; ')}`,
        `median round, after the answer: ${
          a.medianRoundCallsAfter.join('; ') || 'none'
        }`,
        `rounds started while upstream was still busy: ${a.busyStarts}`,
      ],
    ],
    [
      'new waiting run → listed in the inbox',
      'p50 598 ms, max 717 ms',
      [dist(a.webhookToInbox)],
    ],
  ];
  console.log('');
  console.log(
    `Lexecon bench: load average ${f.loadBefore} at the start, ${f.loadAfter} at the end; scheduled refresh cadence ${f.cadence} (app-config.bench.yaml)`,
  );
  const width = Math.max(...rows.map(r => r[0].length));
  const oldWidth = Math.max(...rows.map(r => r[1].length));
  console.log(
    `${'figure'.padEnd(width)} | ${'old (last session, quiet)'.padEnd(
      oldWidth,
    )} | new`,
  );
  console.log(
    `${'-'.repeat(width)}-+-${'-'.repeat(oldWidth)}-+-${'-'.repeat(60)}`,
  );
  for (const [name, old, lines] of rows) {
    lines.forEach((line, i) =>
      console.log(
        `${(i ? '' : name).padEnd(width)} | ${(i ? '' : old).padEnd(
          oldWidth,
        )} | ${line}`,
      ),
    );
  }
}
