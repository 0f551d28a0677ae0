import { HelmRevisionInfo } from '@internal/plugin-lexecon-common';

export interface HelmRevisionSnapshot extends HelmRevisionInfo {
  /** Image tag or appVersion the revision deployed: the commit sha for Lexecon. */
  sha?: string;
  firstDeployedAt?: string;
}

export interface HelmEnvironmentSnapshot {
  cluster: string;
  namespace: string;
  release: string;
  /** Oldest first. */
  revisions: HelmRevisionSnapshot[];
}

export interface HelmHistorySnapshot {
  environments: Record<string, HelmEnvironmentSnapshot>;
}
