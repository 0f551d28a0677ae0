import {
  ApprovalMode,
  Ineligibility,
  lexeconDeploymentApprovePermission,
  ViewerEligibility,
} from '@internal/plugin-lexecon-common';
import { GithubPendingRun } from '../sources/github/types';
import {
  changeSetGaps,
  ownChange,
  SodRun,
  triggeredBy,
} from './segregationOfDuties';

export interface EligibilityInput {
  run: SodRun & Pick<GithubPendingRun, 'reviewers'>;
  /** Members of reviewer teams, by slug. */
  teams: Record<string, string[]>;
  mode: ApprovalMode;
  segregationOfDuties: boolean;
  /** The permission framework's answer for `lexecon.deployment.approve` on the entity. */
  permitted: boolean;
  githubLogin?: string;
}

/** Whether `login` is one of the run's required reviewers, directly or through a team. */
export function isRequiredReviewer(
  reviewers: GithubPendingRun['reviewers'],
  teams: Record<string, string[]>,
  login: string,
): boolean {
  const lower = login.toLowerCase();
  return reviewers.some(r =>
    r.type === 'User'
      ? r.name.toLowerCase() === lower
      : (teams[r.name] ?? []).some(m => m.toLowerCase() === lower),
  );
}

/**
 * Every reason the person may not decide on this run. The backend refuses a decision for the same
 * reasons it shows, so what the page says and what the API does never disagree.
 */
export function assessEligibility(input: EligibilityInput): ViewerEligibility {
  const { run, teams, mode, segregationOfDuties, permitted, githubLogin } =
    input;
  const reasons: Ineligibility[] = [];
  if (!permitted) {
    reasons.push({
      code: 'missing-permission',
      permission: lexeconDeploymentApprovePermission.name,
      message: `You do not have the ${lexeconDeploymentApprovePermission.name} permission for this service (it is granted to the release approver groups)`,
    });
  }
  const needsLogin = mode === 'github-reviewers' || segregationOfDuties;
  // Someone who may not approve at all (an auditor, on-call) needs no GitHub identity: saying
  // so would suggest that adding one lets them approve.
  if (permitted && needsLogin && !githubLogin) {
    reasons.push({
      code: 'no-github-identity',
      message:
        'Your catalog user has no github.com/user-login annotation, so the portal cannot tell whether this change is yours',
    });
  }
  if (githubLogin) {
    if (
      mode === 'github-reviewers' &&
      !isRequiredReviewer(run.reviewers, teams, githubLogin)
    ) {
      const names = run.reviewers
        .map(r => (r.type === 'Team' ? `team ${r.name}` : r.name))
        .join(', ');
      reasons.push({
        code: 'not-reviewer',
        message: `You are not a required reviewer of ${run.environment}${
          names ? ` (reviewers: ${names})` : ''
        }`,
      });
    }
    if (segregationOfDuties) {
      const triggered = triggeredBy(run, githubLogin);
      const own = ownChange(run.changeSet, githubLogin);
      if (triggered) reasons.push(triggered);
      if (own) reasons.push(own);
    }
  }
  // Fails closed: a change set the portal cannot read in full could hide the approver's work.
  if (segregationOfDuties) reasons.push(...changeSetGaps(run));
  return {
    canDecide: reasons.length === 0,
    githubLogin,
    reasons,
    needsGithubToken: mode === 'github-reviewers',
  };
}
