import { defineSource } from '../registry';
import { allowedOrganizations } from './allowedOrganizations';
import { CHECK_PATTERNS } from './commitChecks';
import { GithubApprovalsSource } from './GithubApprovalsSource';

export const githubApprovalsRegistration = defineSource({
  id: 'github-approvals',
  allowList: allowedOrganizations,
  create: ({ githubClients, logger, settings }) =>
    new GithubApprovalsSource(githubClients, {
      logger,
      timeoutMs: settings.upstreamTimeoutMs,
      ciWorkflow: settings.approvals.ciWorkflow,
      ...CHECK_PATTERNS,
    }),
});
