import { defineSource } from '../registry';
import { GithubApprovalsSource } from './GithubApprovalsSource';

export const githubApprovalsRegistration = defineSource({
  id: 'github-approvals',
  create: ({ githubClients, logger, settings }) =>
    new GithubApprovalsSource(githubClients, {
      logger,
      timeoutMs: settings.upstreamTimeoutMs,
      ciWorkflow: settings.approvals.ciWorkflow,
      qualityChecks: [/quality/i, /lint/i],
      securityCheck: /security|codeql|scan/i,
    }),
});
