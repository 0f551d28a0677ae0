import {
  AlertSeverity,
  BranchProtectionFacts,
  PATCH_SLA_HOURS,
  SecurityAlertFact,
} from '@internal/plugin-lexecon-common';
import type { RestEndpointMethodTypes } from '@octokit/rest';

type Methods = RestEndpointMethodTypes;
type DependabotAlert =
  Methods['dependabot']['listAlertsForRepo']['response']['data'][number];
type CodeScanningAlert =
  Methods['codeScanning']['listAlertsForRepo']['response']['data'][number];
type BranchProtection =
  Methods['repos']['getBranchProtection']['response']['data'];
type BranchRule =
  Methods['repos']['getBranchRules']['response']['data'][number];

const HOUR_MS = 3_600_000;

function severityOf(value: string | null | undefined): AlertSeverity {
  const v = (value ?? '').toLowerCase();
  if (v === 'critical' || v === 'high' || v === 'medium' || v === 'low') {
    return v;
  }
  if (v === 'moderate') return 'medium';
  // No security severity: a code-quality finding, outside the patch SLA.
  return 'low';
}

/**
 * An open alert against the patch SLA at `now`: it must be fixed in less than its severity's
 * hours, so one open for exactly that long has breached it.
 */
export function alertAgainstSla(
  alert: Pick<
    SecurityAlertFact,
    'tool' | 'number' | 'severity' | 'createdAt' | 'summary' | 'url'
  >,
  now: Date,
): SecurityAlertFact {
  const createdMs = Date.parse(alert.createdAt);
  const ageMs = now.getTime() - createdMs;
  const slaHours =
    alert.severity === 'low' ? null : PATCH_SLA_HOURS[alert.severity];
  return {
    ...alert,
    ageHours: Math.floor(ageMs / HOUR_MS),
    slaHours,
    dueAt:
      slaHours === null
        ? null
        : new Date(createdMs + slaHours * HOUR_MS).toISOString(),
    breached: slaHours !== null && ageMs >= slaHours * HOUR_MS,
  };
}

export function dependabotAlertFact(
  a: DependabotAlert,
  now: Date,
): SecurityAlertFact {
  return alertAgainstSla(
    {
      tool: 'dependabot',
      number: a.number,
      severity: severityOf(a.security_advisory.severity),
      createdAt: a.created_at,
      summary: a.security_advisory.summary,
      url: a.html_url,
    },
    now,
  );
}

export function codeScanningAlertFact(
  a: CodeScanningAlert,
  now: Date,
): SecurityAlertFact {
  return alertAgainstSla(
    {
      tool: 'code-scanning',
      number: a.number,
      severity: severityOf(a.rule.security_severity_level),
      createdAt: a.created_at,
      summary: a.rule.description ?? a.rule.name ?? a.rule.id ?? 'alert',
      url: a.html_url,
    },
    now,
  );
}

/** Classic protection (null when the branch has none) and the rulesets' rules, combined. */
export function branchProtectionFacts(
  branch: string,
  classic: BranchProtection | null,
  rules: BranchRule[],
  url: string,
): BranchProtectionFacts {
  const reviews = classic?.required_pull_request_reviews;
  const pullRequestRules = rules.filter(r => r.type === 'pull_request');
  const ruleApprovals = pullRequestRules.map(r =>
    Number(
      (r as { parameters?: { required_approving_review_count?: number } })
        .parameters?.required_approving_review_count ?? 0,
    ),
  );
  return {
    branch,
    classic: classic
      ? {
          requiredApprovingReviews:
            reviews?.required_approving_review_count ?? 0,
          dismissStaleReviews: Boolean(reviews?.dismiss_stale_reviews),
          requireCodeOwnerReviews: Boolean(reviews?.require_code_owner_reviews),
          requireLastPushApproval: Boolean(reviews?.require_last_push_approval),
          enforceAdmins: Boolean(classic.enforce_admins?.enabled),
          requiredStatusChecks: classic.required_status_checks?.contexts ?? [],
        }
      : null,
    rules: rules.map(r => ({
      type: r.type,
      rulesetId: r.ruleset_id ?? 0,
      source: r.ruleset_source ?? '',
    })),
    requiredApprovingReviews: Math.max(
      reviews?.required_approving_review_count ?? 0,
      ...ruleApprovals,
    ),
    reviewRequired: Boolean(reviews) || pullRequestRules.length > 0,
    url,
  };
}
