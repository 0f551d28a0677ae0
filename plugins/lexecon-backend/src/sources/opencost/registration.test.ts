import { ConfigReader } from '@backstage/config';
import { CostFactStore } from '../../cost/CostFactStore';
import { KubernetesAllocationStore } from '../../cost/KubernetesAllocationStore';
import { SOURCE_REGISTRATIONS } from '../index';
import { createSource, SourceContext } from '../registry';
import { sourceSchedule } from '../scheduleSources';
import { opencostRegistration } from './registration';

const defaults = {
  frequency: { minutes: 2 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 5 },
};

const target = {
  entityRef: 'component:default/lexecon-api',
  environments: [],
  opencostNamespaces: ['lexecon-staging', 'lexecon-production'],
};

function build(lexecon: object) {
  return createSource(opencostRegistration, {
    config: new ConfigReader({ lexecon }),
    upstream: { timeoutMs: 1000, retries: 0 },
    costFacts: {} as CostFactStore,
    kubernetesAllocations: {} as KubernetesAllocationStore,
  } as unknown as SourceContext);
}

describe('the opencost registration', () => {
  it('is registered, and runs daily unless lexecon.sources.opencost.schedule says otherwise', () => {
    expect(SOURCE_REGISTRATIONS).toContain(opencostRegistration);
    expect(
      sourceSchedule(opencostRegistration, new ConfigReader({}), defaults),
    ).toEqual({
      frequency: { hours: 24 },
      timeout: { hours: 1 },
      initialDelay: { seconds: 5 },
    });
    const hourly = new ConfigReader({
      lexecon: {
        sources: { opencost: { schedule: { frequency: { hours: 1 } } } },
      },
    });
    expect(
      sourceSchedule(opencostRegistration, hourly, defaults).frequency,
    ).toEqual({ hours: 1 });
  });

  it('is never read for a page view, and is off without lexecon.opencost.baseUrl', () => {
    const off = build({});
    expect(off.scheduledOnly).toBe(true);
    expect(off.notConfiguredReason(target)?.message).toMatch(
      /^OpenCost is not configured: set lexecon.opencost.baseUrl/,
    );
    const on = build({ opencost: { baseUrl: 'http://opencost:9003' } });
    expect(on.notConfiguredReason(target)).toBeUndefined();
  });

  it('reads only namespaces lexecon.kubernetes.allowedNamespaces allows', () => {
    const source = build({
      opencost: { baseUrl: 'http://opencost:9003' },
      kubernetes: { allowedNamespaces: ['lexecon-production'] },
    });
    expect(source.notConfiguredReason(target)?.message).toBe(
      'the namespace lexecon-staging of lexecon.io/kubernetes-namespaces is outside lexecon.kubernetes.allowedNamespaces (lexecon-production)',
    );
  });

  it('refuses a base URL that is not http(s), naming the key', () => {
    expect(() =>
      build({ opencost: { baseUrl: 'file:///etc/passwd' } }),
    ).toThrow('lexecon.opencost.baseUrl must be an http(s) URL');
  });
});
