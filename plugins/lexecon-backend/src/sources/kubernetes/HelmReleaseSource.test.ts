import { Sandbox, startSandbox } from '@internal/sandbox';
import { lexeconApiEntity } from '../../__fixtures__/entities';
import { resolveEntityTarget } from '../../EntityTarget';
import { HelmReleaseSource } from './HelmReleaseSource';

jest.setTimeout(30_000);

const target = resolveEntityTarget(lexeconApiEntity);

function helmSource(
  sandbox: Sandbox,
  overrides: { token?: string; ca?: string } = {},
) {
  return new HelmReleaseSource(
    [
      {
        name: 'sandbox',
        url: sandbox.kubernetesUrl,
        environments: ['staging', 'production'],
        serviceAccountToken: overrides.token ?? sandbox.kubernetesToken,
        caPem: overrides.ca ?? sandbox.kubernetesCaPem,
        skipTLSVerify: false,
      },
    ],
    { timeoutMs: 1500, retries: 1 },
  );
}

describe('HelmReleaseSource against the sandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  const source = (overrides?: { token?: string; ca?: string }) =>
    helmSource(sandbox, overrides);

  it('reads every revision of the release with its rollbacks, decoded from the Secrets', async () => {
    const snapshot = await source().fetch(target);
    const production = snapshot.environments.production;
    expect(production.namespace).toBe('lexecon-production');
    const revisions = production.revisions.map(r => r.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(
      production.revisions.filter(r => r.status === 'deployed'),
    ).toHaveLength(1);
    const { autoRollback, manualRollback } = sandbox.world.facts;
    const failed = production.revisions.find(
      r => r.revision === autoRollback.failedRevision,
    )!;
    expect(failed.status).toBe('failed');
    const auto = production.revisions.find(
      r => r.revision === autoRollback.rollbackRevision,
    )!;
    expect(auto.rollbackTo).toBe(autoRollback.rolledBackTo);
    const manual = production.revisions.find(
      r => r.revision === manualRollback.revision,
    )!;
    expect(manual.description).toBe(
      `Rollback to ${manualRollback.rolledBackTo}`,
    );
    expect(
      production.revisions.every(r => r.sha && /^[0-9a-f]{40}$/.test(r.sha)),
    ).toBe(true);
    expect(snapshot.environments.staging.revisions).toHaveLength(20);
  });

  it('explains a rejected service-account token', async () => {
    await expect(source({ token: 'wrong' }).fetch(target)).rejects.toThrow(
      /rejected the service account token \(401\)/,
    );
  });

  it('refuses a server whose certificate the configured CA does not vouch for', async () => {
    const other = await startSandbox({ quiet: true });
    try {
      await expect(
        source({ ca: other.kubernetesCaPem }).fetch(target),
      ).rejects.toThrow(/Could not reach Kubernetes/);
    } finally {
      await other.stop();
    }
  });

  it('retries a 503 once and then reports it', async () => {
    sandbox.setFaults([{ source: 'kubernetes', kind: '5xx', status: 503 }]);
    await expect(source().fetch(target)).rejects.toThrow(
      /Kubernetes failed with 503/,
    );
    expect(
      sandbox.requests().filter(r => r.source === 'kubernetes'),
    ).toHaveLength(2);
  });

  it('recovers when a retry succeeds, and reports malformed bodies', async () => {
    sandbox.setFaults([{ source: 'kubernetes', kind: 'reset', times: 1 }]);
    const snapshot = await source().fetch(target);
    expect(snapshot.environments.production.revisions.length).toBeGreaterThan(
      0,
    );
    sandbox.setFaults([{ source: 'kubernetes', kind: 'malformed' }]);
    await expect(source().fetch(target)).rejects.toThrow(/malformed response/);
  });
});

describe('HelmReleaseSource paging', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    // The source asks for 50 Secrets a page; a server may answer with fewer and a continue token.
    sandbox = await startSandbox({ quiet: true, maxPageSize: 10 });
  });
  afterAll(() => sandbox.stop());

  it('follows the continue token to the last page of release Secrets', async () => {
    const snapshot = await helmSource(sandbox).fetch(target);
    const { kubernetesUrl } = sandbox;
    const requests = sandbox.requests();
    for (const [environment, namespace] of [
      ['production', 'lexecon-production'],
      ['staging', 'lexecon-staging'],
    ]) {
      const seeded = sandbox.world.helm[namespace].map(r => r.revision);
      expect(seeded.length).toBeGreaterThan(10);
      expect(
        snapshot.environments[environment].revisions.map(r => r.revision),
      ).toEqual([...seeded].sort((a, b) => a - b));
      const pages = requests.filter(r =>
        r.path.startsWith(`/api/v1/namespaces/${namespace}/`),
      );
      expect(pages).toHaveLength(Math.ceil(seeded.length / 10));
      expect(
        pages.map(r =>
          new URL(r.path, kubernetesUrl).searchParams.has('continue'),
        ),
      ).toEqual(pages.map((_, i) => i > 0));
    }
  });
});
