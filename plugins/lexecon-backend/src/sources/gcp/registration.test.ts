import { ConfigReader } from '@backstage/config';
import { CostFactStore } from '../../cost/CostFactStore';
import { createSource, SourceContext } from '../registry';
import { sourceSchedule } from '../scheduleSources';
import { SOURCE_REGISTRATIONS } from '../index';
import { readGcpBillingConfig } from './gcpBillingConfig';
import { gcpBillingRegistration } from './registration';

const defaults = {
  frequency: { minutes: 2 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 5 },
};

const billing = {
  projectId: 'acme-billing',
  dataset: 'billing_export',
  table: 'gcp_billing_export_v1_0123',
};

function build(config: object) {
  return createSource(gcpBillingRegistration, {
    config: new ConfigReader(config),
    costFacts: {} as CostFactStore,
    upstream: { timeoutMs: 10_000, retries: 2 },
  } as unknown as SourceContext);
}

describe('the gcp-billing registration', () => {
  it('is registered, and runs daily unless lexecon.sources.gcp-billing.schedule says otherwise', () => {
    expect(SOURCE_REGISTRATIONS).toContain(gcpBillingRegistration);
    expect(
      sourceSchedule(gcpBillingRegistration, new ConfigReader({}), defaults),
    ).toEqual({
      frequency: { hours: 24 },
      timeout: { hours: 1 },
      initialDelay: { seconds: 5 },
    });
    const twiceADay = new ConfigReader({
      lexecon: {
        sources: { 'gcp-billing': { schedule: { frequency: { hours: 12 } } } },
      },
    });
    expect(
      sourceSchedule(gcpBillingRegistration, twiceADay, defaults).frequency,
    ).toEqual({ hours: 12 });
  });

  it('is never read for a page view, and is off without lexecon.gcp.billing', () => {
    const target = {
      entityRef: 'component:default/lexecon-api',
      environments: [],
      gcpBillingLabels: ['service=lexecon-api'],
    };
    const off = build({});
    expect(off.scheduledOnly).toBe(true);
    expect(off.notConfiguredReason(target)?.message).toMatch(
      /^The GCP billing export is not configured: set lexecon.gcp.billing/,
    );
    const on = build({ lexecon: { gcp: { billing } } });
    expect(on.notConfiguredReason(target)).toBeUndefined();
  });
});

describe('readGcpBillingConfig', () => {
  const read = (value: object) =>
    readGcpBillingConfig(
      new ConfigReader({ lexecon: { gcp: { billing: value } } }),
    );

  it('leaves credentials to Application Default Credentials and Google’s endpoint', () => {
    expect(read(billing)).toEqual({
      projectId: 'acme-billing',
      table: 'billing_export.gcp_billing_export_v1_0123',
      location: undefined,
      maximumBytesBilled: 10 * 1024 ** 3,
      componentLabel: 'component',
      apiEndpoint: undefined,
      accessToken: undefined,
    });
  });

  it('reads the sandbox’s endpoint and token, the byte cap and the label, and refuses a bad cap', () => {
    expect(
      read({
        ...billing,
        location: 'EU',
        maximumBytesBilled: 50_000_000,
        componentLabel: 'part',
        apiEndpoint: 'http://127.0.0.1:7108',
        accessToken: 'sandbox-gcp-access-token',
      }),
    ).toMatchObject({
      location: 'EU',
      maximumBytesBilled: 50_000_000,
      componentLabel: 'part',
      apiEndpoint: 'http://127.0.0.1:7108',
      accessToken: 'sandbox-gcp-access-token',
    });
    expect(() => read({ ...billing, maximumBytesBilled: 0 })).toThrow(
      'lexecon.gcp.billing.maximumBytesBilled must be a whole number of bytes, 1 or more',
    );
  });
});
