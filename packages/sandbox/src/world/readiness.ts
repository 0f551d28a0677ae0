import { DAY, iso, Prng } from '../random';
import { RunRecord, SandboxWorld } from './types';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface CodeScanningAlertRecord {
  number: number;
  ruleId: string;
  ruleName: string;
  description: string;
  severity: 'error' | 'warning' | 'note';
  securitySeverity: Severity;
  tags: string[];
  path: string;
  line: number;
  createdAt: string;
  fixedAt: string | null;
  dismissedAt: string | null;
  dismissedBy: string | null;
  dismissedReason: 'false positive' | "won't fix" | 'used in tests' | null;
  dismissedComment: string | null;
}

export interface DependabotAlertRecord {
  number: number;
  package: string;
  manifest: string;
  ghsa: string;
  cve: string;
  summary: string;
  severity: Severity;
  cvss: number;
  vulnerableRange: string;
  patched: string;
  createdAt: string;
  fixedAt: string | null;
  dismissedAt: string | null;
  dismissedBy: string | null;
  dismissedReason: 'tolerable_risk' | 'not_used' | 'inaccurate' | null;
}

/** Per-commit results the pipeline publishes (coverage report, code-quality analysis). */
export interface CommitQualityRecord {
  /** Statement coverage in percent, two decimals. */
  coverage: number;
  /** Change against the parent commit, percentage points. */
  coverageDelta: number;
  /** Code-quality score 0–100 (lint, type check, maintainability). */
  quality: number;
  codeSmells: number;
}

export interface ReadinessFacts {
  runId: number;
  sha: string;
  /** Percent of the last `ciRuns.total` completed `test.yml` runs up to `sha` that succeeded. */
  ciPassRate: number;
  ciRuns: { workflow: string; passed: number; total: number; runIds: number[] };
  coverage: number;
  /** Open code-scanning + Dependabot alerts by severity at the candidate's time. */
  openSecurityAlerts: Record<Severity, number>;
  /** `100 − 25·critical − 15·high − 5·medium − 1·low`, at least 0. */
  securityScore: number;
  quality: number;
  /** `0.4·ciPassRate + 0.3·coverage + 0.2·securityScore + 0.1·quality`, one decimal. */
  score: number;
}

export const CI_WORKFLOW = 'test.yml';

const SEVERITY_PENALTY: Record<Severity, number> = {
  critical: 25,
  high: 15,
  medium: 5,
  low: 1,
};

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Seeds coverage/quality per commit and the security alerts, relative to `now`. */
export function seedReadiness(
  world: SandboxWorld,
  fixed: { waitingSha: string; poorSha: string },
): void {
  seedCommitQuality(world, fixed);
  const nowMs = Date.parse(world.now);
  const at = (days: number) => iso(nowMs - days * DAY);
  world.codeScanningAlerts = codeScanningAlerts(at);
  world.dependabotAlerts = dependabotAlerts(at);
}

/**
 * Coverage drifting between 80% and 91% and a quality score per commit; the waiting release's
 * commit scores good and the candidate that later failed scores poor.
 */
export function seedCommitQuality(
  world: SandboxWorld,
  fixed: { waitingSha?: string; poorSha?: string } = {},
): void {
  const rng = new Prng(`readiness:${world.owner}/${world.repo}`);
  let coverage = 84.6;
  world.commitQuality = {};
  for (const c of world.commits) {
    let next = round(
      Math.min(91, Math.max(80, coverage + (rng.next() - 0.45) * 0.9)),
      2,
    );
    let quality = rng.int(84, 96);
    if (c.sha === fixed.waitingSha) {
      next = 87.42;
      coverage = 87.1;
      quality = 92;
    }
    if (c.sha === fixed.poorSha) {
      next = 74.1;
      quality = 68;
    }
    world.commitQuality[c.sha] = {
      coverage: next,
      coverageDelta: round(next - coverage, 2),
      quality,
      codeSmells: Math.max(0, Math.round((100 - quality) / 2) + rng.int(0, 3)),
    };
    // a poor commit does not drag the whole series down
    coverage = c.sha === fixed.poorSha ? coverage : next;
  }
}

/** Code-scanning alerts of the last three months: none open now. */
function codeScanningAlerts(
  at: (daysAgo: number) => string,
): CodeScanningAlertRecord[] {
  const scan = (
    a: Omit<
      CodeScanningAlertRecord,
      'dismissedAt' | 'dismissedBy' | 'dismissedReason' | 'dismissedComment'
    > &
      Partial<CodeScanningAlertRecord>,
  ): CodeScanningAlertRecord => ({
    dismissedAt: null,
    dismissedBy: null,
    dismissedReason: null,
    dismissedComment: null,
    ...a,
  });
  return [
    scan({
      number: 1,
      ruleId: 'py/stack-trace-exposure',
      ruleName: 'Information exposure through an exception',
      description: 'Information exposure through an exception',
      severity: 'error',
      securitySeverity: 'medium',
      tags: ['security', 'external/cwe/cwe-209'],
      path: 'src/lexecon/api/errors.py',
      line: 48,
      createdAt: at(72),
      fixedAt: at(56),
    }),
    scan({
      number: 2,
      ruleId: 'py/clear-text-logging-sensitive-data',
      ruleName: 'Clear-text logging of sensitive information',
      description: 'Clear-text logging of sensitive information',
      severity: 'error',
      securitySeverity: 'high',
      tags: ['security', 'external/cwe/cwe-312'],
      path: 'src/lexecon/auth/service.py',
      line: 131,
      createdAt: at(61),
      fixedAt: null,
      dismissedAt: at(52),
      dismissedBy: 'dev-patel',
      dismissedReason: 'false positive',
      dismissedComment: 'Logs the key id, not the key material.',
    }),
    scan({
      number: 3,
      ruleId: 'py/sql-injection',
      ruleName: 'SQL query built from user-controlled sources',
      description: 'SQL query built from user-controlled sources',
      severity: 'error',
      securitySeverity: 'high',
      tags: ['security', 'external/cwe/cwe-089'],
      path: 'src/lexecon/audit/ledger.py',
      line: 212,
      createdAt: at(41),
      fixedAt: at(31),
    }),
    scan({
      number: 4,
      ruleId: 'py/weak-sensitive-data-hashing',
      ruleName: 'Use of a broken or weak cryptographic hashing algorithm',
      description: 'Use of a broken or weak cryptographic hashing algorithm',
      severity: 'warning',
      securitySeverity: 'medium',
      tags: ['security', 'external/cwe/cwe-327'],
      path: 'src/lexecon/gdpr/export.py',
      line: 77,
      createdAt: at(19),
      fixedAt: at(9),
    }),
  ];
}

/** Dependabot alerts of the last three months: none open now. */
function dependabotAlerts(
  at: (daysAgo: number) => string,
): DependabotAlertRecord[] {
  const dep = (
    a: Omit<
      DependabotAlertRecord,
      'dismissedAt' | 'dismissedBy' | 'dismissedReason'
    > &
      Partial<DependabotAlertRecord>,
  ): DependabotAlertRecord => ({
    dismissedAt: null,
    dismissedBy: null,
    dismissedReason: null,
    ...a,
  });
  return [
    dep({
      number: 1,
      package: 'cryptography',
      manifest: 'requirements.txt',
      ghsa: 'GHSA-h4gh-qq45-vh27',
      cve: 'CVE-2024-12797',
      summary: 'pyca/cryptography has a vulnerable OpenSSL included in wheels',
      severity: 'high',
      cvss: 7.5,
      vulnerableRange: '>= 42.0.0, < 44.0.1',
      patched: '44.0.1',
      createdAt: at(83),
      fixedAt: at(66),
    }),
    dep({
      number: 2,
      package: 'jinja2',
      manifest: 'requirements.txt',
      ghsa: 'GHSA-q2x7-8rv6-6q7h',
      cve: 'CVE-2024-56326',
      summary:
        'Jinja has a sandbox breakout through indirect reference to format method',
      severity: 'critical',
      cvss: 9.1,
      vulnerableRange: '< 3.1.5',
      patched: '3.1.5',
      createdAt: at(39),
      fixedAt: at(28),
    }),
    dep({
      number: 3,
      package: 'urllib3',
      manifest: 'requirements.txt',
      ghsa: 'GHSA-34jh-p97f-mpxf',
      cve: 'CVE-2024-37891',
      summary:
        'urllib3 Proxy-Authorization request header not stripped during cross-origin redirects',
      severity: 'medium',
      cvss: 4.4,
      vulnerableRange: '< 2.2.2',
      patched: '2.2.2',
      createdAt: at(26),
      fixedAt: null,
      dismissedAt: at(23),
      dismissedBy: 'sam-okafor',
      dismissedReason: 'not_used',
    }),
    dep({
      number: 4,
      package: 'requests',
      manifest: 'requirements.txt',
      ghsa: 'GHSA-9hjg-9r4m-mvj7',
      cve: 'CVE-2024-47081',
      summary:
        'Requests vulnerable to .netrc credentials leak via malicious URLs',
      severity: 'low',
      cvss: 3.1,
      vulnerableRange: '< 2.32.4',
      patched: '2.32.4',
      createdAt: at(12),
      fixedAt: at(5),
    }),
  ];
}

/** Alerts open at a moment (created before, not yet fixed or dismissed). */
export function openAlertsAt(
  world: SandboxWorld,
  atMs: number,
): Record<Severity, number> {
  const counts: Record<Severity, number> = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
  };
  const openAt = (a: {
    createdAt: string;
    fixedAt: string | null;
    dismissedAt: string | null;
  }) => {
    const closed = a.fixedAt ?? a.dismissedAt;
    return (
      Date.parse(a.createdAt) <= atMs &&
      (closed === null || Date.parse(closed) > atMs)
    );
  };
  for (const a of world.codeScanningAlerts) {
    if (openAt(a)) counts[a.securitySeverity] += 1;
  }
  for (const a of world.dependabotAlerts) {
    if (openAt(a)) counts[a.severity] += 1;
  }
  return counts;
}

/** The readiness inputs of a release run as the sandbox seeded them. */
export function readinessFacts(
  world: SandboxWorld,
  run: RunRecord,
): ReadinessFacts {
  const ciHistory = world.runs.filter(
    r => r.workflowFile === CI_WORKFLOW && r.status === 'completed',
  );
  const headRun = ciHistory.findIndex(r => r.headSha === run.headSha);
  const ciRuns = ciHistory.slice(Math.max(0, headRun - 9), headRun + 1);
  const passed = ciRuns.filter(r => r.conclusion === 'success').length;
  const ciPassRate = round((passed / ciRuns.length) * 100, 1);
  const quality = world.commitQuality[run.headSha];
  const openSecurityAlerts = openAlertsAt(world, Date.parse(run.createdAt));
  const securityScore = Math.max(
    0,
    100 -
      (Object.keys(openSecurityAlerts) as Severity[]).reduce(
        (sum, s) => sum + SEVERITY_PENALTY[s] * openSecurityAlerts[s],
        0,
      ),
  );
  const coverage = round(quality.coverage, 1);
  return {
    runId: run.id,
    sha: run.headSha,
    ciPassRate,
    ciRuns: {
      workflow: CI_WORKFLOW,
      passed,
      total: ciRuns.length,
      runIds: ciRuns.map(r => r.id),
    },
    coverage,
    openSecurityAlerts,
    securityScore,
    quality: quality.quality,
    score: round(
      0.4 * ciPassRate +
        0.3 * coverage +
        0.2 * securityScore +
        0.1 * quality.quality,
      1,
    ),
  };
}
