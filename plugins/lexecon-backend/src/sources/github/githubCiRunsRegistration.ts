import { readCiRunRetentionMs } from '../../delivery/ciRunRetention';
import { defineSource } from '../registry';
import { allowedOrganizations } from './allowedOrganizations';
import { GithubCiRunsSource } from './GithubCiRunsSource';

/**
 * Hourly: the CI health figures are weekly trends and the last ten runs, and an hour's new runs
 * cost one list request (a 304 when there are none) and one jobs request per new run.
 */
export const githubCiRunsRegistration = defineSource({
  id: 'github-ci-runs',
  allowList: allowedOrganizations,
  schedule: { frequency: { hours: 1 }, timeout: { minutes: 30 } },
  create: ({ githubClients, settings, config, ciRuns }) =>
    new GithubCiRunsSource(githubClients, {
      store: ciRuns,
      defaultWorkflow: settings.approvals.ciWorkflow,
      historyDays: settings.historyDays,
      retentionMs: readCiRunRetentionMs(config),
      timeoutMs: settings.upstreamTimeoutMs,
    }),
});
