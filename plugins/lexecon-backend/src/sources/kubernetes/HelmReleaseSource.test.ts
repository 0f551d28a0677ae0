import { Sandbox, startSandbox } from '@internal/sandbox';
import { lexeconApiEntity } from '../../__fixtures__/entities';
import { resolveEntityTarget } from '../../EntityTarget';
import { HelmReleaseSource } from './HelmReleaseSource';

jest.setTimeout(30_000);

describe('HelmReleaseSource against the sandbox', () => {
  let sandbox: Sandbox;
  const target = resolveEntityTarget(lexeconApiEntity);

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  function source(overrides: { token?: string; ca?: string } = {}) {
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
