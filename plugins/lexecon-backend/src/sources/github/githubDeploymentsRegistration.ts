import { readCiRunRetentionMs } from '../../delivery/ciRunRetention';
import { defineSource } from '../registry';
import { allowedOrganizations } from './allowedOrganizations';
import { CHECK_PATTERNS } from './commitChecks';
import { GithubDeploymentsSource } from './GithubDeploymentsSource';

export const githubDeploymentsRegistration = defineSource({
  id: 'github',
  allowList: allowedOrganizations,
  // About 24 calls per service on a first read, most of them one after another (a page, then the
  // statuses of what it lists): more services at once keep a 500-service cycle within minutes,
  // and 8 services x 6 calls stays far below GitHub's secondary limit of 100 concurrent requests.
  concurrency: 8,
  create: ({
    githubClients,
    logger,
    settings,
    config,
    deployChangeSets,
    commitReadings,
  }) => {
    const retentionMs = readCiRunRetentionMs(config);
    return new GithubDeploymentsSource(githubClients, {
      logger,
      historyDays: settings.historyDays,
      timeoutMs: settings.upstreamTimeoutMs,
      changeSets: { store: deployChangeSets, retentionMs },
      readiness: {
        ...CHECK_PATTERNS,
        store: commitReadings,
        ciWorkflow: settings.approvals.ciWorkflow,
        retentionMs,
      },
    });
  },
});
