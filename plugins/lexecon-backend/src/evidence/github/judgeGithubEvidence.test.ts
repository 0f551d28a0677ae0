import { evaluateItem } from '../rules/evaluateItem';
import {
  EvidenceItem,
  GithubEvidenceFacts,
  SecurityAlertFact,
} from '@internal/plugin-lexecon-common';
import {
  githubEvidenceReadFailed,
  judgeGithubEvidence,
} from './judgeGithubEvidence';

const NOW = new Date('2026-11-20T15:00:00.000Z');
const REF = 'component:default/lexecon-api';

const item = (
  id: string,
  rule: string,
  title = id,
  cadence: EvidenceItem['cadence'] = 'daily',
): EvidenceItem => ({
  id,
  controlId: 'X',
  title,
  source: 'github-evidence',
  cadence,
  owner: 'group:default/x',
  rule,
});

const alert = (
  severity: SecurityAlertFact['severity'],
  breached: boolean,
): SecurityAlertFact => ({
  tool: 'dependabot',
  number: 1,
  severity,
  createdAt: '2026-11-17T15:00:00Z',
  ageHours: 72,
  slaHours: 24,
  dueAt: '2026-11-18T15:00:00.000Z',
  breached,
  summary: 'PyYAML',
  url: 'https://github.example/a/1',
});

function facts(
  overrides: Partial<GithubEvidenceFacts> = {},
): GithubEvidenceFacts {
  return {
    repository: 'lexecon-ai/lexecon',
    repositoryUrl: 'https://github.example/lexecon-ai/lexecon',
    defaultBranch: 'main',
    branchProtection: {
      readable: true,
      branch: 'main',
      classic: null,
      rules: [],
      requiredApprovingReviews: 0,
      reviewRequired: false,
      url: 'u',
    },
    productionReviewers: {
      readable: true,
      environment: 'production',
      exists: true,
      reviewers: [{ type: 'Team', name: 'release-approvers' }],
      preventSelfReview: true,
      url: 'u',
    },
    repositoryAdmins: { readable: true, logins: ['a', 'b'], url: 'u' },
    organizationAdmins: {
      readable: true,
      organization: 'lexecon-ai',
      logins: ['a', 'b'],
    },
    dependabotAlerts: { readable: true, open: [], url: 'u' },
    codeScanningAlerts: { readable: true, open: [], url: 'u' },
    policies: { readable: true, found: false, documents: [], url: 'u' },
    ...overrides,
  };
}

const verdict = (i: EvidenceItem, f: GithubEvidenceFacts, now = NOW) => {
  const [o] = judgeGithubEvidence([i], REF, f, now);
  return o && { status: o.status, reason: o.reason, expires: o.expires };
};

describe('judgeGithubEvidence', () => {
  it('fails an unprotected default branch and passes one a ruleset protects', () => {
    const protection = item('bp', 'github-branch-protection');
    expect(verdict(protection, facts())?.status).toBe('failing');
    expect(
      verdict(
        protection,
        facts({
          branchProtection: {
            readable: true,
            branch: 'main',
            classic: null,
            rules: [{ type: 'pull_request', rulesetId: 1, source: 'x' }],
            requiredApprovingReviews: 1,
            reviewRequired: true,
            url: 'u',
          },
        }),
      ),
    ).toMatchObject({
      status: 'passing',
      reason:
        'main of lexecon-ai/lexecon requires 1 approving review (a ruleset)',
    });
  });

  it('fails a production environment that allows self-review', () => {
    const reviewers = item('env', 'github-environment-reviewers');
    expect(verdict(reviewers, facts())?.status).toBe('passing');
    const selfReview = facts();
    if (selfReview.productionReviewers.readable) {
      selfReview.productionReviewers.preventSelfReview = false;
    }
    expect(verdict(reviewers, selfReview)?.reason).toMatch(
      /prevent_self_review is off/,
    );
  });

  it('allows two admins and fails at three, on the repository or the organisation', () => {
    const admins = item('admins', 'github-admin-count');
    expect(verdict(admins, facts())?.status).toBe('passing');
    expect(
      verdict(
        admins,
        facts({
          organizationAdmins: {
            readable: true,
            organization: 'lexecon-ai',
            logins: ['a', 'b', 'c'],
          },
        }),
      ),
    ).toMatchObject({
      status: 'failing',
      reason: expect.stringContaining('3 owners of lexecon-ai'),
    });
  });

  it('fails the patch SLA on a breached alert, and when GitHub would not show the alerts', () => {
    const sla = item('sla', 'github-vulnerability-sla');
    expect(
      verdict(
        sla,
        facts({
          dependabotAlerts: {
            readable: true,
            open: [alert('low', false)],
            url: 'u',
          },
        }),
      )?.status,
    ).toBe('passing');
    expect(
      verdict(
        sla,
        facts({
          dependabotAlerts: {
            readable: true,
            open: [alert('critical', true)],
            url: 'u',
          },
        }),
      ),
    ).toMatchObject({
      status: 'failing',
      reason: expect.stringContaining(
        'critical Dependabot alert #1 (PyYAML) open 72 h, SLA 24 h',
      ),
    });
    expect(
      verdict(
        sla,
        facts({
          codeScanningAlerts: { readable: false, why: 'GitHub answered 403' },
        }),
      ),
    ).toMatchObject({
      status: 'failing',
      reason: 'Code scanning alerts not readable: GitHub answered 403',
    });
  });

  it('keeps a policy current for a calendar year after its last review, overdue a millisecond later', () => {
    const policy = item(
      'gdpr5-retention-policy',
      'github-policy-review',
      'Data retention policy reviewed within a year',
      'annual',
    );
    const withPolicy = facts({
      policies: {
        readable: true,
        found: true,
        url: 'u',
        documents: [
          {
            path: 'docs/policies/data-retention-policy.md',
            lastReviewed: '2025-11-20T15:00:00Z',
            url: 'u',
          },
        ],
      },
    });
    expect(verdict(policy, withPolicy)).toEqual({
      status: 'passing',
      reason:
        'docs/policies/data-retention-policy.md last reviewed 2025-11-20 (365 days ago); its annual review is due 2026-11-20',
      expires: NOW.toISOString(),
    });
    const late = new Date(NOW.getTime() + 1);
    const [overdue] = judgeGithubEvidence([policy], REF, withPolicy, late);
    expect(overdue.status).toBe('overdue');
    // Evaluated, it stays overdue: its expiry is not the past due date (an expiry before its
    // collection would make it failing as invalid).
    expect(Date.parse(overdue.expires)).toBeGreaterThan(late.getTime());
    expect(
      evaluateItem(policy, [overdue], { now: late, dueSoonLeadMs: 0 }).status,
    ).toBe('overdue');
    expect(
      verdict(
        item('other', 'github-policy-review', 'Vendor policy reviewed'),
        withPolicy,
      )?.status,
    ).toBe('missing');
    // A repository without docs/policies has none of the company's policies to judge.
    expect(verdict(policy, facts())).toBeUndefined();
  });

  it('fails an item whose rule it does not know, and every item when the read failed', () => {
    expect(verdict(item('x', 'github-unknown'), facts())?.status).toBe(
      'failing',
    );
    const failed = githubEvidenceReadFailed(
      [
        item('bp', 'github-branch-protection'),
        item('p', 'github-policy-review'),
      ],
      REF,
      'GitHub answered 502',
      NOW,
      facts(),
    );
    expect(failed.map(o => [o.itemId, o.status, o.reason])).toEqual([
      ['bp', 'failing', 'GitHub could not be read: GitHub answered 502'],
    ]);
  });
});
