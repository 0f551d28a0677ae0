import { Request, Response } from 'express';
import {
  DeploymentRecord,
  EnvironmentRecord,
  RunRecord,
  SandboxWorld,
} from '../world/types';
import { WorldWriter } from '../world/writer';
import { GithubResponder } from './http';
import { Identity, InstallationPermission } from './identity';
import { GithubRenderer } from './render';

/** The repository a `/repos/{owner}/{repo}/...` request is about. */
export interface RepoScope {
  world: SandboxWorld;
  /** Where reviews and new runs write, keeping ids and Helm history consistent. */
  writer: WorldWriter;
  /** Renders this repository's records for the server's own URLs. */
  renderer(): GithubRenderer;
}

export interface ReviewEvent {
  world: SandboxWorld;
  run: RunRecord;
  environment: EnvironmentRecord;
  state: 'approved' | 'rejected';
  comment: string;
  /** Who reviewed: a person (required reviewers) or the portal's bot (custom rule). */
  reviewer: string;
  via: 'required-reviewers' | 'custom-rule';
  /** When the run had been waiting since (before the review). */
  since: string;
  deployments: DeploymentRecord[];
}

/** What the route groups of the GitHub stand-in share. */
export interface GithubRouteContext extends Omit<GithubResponder, 'rate'> {
  query(req: Request, name: string): string | undefined;
  /** The repository of a request under `/repos/{owner}/{repo}`. */
  repo(res: Response): RepoScope;
  identity(res: Response): Identity;
  /** GitHub answers 403 to installation tokens on user-only endpoints; true when it did. */
  refuseInstallation(req: Request, res: Response, docs: string): boolean;
  /** GitHub answers 403 to an installation not granted `permission`; true when it did. */
  refuseWithout(
    req: Request,
    res: Response,
    permission: InstallationPermission,
    docs: string,
  ): boolean;
  /** The organisation (people, teams): the same for every repository. */
  org: SandboxWorld;
  orgRenderer(): GithubRenderer;
  /** Sandbox clock in ms (seed `now` + elapsed time). */
  clock(): number;
  /** Called after a review changed a run (for webhooks). */
  onReview?(event: ReviewEvent): void;
}
