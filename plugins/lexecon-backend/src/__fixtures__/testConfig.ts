import type { Sandbox } from '@internal/sandbox';

/** The audit key of every test backend, so that tests can write and verify records too. */
export const TEST_AUDIT_HMAC_KEY = 'test-audit-key-0123456789abcdef0123456789';

/** Backend config pointing every upstream at a running sandbox. */
export function sandboxConfig(
  sandbox: Sandbox,
  overrides: Record<string, unknown> = {},
) {
  const githubHost = new URL(sandbox.githubUrl).host;
  return {
    integrations: {
      github: [
        {
          host: githubHost,
          apiBaseUrl: sandbox.githubUrl,
          token: sandbox.githubToken,
        },
      ],
    },
    lexecon: {
      github: { host: githubHost },
      upstreamTimeoutMs: 2000,
      upstreamRetries: 1,
      audit: { hmacKey: TEST_AUDIT_HMAC_KEY },
      // A test's refresh follows its previous one at once; the interval has tests of its own.
      refresh: { onDemandWait: { seconds: 20 }, minInterval: { seconds: 0 } },
      kubernetes: {
        clusters: [
          {
            name: 'sandbox',
            url: sandbox.kubernetesUrl,
            environments: ['staging', 'production'],
            serviceAccountToken: sandbox.kubernetesToken,
            caData: sandbox.kubernetesCaPem,
          },
        ],
      },
      ...overrides,
    },
  };
}
