/** Conventional-commit titles and bodies for the Lexecon AI governance API. */
export interface CommitIdea {
  title: string;
  body: string;
  branch: string;
}

export const COMMIT_IDEAS: CommitIdea[] = [
  {
    title:
      'feat(policy): add priority ordering to policy engine rule evaluation',
    body: 'Rules with equal specificity are now ordered by explicit priority, then by creation time.',
    branch: 'feat/policy-priority',
  },
  {
    title: 'fix(decision): return 422 instead of 500 for unknown policy ids',
    body: 'The decision API raised PolicyNotFound as an internal error; map it to a validation error.',
    branch: 'fix/unknown-policy-422',
  },
  {
    title: 'feat(audit): hash-chain audit log entries for tamper evidence',
    body: 'Each ledger entry stores the SHA-256 of the previous entry; verification runs nightly.',
    branch: 'feat/audit-hash-chain',
  },
  {
    title: 'perf(rate-limiter): switch token bucket to sliding window counters',
    body: 'Cuts Redis round-trips per request from 3 to 1 under burst traffic.',
    branch: 'perf/sliding-window',
  },
  {
    title: 'feat(auth): async auth service behind enable_async_auth flag',
    body: 'New async/await implementation of credential checks; the sync path stays the default.',
    branch: 'feat/async-auth',
  },
  {
    title: 'feat(observability): export traces over OTLP to Datadog',
    body: 'Guarded by enable_observability_export; sampling is configurable per environment.',
    branch: 'feat/otlp-export',
  },
  {
    title: 'feat(validation): strict request schema validation for decisions',
    body: 'Extended input validation behind enable_strict_validation; rejects unknown fields.',
    branch: 'feat/strict-validation',
  },
  {
    title: 'feat(gdpr): subject data export endpoint (Art. 15)',
    body: 'GET /v1/subjects/{id}/export streams decisions and audit records as JSON lines.',
    branch: 'feat/gdpr-export',
  },
  {
    title: 'fix(audit): include actor id in escalation ledger records',
    body: 'Escalated decisions were written without the reviewing actor.',
    branch: 'fix/escalation-actor',
  },
  {
    title: 'chore(deps): bump fastapi from 0.115.4 to 0.115.6',
    body: 'Bumps fastapi. Release notes: bug fixes only.',
    branch: 'dependabot/pip/fastapi-0.115.6',
  },
  {
    title:
      'test(policy): property tests for deny-overrides combining algorithm',
    body: 'Hypothesis-based tests covering permit/deny/escalate combinations.',
    branch: 'test/deny-overrides',
  },
  {
    title: 'fix(rate-limiter): reset window on clock skew between replicas',
    body: 'Replicas with skewed clocks could double-count a window.',
    branch: 'fix/ratelimit-skew',
  },
  {
    title: 'feat(decision): expose decision latency histogram',
    body: 'Adds decision_latency_seconds with endpoint and outcome labels.',
    branch: 'feat/decision-latency-metric',
  },
  {
    title: 'refactor(policy): split policy loader from evaluator',
    body: 'The loader now caches compiled policies and reloads them on version change.',
    branch: 'refactor/policy-loader',
  },
  {
    title: 'feat(health): detailed /health with component latencies',
    body: 'Reports database, ledger, auth_service and rate_limiter status.',
    branch: 'feat/health-components',
  },
  {
    title: 'fix(auth): constant-time comparison for API key hashes',
    body: 'Use hmac.compare_digest to avoid timing side channels.',
    branch: 'fix/constant-time-keys',
  },
  {
    title: 'docs: runbook for high decision error rate',
    body: 'Adds triage steps for validation, database, auth and policy errors.',
    branch: 'docs/error-rate-runbook',
  },
  {
    title: 'feat(audit): export audit log to S3 with object lock',
    body: 'Daily export of ledger segments to a WORM bucket for SOC 2 evidence.',
    branch: 'feat/audit-s3-export',
  },
  {
    title: 'fix(gdpr): redact subject email from trace attributes',
    body: 'No personally identifiable information in traces.',
    branch: 'fix/trace-pii',
  },
  {
    title: 'ci: run unit tests on Python 3.11, 3.12 and 3.13',
    body: 'Matrix build for the supported interpreters.',
    branch: 'ci/python-matrix',
  },
  {
    title: 'feat(policy): versioned policies with effective dates',
    body: 'Policies can be scheduled; the evaluator picks the version effective at decision time.',
    branch: 'feat/policy-versions',
  },
  {
    title: 'fix(decision): handle empty context objects in escalation path',
    body: 'An empty context dict caused a KeyError in the escalation router.',
    branch: 'fix/empty-context',
  },
  {
    title: 'perf(audit): batch ledger writes in 50 ms windows',
    body: 'Reduces write amplification on the ledger table by ~8x.',
    branch: 'perf/ledger-batching',
  },
  {
    title: 'feat(api): cursor pagination for GET /v1/decisions',
    body: 'Replaces offset pagination; cursors are opaque and signed.',
    branch: 'feat/decision-cursors',
  },
  {
    title: 'chore(deps): bump pydantic from 2.9.2 to 2.10.1',
    body: 'Bumps pydantic.',
    branch: 'dependabot/pip/pydantic-2.10.1',
  },
  {
    title: 'fix(rate-limiter): exempt health checks from tenant quotas',
    body: 'Kubernetes probes were consuming tenant quota.',
    branch: 'fix/probe-quota',
  },
  {
    title: 'feat(auth): MFA enforcement for admin API keys',
    body: 'Admin scopes require a TOTP-backed session.',
    branch: 'feat/admin-mfa',
  },
  {
    title:
      'feat(observability): decision outcome counters (permit/deny/escalate)',
    body: 'Adds decisions_total{outcome}.',
    branch: 'feat/outcome-counters',
  },
  {
    title: 'fix(validation): accept RFC 3339 timestamps with offsets',
    body: 'Strict validation rejected +02:00 offsets.',
    branch: 'fix/rfc3339-offsets',
  },
  {
    title: 'refactor(decision): move explanation builder into its own module',
    body: 'No behaviour change.',
    branch: 'refactor/explanations',
  },
  {
    title: 'feat(gdpr): erasure requests with audit tombstones',
    body: 'Art. 17 erasure replaces subject data with tombstones while keeping the hash chain valid.',
    branch: 'feat/gdpr-erasure',
  },
  {
    title: 'fix(policy): cache invalidation when a policy is archived',
    body: 'Archived policies stayed active for up to 10 minutes.',
    branch: 'fix/archived-policy-cache',
  },
  {
    title: 'chore: tighten mypy settings for lexecon.policy',
    body: 'disallow_untyped_defs for the policy package.',
    branch: 'chore/mypy-policy',
  },
  {
    title: 'feat(decision): dry-run mode for policy changes',
    body: 'POST /v1/decisions?dry_run=true evaluates against a draft policy set.',
    branch: 'feat/dry-run',
  },
  {
    title: 'fix(auth): refresh JWKS cache on unknown kid',
    body: 'Key rotation caused 401s until the cache expired.',
    branch: 'fix/jwks-refresh',
  },
  {
    title: 'feat(rate-limiter): per-tenant burst configuration',
    body: 'Tenants can be configured with burst multipliers.',
    branch: 'feat/tenant-burst',
  },
  {
    title: 'test(audit): verify hash chain after concurrent writes',
    body: 'Regression test for interleaved ledger writers.',
    branch: 'test/concurrent-ledger',
  },
  {
    title:
      'fix(observability): drop high-cardinality tenant label from histograms',
    body: 'Cardinality limit of 10000 series was exceeded.',
    branch: 'fix/cardinality',
  },
  {
    title: 'feat(api): structured error responses with error codes',
    body: 'All 4xx responses now carry a stable error.code.',
    branch: 'feat/error-codes',
  },
  {
    title: 'chore(deps): bump uvicorn from 0.32.0 to 0.32.1',
    body: 'Bumps uvicorn.',
    branch: 'dependabot/pip/uvicorn-0.32.1',
  },
  {
    title: 'fix(decision): timeout policy evaluation after 250 ms',
    body: 'Long-running custom predicates now escalate instead of blocking.',
    branch: 'fix/eval-timeout',
  },
  {
    title: 'feat(audit): signed daily ledger checkpoints',
    body: 'Checkpoints are signed with the KMS audit key.',
    branch: 'feat/ledger-checkpoints',
  },
  {
    title: 'docs(api): document decision explanation format',
    body: 'Adds examples for permit, deny and escalate.',
    branch: 'docs/explanations',
  },
  {
    title: 'fix(gdpr): include escalation notes in subject export',
    body: 'Reviewer notes attached to escalations were missing from exports.',
    branch: 'fix/export-notes',
  },
  {
    title: 'perf(policy): precompile regex predicates at load time',
    body: 'p95 decision latency down from 38 ms to 21 ms in the benchmark.',
    branch: 'perf/precompiled-regex',
  },
  {
    title: 'feat(auth): service accounts with scoped API keys',
    body: 'Keys can be limited to decisions:write or audit:read.',
    branch: 'feat/service-accounts',
  },
  {
    title: 'fix(rate-limiter): return Retry-After on 429',
    body: 'Clients had no hint when to retry.',
    branch: 'fix/retry-after',
  },
  {
    title: 'chore(helm): raise readiness probe initial delay to 10s',
    body: 'Cold starts with policy compilation take ~7 s.',
    branch: 'chore/readiness-delay',
  },
  {
    title: 'feat(observability): SLO burn-rate alerts for decision API',
    body: 'Multi-window burn-rate alerts at 2% and 5% budget consumption.',
    branch: 'feat/burn-rate-alerts',
  },
  {
    title: 'fix(validation): limit policy document size to 256 KiB',
    body: 'Very large documents could exhaust worker memory.',
    branch: 'fix/policy-size-limit',
  },
  {
    title: 'refactor(auth): remove legacy sync session store',
    body: 'The async store has been default for two releases.',
    branch: 'refactor/remove-sync-sessions',
  },
  {
    title: 'feat(decision): human-in-the-loop escalation queue API',
    body: 'GET/POST /v1/escalations for reviewers.',
    branch: 'feat/escalation-queue',
  },
  {
    title: 'fix(audit): make ledger export idempotent on retries',
    body: 'Retried exports produced duplicate objects.',
    branch: 'fix/idempotent-export',
  },
  {
    title: 'chore(deps): bump sqlalchemy from 2.0.35 to 2.0.36',
    body: 'Bumps sqlalchemy.',
    branch: 'dependabot/pip/sqlalchemy-2.0.36',
  },
  {
    title: 'feat(policy): EU AI Act risk category tagging for policies',
    body: 'Policies can declare unacceptable/high/limited/minimal risk categories.',
    branch: 'feat/ai-act-risk',
  },
  {
    title: 'fix(health): report ledger as degraded when lag exceeds 30s',
    body: 'Lag was only visible in metrics.',
    branch: 'fix/ledger-lag-health',
  },
];
