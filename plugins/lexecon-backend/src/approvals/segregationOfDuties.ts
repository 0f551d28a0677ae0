import { ChangeSet, Ineligibility } from '@internal/plugin-lexecon-common';
import { commitPeople } from '../sources/github/commitPeople';
import { GithubPendingRun } from '../sources/github/types';

const CANNOT_CHECK = 'so it cannot check segregation of duties';
const SOMEONE_ELSE = 'segregation of duties requires someone else to approve';
/** Commits or people named in one reason at most; the rest are counted. */
const LISTED = 3;

export type SodRun = Pick<
  GithubPendingRun,
  'triggeringActor' | 'actor' | 'changeSet' | 'changeSetUnknown' | 'environment'
>;

const same = (login: string | undefined, lower: string) =>
  login?.toLowerCase() === lower;

function listed(items: string[]): string {
  const shown = items.slice(0, LISTED).join(', ');
  return items.length > LISTED
    ? `${shown} and ${items.length - LISTED} more`
    : shown;
}

function joinAnd(parts: string[]): string {
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
    : parts[0];
}

/**
 * Why segregation of duties cannot be checked on anyone: the change set is unknown, not read
 * in full, or names people GitHub links to no account (they could be anyone, the approver too).
 */
export function changeSetGaps(run: SodRun): Ineligibility[] {
  const { changeSet } = run;
  if (!changeSet) {
    return [
      {
        code: 'change-set-unknown',
        message: `The portal could not read the change set of this deploy, ${CANNOT_CHECK}: ${
          run.changeSetUnknown ?? 'it was never read'
        }`,
      },
    ];
  }
  const reasons: Ineligibility[] = [];
  if (changeSet.incomplete) {
    reasons.push({
      code: 'change-set-truncated',
      message: changeSet.incomplete,
    });
  }
  const unlinked = unlinkedPeople(changeSet);
  if (unlinked.length) {
    reasons.push({
      code: 'unlinked-author',
      message: `No GitHub account is linked to ${listed(
        unlinked,
      )}; the portal cannot tell whether that is you, ${CANNOT_CHECK}`,
    });
  }
  return reasons;
}

function unlinkedPeople(changeSet: ChangeSet): string[] {
  return changeSet.commits.flatMap(c =>
    commitPeople(c).unlinked.map(who => `${who} of ${c.shortSha}`),
  );
}

/** The deploy's run was started or re-run by `login`. */
export function triggeredBy(
  run: SodRun,
  login: string,
): Ineligibility | undefined {
  const lower = login.toLowerCase();
  if (same(run.triggeringActor?.login, lower)) {
    return {
      code: 'triggered-run',
      message: `You triggered this deploy; segregation of duties requires someone else to approve ${run.environment}`,
    };
  }
  if (same(run.actor?.login, lower)) {
    return {
      code: 'triggered-run',
      message: `You started this deploy, which ${run.triggeringActor?.login} re-ran; segregation of duties requires someone else to approve ${run.environment}`,
    };
  }
  return undefined;
}

/**
 * What `login` did in the change set (authored, committed or co-authored commits, opened or
 * merged pull requests), as one reason naming each.
 */
export function ownChange(
  changeSet: ChangeSet | undefined,
  login: string,
): Ineligibility | undefined {
  const lower = login.toLowerCase();
  const commits = changeSet?.commits ?? [];
  const pulls = changeSet?.pullRequests ?? [];
  const ofCommits = (verb: string, shas: string[]) =>
    shas.length
      ? [
          `${verb} ${shas.length} of the commits in this change set (${shas
            .slice(0, LISTED)
            .join(', ')})`,
        ]
      : [];
  const ofPulls = (verb: string, numbers: number[]) =>
    numbers.length
      ? [
          `${verb} pull request${numbers.length > 1 ? 's' : ''} ${listed(
            numbers.map(n => `#${n}`),
          )}`,
        ]
      : [];
  const authored = commits
    .filter(c => same(c.author?.login, lower))
    .map(c => c.shortSha);
  const parts = [
    ...ofCommits('authored', authored),
    ...ofCommits(
      'committed',
      commits
        .filter(c => same(c.committer?.account?.login, lower))
        .map(c => c.shortSha),
    ),
    ...ofCommits(
      'co-authored',
      commits
        .filter(c => c.coAuthors?.some(a => same(a.account?.login, lower)))
        .map(c => c.shortSha),
    ),
    // A pull request is named when it adds to the commits: opened by someone who wrote none of
    // them, or merged by someone other than who opened it.
    ...(authored.length
      ? []
      : ofPulls(
          'opened',
          pulls.filter(p => same(p.author?.login, lower)).map(p => p.number),
        )),
    ...ofPulls(
      'merged',
      pulls
        .filter(
          p => same(p.mergedBy?.login, lower) && !same(p.author?.login, lower),
        )
        .map(p => p.number),
    ),
  ];
  if (!parts.length) return undefined;
  return {
    code: 'own-change',
    message: `You ${joinAnd(parts)}; ${SOMEONE_ELSE}`,
  };
}
