import {
  READINESS_WEIGHTS,
  ReadinessInput,
  ReadinessScore,
  readinessBand,
} from '@internal/plugin-lexecon-common';

/** What the readiness score is computed from, as read from GitHub for one commit. */
export interface ReadinessFacts {
  /** Completed CI runs on the branch, newest first (at most 10 count). */
  ciRuns?: { total: number; passed: number; workflow: string; url?: string };
  /** Statement coverage in percent, and where it was reported. */
  coverage?: { percent: number; source: string; url?: string };
  /** Open security alerts by severity (code scanning and Dependabot together). */
  security?: {
    critical: number;
    high: number;
    medium: number;
    low: number;
    scanConclusion?: string;
    url?: string;
  };
  /** The lint / code-quality check of the commit. */
  quality?: {
    check: string;
    conclusion: string;
    url?: string;
    /** A score the check reports itself, e.g. "Quality score 92/100". */
    reported?: number;
  };
}

/** Points a security score loses per open alert, by severity. */
export const SECURITY_PENALTIES = { critical: 25, high: 15, medium: 5, low: 1 };

const round1 = (n: number) => Math.round(n * 10) / 10;
const clamp = (n: number) => Math.min(100, Math.max(0, n));

function qualityScore(conclusion: string): number {
  if (conclusion === 'success') return 100;
  if (conclusion === 'neutral' || conclusion === 'skipped') return 50;
  return 0;
}

/**
 * The release readiness score of the CI pipeline architecture: CI pass rate of the last 10 runs
 * (40%), test coverage (30%), security score (20%) and code quality (10%). An input that could
 * not be read counts as 0 and says so: a score is never better than the evidence behind it, and
 * a release with an input missing does not pass the gate whatever its score.
 */
export function computeReadiness(
  facts: ReadinessFacts,
  gate: number,
): ReadinessScore {
  const inputs: ReadinessInput[] = [];
  const { ciRuns, coverage, security, quality } = facts;

  inputs.push(
    ciRuns && ciRuns.total > 0
      ? {
          key: 'ci',
          label: 'CI pass rate',
          weight: READINESS_WEIGHTS.ci,
          score: round1((ciRuns.passed / ciRuns.total) * 100),
          detail: `${ciRuns.passed} of the last ${ciRuns.total} ${ciRuns.workflow} runs passed`,
          url: ciRuns.url,
        }
      : {
          key: 'ci',
          label: 'CI pass rate',
          weight: READINESS_WEIGHTS.ci,
          detail: 'No completed CI runs found',
        },
  );
  inputs.push(
    coverage
      ? {
          key: 'coverage',
          label: 'Test coverage',
          weight: READINESS_WEIGHTS.coverage,
          score: round1(clamp(coverage.percent)),
          detail: `${round1(coverage.percent)}% statement coverage (${
            coverage.source
          })`,
          url: coverage.url,
        }
      : {
          key: 'coverage',
          label: 'Test coverage',
          weight: READINESS_WEIGHTS.coverage,
          detail: 'No coverage reported for this commit',
        },
  );
  if (security) {
    const { critical, high, medium, low } = security;
    const penalty =
      critical * SECURITY_PENALTIES.critical +
      high * SECURITY_PENALTIES.high +
      medium * SECURITY_PENALTIES.medium +
      low * SECURITY_PENALTIES.low;
    const scanFailed =
      security.scanConclusion !== undefined &&
      security.scanConclusion !== 'success';
    const open = critical + high + medium + low;
    let detail = 'No open security alerts';
    if (scanFailed) detail = `Security scan ${security.scanConclusion}`;
    else if (open > 0) {
      detail = `${open} open alert${
        open === 1 ? '' : 's'
      }: ${critical} critical, ${high} high, ${medium} medium, ${low} low`;
    }
    inputs.push({
      key: 'security',
      label: 'Security scan',
      weight: READINESS_WEIGHTS.security,
      score: scanFailed ? 0 : clamp(100 - penalty),
      detail,
      url: security.url,
    });
  } else {
    inputs.push({
      key: 'security',
      label: 'Security scan',
      weight: READINESS_WEIGHTS.security,
      detail: 'No security scan results could be read',
    });
  }
  inputs.push(
    quality
      ? {
          key: 'quality',
          label: 'Code quality',
          weight: READINESS_WEIGHTS.quality,
          score: quality.reported ?? qualityScore(quality.conclusion),
          detail:
            quality.reported !== undefined
              ? `${quality.check}: ${quality.reported}/100 (${quality.conclusion})`
              : `${quality.check}: ${quality.conclusion}`,
          url: quality.url,
        }
      : {
          key: 'quality',
          label: 'Code quality',
          weight: READINESS_WEIGHTS.quality,
          detail: 'No lint or code-quality check on this commit',
        },
  );

  const score = round1(
    inputs.reduce((sum, input) => sum + (input.score ?? 0) * input.weight, 0),
  );
  const missing = inputs.some(input => input.score === undefined);
  const passesGate = score >= gate && !missing;
  return {
    score,
    band: readinessBand(score),
    gate,
    passesGate,
    inputs,
    failing: passesGate
      ? []
      : inputs
          .filter(input => input.score === undefined || input.score < gate)
          .map(input => input.key),
  };
}

/** Reads a score out of 100 such as `Quality score 92/100`. */
export function parseScore(text: string | null | undefined) {
  const match = /(\d{1,3}(?:\.\d+)?)\s*\/\s*100\b/.exec(text ?? '');
  if (!match) return undefined;
  const value = Number(match[1]);
  return value <= 100 ? value : undefined;
}

/** Reads a percentage such as `87.40% (+0.32%)` or `Coverage 87.4% of statements`. */
export function parsePercent(text: string | null | undefined) {
  const match = /(\d{1,3}(?:\.\d+)?)\s*%/.exec(text ?? '');
  if (!match) return undefined;
  const value = Number(match[1]);
  return value >= 0 && value <= 100 ? value : undefined;
}
