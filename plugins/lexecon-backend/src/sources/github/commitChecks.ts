import { CheckSummary, CiResult } from '@internal/plugin-lexecon-common';
import {
  parsePercent,
  parseScore,
  ReadinessFacts,
} from '../../approvals/readiness';
import type { GithubRepositoryReader } from './GithubRepositoryReader';

const FAILED_CONCLUSIONS = new Set([
  'failure',
  'error',
  'timed_out',
  'cancelled',
  'action_required',
]);

/** The checks of a commit, their verdict, and the coverage one of them reports. */
export type CommitChecks = CiResult & {
  coverage?: ReadinessFacts['coverage'];
};

/**
 * The check runs and statuses of a commit (two requests), with the statement coverage a
 * `coverage` status or a check's output reports: the same reading for a release waiting on its
 * gate and for a deploy that already shipped.
 */
export async function readCommitChecks(
  reader: GithubRepositoryReader,
  sha: string,
): Promise<CommitChecks> {
  const [checkRuns, statuses] = await Promise.all([
    reader.checkRuns(sha),
    reader.commitStatuses(sha),
  ]);
  const checks: CheckSummary[] = checkRuns.map(c => ({
    name: c.name,
    conclusion: c.conclusion ?? 'pending',
    url: c.html_url ?? undefined,
    summary: c.output?.title ?? undefined,
  }));
  for (const status of statuses) {
    checks.push({
      name: status.context,
      conclusion: status.state === 'pending' ? 'pending' : status.state,
      url: status.target_url ?? undefined,
      summary: status.description ?? undefined,
    });
  }
  let coverage: ReadinessFacts['coverage'];
  const coverageStatus = statuses.find(s => /coverage/i.test(s.context));
  const fromStatus = parsePercent(coverageStatus?.description);
  if (coverageStatus && fromStatus !== undefined) {
    coverage = {
      percent: fromStatus,
      source: `${coverageStatus.context} status`,
      url: coverageStatus.target_url ?? undefined,
    };
  } else {
    for (const c of checkRuns) {
      const text = `${c.output?.title ?? ''} ${c.output?.summary ?? ''}`;
      const percent = /coverage/i.test(text) ? parsePercent(text) : undefined;
      if (percent !== undefined) {
        coverage = {
          percent,
          source: `${c.name} check`,
          url: c.html_url ?? undefined,
        };
        break;
      }
    }
  }
  const conclusions = checks.map(c => c.conclusion);
  let conclusion: CiResult['conclusion'] = 'success';
  if (!checks.length) conclusion = 'unknown';
  else if (conclusions.some(c => FAILED_CONCLUSIONS.has(c))) {
    conclusion = 'failure';
  } else if (conclusions.includes('pending')) conclusion = 'pending';
  return { conclusion, checks, coverage };
}

/** A security alert as counted: its severity, and when it was open. */
export interface AlertLife {
  severity: string | null | undefined;
  createdAt?: string;
  /** When it was fixed or dismissed; absent while open. */
  closedAt?: string | null;
}

/**
 * Alerts by severity (Dependabot's `moderate` is medium; an unknown severity counts as low).
 * With `at`, only the alerts open then: created before it and not yet fixed or dismissed.
 */
export function countAlerts(
  alerts: AlertLife[],
  at?: string,
): { critical: number; high: number; medium: number; low: number } {
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  const atMs = at === undefined ? undefined : Date.parse(at);
  for (const alert of alerts) {
    if (atMs !== undefined) {
      if (!alert.createdAt || Date.parse(alert.createdAt) > atMs) continue;
      if (alert.closedAt && Date.parse(alert.closedAt) <= atMs) continue;
    }
    const key = (alert.severity ?? 'low').toLowerCase();
    if (key in counts) counts[key as keyof typeof counts]++;
    else if (key === 'moderate') counts.medium++;
    else counts.low++;
  }
  return counts;
}

/** Which checks are the code-quality input (in order of preference) and the security scan. */
export interface CheckPatterns {
  qualityChecks: RegExp[];
  securityCheck: RegExp;
}

/** The check names the portal reads readiness inputs from, by convention. */
export const CHECK_PATTERNS: CheckPatterns = {
  qualityChecks: [/quality/i, /lint/i],
  securityCheck: /security|codeql|scan/i,
};

/** The readiness inputs with what the commit's checks say: coverage, quality, the scan's verdict. */
export function withCheckReadings(
  facts: ReadinessFacts,
  ci: CommitChecks | undefined,
  patterns: CheckPatterns,
): ReadinessFacts {
  const checks = ci?.checks ?? [];
  const readings: ReadinessFacts = {
    ...facts,
    ...(facts.security ? { security: { ...facts.security } } : {}),
  };
  if (ci?.coverage) readings.coverage = ci.coverage;
  const quality = patterns.qualityChecks
    .map(pattern => checks.find(c => pattern.test(c.name)))
    .find(Boolean);
  if (quality) {
    readings.quality = {
      check: quality.name,
      conclusion: quality.conclusion,
      url: quality.url,
      reported: parseScore(quality.summary),
    };
  }
  const scan = checks.find(c => patterns.securityCheck.test(c.name));
  if (readings.security && scan) {
    readings.security.scanConclusion = scan.conclusion;
    readings.security.url ??= scan.url;
  }
  return readings;
}
