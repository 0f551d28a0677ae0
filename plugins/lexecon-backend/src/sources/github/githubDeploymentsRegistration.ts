import { defineSource } from '../registry';
import { GithubDeploymentsSource } from './GithubDeploymentsSource';

export const githubDeploymentsRegistration = defineSource({
  id: 'github',
  create: ({ githubClients, logger, settings }) =>
    new GithubDeploymentsSource(githubClients, {
      logger,
      historyDays: settings.historyDays,
      timeoutMs: settings.upstreamTimeoutMs,
    }),
});
