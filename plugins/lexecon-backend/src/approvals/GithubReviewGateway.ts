import { DecisionBody } from '@internal/plugin-lexecon-common';
import { GithubClientFactory } from '../sources/github/GithubClientFactory';
import { PendingGate } from '../sources/github/GithubRepositoryReader';
import { Viewer } from './ApproverIdentity';

export interface Repository {
  owner: string;
  repo: string;
}

/** What became of a run that no longer waits, in words for the person who wanted to decide. */
export interface RunOutcome {
  status: string;
  message: string;
}

/** A review GitHub holds on an environment's gate. */
export interface GateReview {
  state: 'approved' | 'rejected';
  login: string;
}

/** How the portal's App signs a portal-gate review with the person it decided for. */
const signedBy = (userRef: string | undefined) =>
  ` in the Lexecon portal by ${userRef}`;

/**
 * The GitHub calls of a decision: what a run waits on now, what became of it, whose a token
 * is, and the review itself. Reviews go out at most once (no retries); failures are GitHub's
 * own errors, which the decision workflow words and audits.
 */
export class GithubReviewGateway {
  constructor(private readonly github: GithubClientFactory) {}

  /** The environments the run waits on now, read with the portal's own credentials. */
  async pendingGates(
    repository: Repository,
    runId: number,
  ): Promise<PendingGate[]> {
    const reader = await this.github.reader(repository.owner, repository.repo);
    return reader.pendingDeployments(runId);
  }

  /** Why the run is no longer waiting: a review in GitHub, its end, or its status. */
  async runOutcome(repository: Repository, runId: number): Promise<RunOutcome> {
    try {
      const reader = await this.github.reader(
        repository.owner,
        repository.repo,
      );
      const [run, reviews] = await Promise.all([
        reader.workflowRun(runId),
        reader.reviews(runId),
      ]);
      const review = reviews[0];
      if (review) {
        return {
          status: run.status,
          message: `it was ${review.state} in GitHub by ${review.user.login}`,
        };
      }
      if (run.status === 'completed') {
        return {
          status: 'completed',
          message: `it ended ${
            run.conclusion ?? 'without a conclusion'
          } (cancelled, expired or failed)`,
        };
      }
      return { status: run.status, message: `it is ${run.status}` };
    } catch {
      return {
        status: 'unknown',
        message: 'GitHub no longer lists it as waiting',
      };
    }
  }

  /**
   * The review a portal decision left on the environment's gate, if it reached GitHub: the
   * holder's own review in github-reviewers mode, or the App's signed with their name.
   */
  async reviewLeftBy(
    repository: Repository,
    runId: number,
    environment: string,
    holder: { actor: string; githubLogin?: string },
  ): Promise<GateReview | undefined> {
    const reader = await this.github.reader(repository.owner, repository.repo);
    const reviews = await reader.reviews(runId, environment);
    const login = holder.githubLogin?.toLowerCase();
    const signature = signedBy(holder.actor);
    const review = reviews.find(
      r =>
        (login !== undefined && r.user.login.toLowerCase() === login) ||
        r.comment?.endsWith(signature) ||
        r.comment?.includes(`${signature} (@`),
    );
    return review && { state: review.state, login: review.user.login };
  }

  /** The GitHub login a person's token belongs to. */
  async tokenOwner(token: string): Promise<string> {
    const { data } = await this.github
      .forUserToken(token)
      .users.getAuthenticated();
    return data.login;
  }

  /**
   * Sends the decision. In github-reviewers mode it is the person's own review, made with their
   * token; in portal-gate mode the portal's App answers its own protection rule and names the
   * person in the comment.
   */
  async sendReview(args: {
    mode: 'github-reviewers' | 'portal-gate';
    repository: Repository;
    runId: number;
    environment: string;
    environmentId: number;
    body: DecisionBody;
    githubToken?: string;
    viewer: Viewer;
  }): Promise<void> {
    const { repository, runId, environment, body, viewer } = args;
    const params = {
      owner: repository.owner,
      repo: repository.repo,
      run_id: runId,
    };
    if (args.mode === 'github-reviewers') {
      await this.github
        .forUserToken(args.githubToken!)
        .actions.reviewPendingDeploymentsForRun({
          ...params,
          environment_ids: [args.environmentId],
          state: body.decision,
          comment: body.comment,
        });
      return;
    }
    const client = await this.github.writerForRepository(
      repository.owner,
      repository.repo,
    );
    await client.actions.reviewCustomGatesForRun({
      ...params,
      environment_name: environment,
      state: body.decision,
      comment: `${body.comment}\n\n${
        body.decision === 'approved' ? 'Approved' : 'Rejected'
      }${signedBy(viewer.userRef)}${
        viewer.githubLogin ? ` (@${viewer.githubLogin})` : ''
      }`.slice(0, 1024),
    });
  }
}
