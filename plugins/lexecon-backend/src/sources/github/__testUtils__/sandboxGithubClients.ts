import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Sandbox } from '@internal/sandbox';
import { GithubClientFactory } from '../GithubClientFactory';

/** GitHub clients of the sandbox's GitHub, without retries: a fault a test sets is seen once. */
export function sandboxGithubClients(
  sandbox: Sandbox,
  timeoutMs = 2000,
): GithubClientFactory {
  const host = new URL(sandbox.githubUrl).host;
  return new GithubClientFactory(
    new ConfigReader({
      integrations: {
        github: [
          { host, apiBaseUrl: sandbox.githubUrl, token: sandbox.githubToken },
        ],
      },
    }),
    { host, logger: mockServices.logger.mock(), timeoutMs, retries: 0 },
  );
}

/**
 * The seeded world's completed production deploy runs of the last `days` (from the start of
 * that day, as the github source asks for them), oldest first.
 */
export function productionDeployRuns(sandbox: Sandbox, now: Date, days = 90) {
  const since = new Date(now.getTime() - days * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return sandbox.world.runs
    .filter(
      r =>
        r.workflowFile === 'deploy-prod.yml' &&
        r.status === 'completed' &&
        (r.conclusion === 'success' || r.conclusion === 'failure') &&
        Date.parse(r.createdAt) >= Date.parse(since),
    )
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}
