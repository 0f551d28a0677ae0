import {
  EvidenceItem,
  EvidenceObservation,
  GithubEvidenceFacts,
  NotReadable,
  PolicyDocumentFact,
  SecurityAlertFact,
} from '@internal/plugin-lexecon-common';
import { expiresAt } from '../rules/freshness';

/** The catalog's source id of the items this module judges. */
export const GITHUB_EVIDENCE_SOURCE = 'github-evidence';

/** The readiness plan: fewer than this many admins on the repository and on the organisation. */
export const MAX_ADMINS_EXCLUSIVE = 3;

type Verdict = Pick<EvidenceObservation, 'status' | 'reason' | 'facts'> & {
  sourceUrl?: string;
  /** When the evidence stops counting, when not collected + the item's cadence. */
  expires?: Date;
};

const DAY_MS = 86_400_000;
const day = (iso: string) => iso.slice(0, 10);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function unreadable(what: string, part: NotReadable): Verdict {
  return {
    status: 'failing',
    reason: `${what} not readable: ${part.why}`,
    facts: { readable: false, why: part.why },
  };
}

function branchProtection(facts: GithubEvidenceFacts): Verdict {
  const p = facts.branchProtection;
  if (!p.readable) return unreadable('Branch protection', p);
  const { readable: _readable, ...shown } = p;
  const by = [
    p.classic ? 'branch protection' : undefined,
    p.rules.some(r => r.type === 'pull_request') ? 'a ruleset' : undefined,
  ].filter(Boolean);
  if (!p.reviewRequired || p.requiredApprovingReviews < 1) {
    return {
      status: 'failing',
      reason: `${p.branch} of ${facts.repository} can be changed without an approving review: neither branch protection nor a ruleset requires one`,
      facts: shown,
      sourceUrl: p.url,
    };
  }
  return {
    status: 'passing',
    reason: `${p.branch} of ${facts.repository} requires ${plural(
      p.requiredApprovingReviews,
      'approving review',
    )} (${by.join(' and ')})`,
    facts: shown,
    sourceUrl: p.url,
  };
}

function environmentReviewers(facts: GithubEvidenceFacts): Verdict {
  const e = facts.productionReviewers;
  if (!e.readable) return unreadable('The production environment', e);
  const { readable: _readable, ...shown } = e;
  const at = { facts: shown, sourceUrl: e.url };
  if (!e.exists) {
    return {
      status: 'failing',
      reason: `${facts.repository} has no ${e.environment} environment, so no reviewer gates its deploys`,
      ...at,
    };
  }
  if (!e.reviewers.length) {
    return {
      status: 'failing',
      reason: `${e.environment} of ${facts.repository} requires no reviewer`,
      ...at,
    };
  }
  const who = e.reviewers.map(r => r.name).join(', ');
  if (!e.preventSelfReview) {
    return {
      status: 'failing',
      reason: `${e.environment} requires a reviewer (${who}) but lets whoever started a deploy approve it (prevent_self_review is off)`,
      ...at,
    };
  }
  return {
    status: 'passing',
    reason: `${e.environment} requires a review by ${who} and prevents self-review`,
    ...at,
  };
}

function adminCount(facts: GithubEvidenceFacts): Verdict {
  const { repositoryAdmins: repo, organizationAdmins: org } = facts;
  if (!repo.readable) return unreadable('The repository admins', repo);
  if (!org.readable) return unreadable('The organisation owners', org);
  const shown = {
    repositoryAdmins: repo.logins,
    organizationAdmins: org.logins,
    organization: org.organization,
  };
  const counts = `${plural(repo.logins.length, 'admin')} on ${
    facts.repository
  } (${repo.logins.join(', ') || 'none'}), ${plural(
    org.logins.length,
    'owner',
  )} of ${org.organization}`;
  const tooMany =
    repo.logins.length >= MAX_ADMINS_EXCLUSIVE ||
    org.logins.length >= MAX_ADMINS_EXCLUSIVE;
  return {
    status: tooMany ? 'failing' : 'passing',
    reason: tooMany
      ? `${counts}: the plan allows fewer than ${MAX_ADMINS_EXCLUSIVE}`
      : counts,
    facts: shown,
    sourceUrl: repo.url,
  };
}

function describeAlert(a: SecurityAlertFact): string {
  const tool = a.tool === 'dependabot' ? 'Dependabot' : 'code scanning';
  return `${a.severity} ${tool} alert #${a.number} (${a.summary}) open ${a.ageHours} h, SLA ${a.slaHours} h`;
}

function vulnerabilitySla(facts: GithubEvidenceFacts): Verdict {
  const { dependabotAlerts: dep, codeScanningAlerts: code } = facts;
  if (!dep.readable) return unreadable('Dependabot alerts', dep);
  if (!code.readable) return unreadable('Code scanning alerts', code);
  const open = [...dep.open, ...code.open];
  const breached = open.filter(a => a.breached);
  const shown = { open };
  const sourceUrl = `${facts.repositoryUrl}/security`;
  if (breached.length) {
    return {
      status: 'failing',
      reason: `${plural(
        breached.length,
        'open alert',
      )} past the patch SLA: ${breached.map(describeAlert).join('; ')}`,
      facts: shown,
      sourceUrl,
    };
  }
  const due = open
    .map(a => a.dueAt)
    .filter((d): d is string => d !== null)
    .sort()[0];
  return {
    status: 'passing',
    reason: open.length
      ? `${plural(open.length, 'open alert')}, all within the patch SLA${
          due ? ` (the next is due ${due})` : ''
        }`
      : `No open Dependabot or code-scanning alerts on ${facts.repository}`,
    facts: shown,
    sourceUrl,
  };
}

/** The document an item is about: the one whose name (words of its file name) its title holds. */
export function policyDocumentFor(
  item: Pick<EvidenceItem, 'title'>,
  documents: readonly PolicyDocumentFact[],
): PolicyDocumentFact | undefined {
  const title = item.title.toLowerCase();
  return documents.find(d => {
    const name = (d.path.split('/').pop() ?? '')
      .replace(/\.md$/i, '')
      .replace(/[-_]+/g, ' ')
      .toLowerCase();
    return name && title.includes(name);
  });
}

function policyReview(
  item: EvidenceItem,
  facts: GithubEvidenceFacts,
  now: Date,
): Verdict | undefined {
  const p = facts.policies;
  if (!p.readable) return unreadable('The policy documents', p);
  // Policies are kept in one repository; the others have no docs/policies to judge.
  if (!p.found) return undefined;
  const doc = policyDocumentFor(item, p.documents);
  if (!doc) {
    return {
      status: 'missing',
      reason: `No document in docs/policies of ${facts.repository} matches "${item.title}"`,
      facts: { documents: p.documents.map(d => d.path) },
      sourceUrl: p.url,
    };
  }
  if (!doc.lastReviewed) {
    return {
      status: 'failing',
      reason: `GitHub lists no commit of ${doc.path}, so its last review is unknown`,
      facts: { ...doc },
      sourceUrl: doc.url,
    };
  }
  const reviewed = new Date(doc.lastReviewed);
  const due = expiresAt(reviewed, 'annual');
  const days = Math.floor((now.getTime() - reviewed.getTime()) / DAY_MS);
  const overdue = due.getTime() < now.getTime();
  return {
    status: overdue ? 'overdue' : 'passing',
    reason: `${doc.path} last reviewed ${day(doc.lastReviewed)} (${plural(
      days,
      'day',
    )} ago); its annual review ${overdue ? 'was' : 'is'} due ${day(
      due.toISOString(),
    )}`,
    facts: { ...doc, reviewDue: due.toISOString() },
    sourceUrl: doc.commitUrl ?? doc.url,
    // A current review is evidence until its annual review falls due. Past it, the observation
    // that it is overdue is fresh evidence of its own (its expiry the cadence's, never the past
    // due date, which the evaluation would take for an expiry before collection).
    ...(overdue ? {} : { expires: due }),
  };
}

function judge(
  item: EvidenceItem,
  facts: GithubEvidenceFacts,
  now: Date,
): Verdict | undefined {
  switch (item.rule) {
    case 'github-branch-protection':
      return branchProtection(facts);
    case 'github-environment-reviewers':
      return environmentReviewers(facts);
    case 'github-admin-count':
      return adminCount(facts);
    case 'github-vulnerability-sla':
      return vulnerabilitySla(facts);
    case 'github-policy-review':
      return policyReview(item, facts, now);
    default:
      return {
        status: 'failing',
        reason: `The github-evidence source has no judgement for rule '${item.rule}'`,
        facts: {},
      };
  }
}

function observation(
  item: EvidenceItem,
  entityRef: string,
  collected: Date,
  verdict: Verdict,
): EvidenceObservation {
  const { expires, sourceUrl, ...rest } = verdict;
  return {
    itemId: item.id,
    entityRef,
    ...rest,
    collected: collected.toISOString(),
    expires: (expires ?? expiresAt(collected, item.cadence)).toISOString(),
    ...(sourceUrl ? { sourceUrl } : {}),
  };
}

/**
 * Each github-evidence item of the catalog judged on one read of a service's repository. A part
 * GitHub would not show fails its item with why; a policy item of a repository without
 * docs/policies is left out (policies are kept in one repository).
 */
export function judgeGithubEvidence(
  items: readonly EvidenceItem[],
  entityRef: string,
  facts: GithubEvidenceFacts,
  collected: Date,
): EvidenceObservation[] {
  return items
    .filter(i => i.source === GITHUB_EVIDENCE_SOURCE)
    .flatMap(item => {
      const verdict = judge(item, facts, collected);
      return verdict ? [observation(item, entityRef, collected, verdict)] : [];
    });
}

/**
 * A read that failed: every item it feeds fails with why (policy items only where the last
 * read found policies, or none succeeded yet). No fact of GitHub is recorded.
 */
export function githubEvidenceReadFailed(
  items: readonly EvidenceItem[],
  entityRef: string,
  reason: string,
  collected: Date,
  previous: GithubEvidenceFacts | undefined,
): EvidenceObservation[] {
  const hadPolicies =
    !previous || !previous.policies.readable || previous.policies.found;
  return items
    .filter(i => i.source === GITHUB_EVIDENCE_SOURCE)
    .filter(i => i.rule !== 'github-policy-review' || hadPolicies)
    .map(item =>
      observation(item, entityRef, collected, {
        status: 'failing',
        reason: `GitHub could not be read: ${reason}`,
        facts: { readFailed: true },
        expires: new Date(collected.getTime() + DAY_MS),
      }),
    );
}
