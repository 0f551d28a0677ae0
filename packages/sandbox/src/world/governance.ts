import { DAY, HOUR, iso, sha1Hex } from '../random';
import type {
  CodeScanningAlertRecord,
  DependabotAlertRecord,
} from './readiness';
import { CommitRecord, SandboxWorld } from './types';

/**
 * A repository's settings and documents that SOC 2 / GDPR evidence is read from (branch
 * protection, rulesets, who administers it, its policy documents). Kept beside the world rather
 * than in it: they are derived from the repository's name and seed clock alone, so the worlds the
 * other tests pin stay as they were.
 */
export interface RepoGovernance {
  /** Classic branch protection of the default branch; null when the branch is not protected. */
  protection: BranchProtectionRecord | null;
  /** Rules of the repository's rulesets that apply to the default branch. */
  rules: BranchRuleRecord[];
  /** Direct collaborators with their role (org owners are admins of every repository besides). */
  collaborators: Array<{ login: string; role: CollaboratorRole }>;
  /** Markdown files in `docs/policies`, with the commits that touched each, oldest first. */
  policies: PolicyDocumentRecord[];
}

export type CollaboratorRole =
  | 'admin'
  | 'maintain'
  | 'write'
  | 'triage'
  | 'read';

export interface BranchProtectionRecord {
  requiredApprovingReviews: number;
  dismissStaleReviews: boolean;
  requireCodeOwnerReviews: boolean;
  requireLastPushApproval: boolean;
  enforceAdmins: boolean;
  requiredStatusChecks: string[];
  linearHistory: boolean;
}

export interface BranchRuleRecord {
  type:
    | 'pull_request'
    | 'deletion'
    | 'non_fast_forward'
    | 'required_status_checks';
  parameters?: Record<string, unknown>;
  rulesetId: number;
}

export interface PolicyDocumentRecord {
  name: string;
  title: string;
  /** The commits that changed the file, oldest first; the last one is its latest review. */
  commits: CommitRecord[];
}

/** Owners of the `lexecon-ai` organisation: fewer than three, as the readiness plan asks. */
export const ORG_ADMINS: readonly string[] = ['alex-kim', 'lena-fischer'];

const REPO_ADMINS = ['alex-kim', 'lena-fischer'];
const WRITERS = ['maya-chen', 'dev-patel', 'sam-okafor', 'tom-ruiz'];

const CLASSIC_PROTECTION: BranchProtectionRecord = {
  requiredApprovingReviews: 1,
  dismissStaleReviews: true,
  requireCodeOwnerReviews: false,
  requireLastPushApproval: true,
  enforceAdmins: true,
  requiredStatusChecks: ['test'],
  linearHistory: true,
};

/** Policy documents by file name, with how many days ago each was last reviewed. */
type PolicySeed = Array<[name: string, title: string, reviewedDaysAgo: number]>;

/**
 * The company's policy set (the readiness plan's required documents), kept in the Lexecon API's
 * repository; one is past its annual review. The other repositories have no docs/policies.
 */
const LEXECON_POLICIES: PolicySeed = [
  ['access-control-policy.md', 'Access Control Policy', 64],
  ['change-management-policy.md', 'Change Management Policy', 120],
  ['data-retention-policy.md', 'Data Retention Policy', 395],
  ['incident-response-plan.md', 'Incident Response Plan', 30],
  ['information-security-policy.md', 'Information Security Policy', 210],
];

interface GovernanceProfile {
  protection: 'classic' | 'ruleset';
  admins: string[];
  policies: PolicySeed;
}

/**
 * The portfolio's story: the Lexecon API is protected with two admins and one overdue policy;
 * decision-ledger has four admins (the plan asks for fewer than three); web-console protects
 * `main` with a ruleset instead of classic protection. Every other repository as the default.
 */
const PROFILES: Record<string, Partial<GovernanceProfile>> = {
  lexecon: { policies: LEXECON_POLICIES },
  'decision-ledger': { admins: [...REPO_ADMINS, 'maya-chen', 'dev-patel'] },
  'web-console': { protection: 'ruleset' },
};

function policyDocument(
  world: SandboxWorld,
  [name, title, reviewedDaysAgo]: PolicySeed[number],
): PolicyDocumentRecord {
  const nowMs = Date.parse(world.now);
  const reviewedAt = nowMs - reviewedDaysAgo * DAY;
  const writtenAt = Math.min(reviewedAt, nowMs - 500 * DAY);
  const commit = (
    at: number,
    message: string,
    author: string,
    parent: string,
  ): CommitRecord => {
    const sha = sha1Hex(`${world.owner}/${world.repo}:${name}:${at}`);
    return {
      sha,
      treeSha: sha1Hex(`tree:${sha}`),
      message,
      authorLogin: author,
      committerLogin: 'web-flow',
      date: iso(at),
      parents: [parent],
      additions: 12,
      deletions: 3,
    };
  };
  const first = commit(
    writtenAt,
    `Add the ${title}`,
    'lena-fischer',
    sha1Hex(`${world.repo}:${name}:base`),
  );
  const commits = [first];
  if (reviewedAt > writtenAt) {
    commits.push(
      commit(
        reviewedAt,
        `Annual review of the ${title}`,
        'alex-kim',
        first.sha,
      ),
    );
  }
  return { name, title, commits };
}

const cache = new WeakMap<SandboxWorld, RepoGovernance>();

/** The repository's governance, the same for the same repository and seed clock. */
export function governanceOf(world: SandboxWorld): RepoGovernance {
  const known = cache.get(world);
  if (known) return known;
  const profile: GovernanceProfile = {
    protection: 'classic',
    admins: REPO_ADMINS,
    policies: [],
    ...PROFILES[world.repo],
  };
  const rulesetId = 1_200_000 + (world.repoId % 100_000);
  const governance: RepoGovernance = {
    protection: profile.protection === 'classic' ? CLASSIC_PROTECTION : null,
    rules:
      profile.protection === 'ruleset'
        ? [
            { type: 'deletion', rulesetId },
            { type: 'non_fast_forward', rulesetId },
            {
              type: 'pull_request',
              rulesetId,
              parameters: {
                required_approving_review_count: 1,
                dismiss_stale_reviews_on_push: true,
                require_code_owner_review: false,
                require_last_push_approval: true,
                required_review_thread_resolution: false,
              },
            },
            {
              type: 'required_status_checks',
              rulesetId,
              parameters: {
                strict_required_status_checks_policy: true,
                required_status_checks: [{ context: 'test' }],
              },
            },
          ]
        : [],
    collaborators: [
      ...profile.admins.map(login => ({ login, role: 'admin' as const })),
      ...WRITERS.filter(l => !profile.admins.includes(l)).map(login => ({
        login,
        role: 'write' as const,
      })),
    ],
    policies: profile.policies.map(seed => policyDocument(world, seed)),
  };
  cache.set(world, governance);
  return governance;
}

/**
 * policy-engine's open alerts: a critical Dependabot alert three days old (past the 24-hour
 * patch SLA), a medium one ten days old and a high code-scanning alert two days old (both within
 * theirs). The Lexecon API keeps none open: its waiting release's readiness is the story there.
 */
export function seedOpenAlerts(world: SandboxWorld): void {
  if (world.repo !== 'policy-engine') return;
  const nowMs = Date.parse(world.now);
  const at = (hoursAgo: number) => iso(nowMs - hoursAgo * HOUR);
  const dependabot = (
    a: Omit<
      DependabotAlertRecord,
      'fixedAt' | 'dismissedAt' | 'dismissedBy' | 'dismissedReason'
    >,
  ): DependabotAlertRecord => ({
    ...a,
    fixedAt: null,
    dismissedAt: null,
    dismissedBy: null,
    dismissedReason: null,
  });
  world.dependabotAlerts = [
    dependabot({
      number: 1,
      package: 'pyyaml',
      manifest: 'requirements.txt',
      ghsa: 'GHSA-8q59-q68h-6hv4',
      cve: 'CVE-2020-14343',
      summary: 'Improper Input Validation in PyYAML',
      severity: 'critical',
      cvss: 9.8,
      vulnerableRange: '< 5.4',
      patched: '5.4',
      createdAt: at(72),
    }),
    dependabot({
      number: 2,
      package: 'idna',
      manifest: 'requirements.txt',
      ghsa: 'GHSA-jjg7-2v4v-x38h',
      cve: 'CVE-2024-3651',
      summary: 'Internationalized Domain Names in Applications (IDNA) DoS',
      severity: 'medium',
      cvss: 6.2,
      vulnerableRange: '< 3.7',
      patched: '3.7',
      createdAt: at(240),
    }),
  ];
  const alert: CodeScanningAlertRecord = {
    number: 1,
    ruleId: 'py/path-injection',
    ruleName: 'Uncontrolled data used in path expression',
    description: 'Uncontrolled data used in path expression',
    severity: 'error',
    securitySeverity: 'high',
    tags: ['security', 'external/cwe/cwe-022'],
    path: 'policy_engine/bundles.py',
    line: 88,
    createdAt: at(48),
    fixedAt: null,
    dismissedAt: null,
    dismissedBy: null,
    dismissedReason: null,
    dismissedComment: null,
  };
  world.codeScanningAlerts = [alert];
}
