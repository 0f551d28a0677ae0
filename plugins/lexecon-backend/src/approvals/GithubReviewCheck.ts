import { Ineligibility } from '@internal/plugin-lexecon-common';
import { ApprovalsConfig } from '../config';
import { EntityTarget } from '../EntityTarget';
import { DecisionStore } from './DecisionStore';
import { PendingApprovals } from './PendingApprovals';
import { computeReadiness } from './readiness';
import { describeFailing, GateExceptionDetails } from './readinessGate';

/** A review GitHub reported through its `deployment_review` webhook. */
export interface GithubReview {
  target: EntityTarget;
  repository: string;
  runId?: number;
  environment?: string;
  login?: string;
  decision: 'approved' | 'rejected';
}

/** Reasons that are segregation of duties itself; GitHub checks required reviewers on its own. */
const SOD_CODES: ReadonlySet<string> = new Set(['triggered-run', 'own-change']);
const NOT_ABOUT_THE_CHANGE: ReadonlySet<string> = new Set([
  'missing-permission',
  'no-github-identity',
  'not-reviewer',
]);

const WHY_SOD: Record<string, string> = {
  'triggered-run': 'who triggered the run',
  'own-change': 'who authored a change in it',
};

/**
 * Checks an approval made in GitHub's own page against the rules the portal applies to its own
 * decisions: segregation of duties (as assessEligibility has it) and the readiness gate, both
 * for the run as the last snapshot read it. An approval the portal cannot check (a run it never
 * read) fails closed: it is an exception too.
 */
export class GithubReviewCheck {
  constructor(
    private readonly options: {
      pending: PendingApprovals;
      decisions: DecisionStore;
      settings: ApprovalsConfig;
    },
  ) {}

  async exceptionsOf(review: GithubReview): Promise<GateExceptionDetails[]> {
    const { target, repository, runId, environment, decision } = review;
    if (decision !== 'approved') return [];
    const login = review.login ?? 'an unknown account';
    const approved = `approved in GitHub by ${login}`;
    const unknown = (why: string): GateExceptionDetails[] => [
      {
        kind: 'change-set-unknown',
        message: `${approved}, ${why}: change set unknown`,
      },
    ];
    if (runId === undefined || !environment || !review.login) {
      return unknown(
        'naming no run, environment or account the portal can check',
      );
    }
    // A review the portal sent itself was checked before it went out.
    const decided = await this.options.decisions.find({
      repository,
      runId,
      environment,
    });
    if (
      decided?.state === 'approved' &&
      decided.githubLogin?.toLowerCase() === review.login.toLowerCase()
    ) {
      return [];
    }
    const { run, teams } = await this.options.pending.waitingRun(
      target,
      runId,
      environment,
      { refresh: false },
    );
    if (!run) {
      return unknown(`but the portal never read run ${runId} waiting for it`);
    }
    const { reasons } = this.options.pending.eligibility(run, teams, {
      viewer: { githubLogin: review.login },
      permitted: true,
    });
    const exceptions: GateExceptionDetails[] = [];
    const sod = reasons.filter(
      r =>
        SOD_CODES.has(r.code) &&
        // GitHub itself refuses a review by whoever triggered the run there.
        !(r.code === 'triggered-run' && run.preventSelfReview),
    );
    if (sod.length) {
      exceptions.push({
        kind: 'sod',
        message: `${approved}, ${sod
          .map(r => WHY_SOD[r.code])
          .join(' and ')}: SoD exception`,
      });
    }
    const gaps = reasons.filter(
      (r: Ineligibility) =>
        !SOD_CODES.has(r.code) && !NOT_ABOUT_THE_CHANGE.has(r.code),
    );
    if (gaps.length) {
      exceptions.push(
        ...unknown(
          `but the portal cannot check who changed what (${gaps
            .map(r => r.message)
            .join('; ')})`,
        ),
      );
    }
    const readiness = computeReadiness(
      run.readiness,
      this.options.settings.readinessGate,
    );
    if (!readiness.passesGate) {
      exceptions.push({
        kind: 'readiness',
        message: `${approved} below the readiness gate: ${
          readiness.score
        } against ${readiness.gate} (failing: ${describeFailing(readiness)})`,
        score: readiness.score,
        gate: readiness.gate,
        failingInputs: readiness.failing,
      });
    }
    return exceptions;
  }
}
