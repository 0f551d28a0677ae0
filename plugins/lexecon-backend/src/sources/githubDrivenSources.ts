import { SourceId } from '@internal/plugin-lexecon-common';

/**
 * The sources a GitHub event (a webhook, or a decision sent to GitHub) can change: the runs and
 * deployments, what waits for approval, and the Helm release a deploy run installs. Flags, SLOs
 * and health do not move with a GitHub event, so refreshing them then would only spend their
 * upstream rate budget; their own schedule keeps them current.
 */
export const GITHUB_DRIVEN_SOURCES: readonly SourceId[] = [
  'github',
  'github-approvals',
  'kubernetes',
];
