import { defineSource } from '../registry';
import { readGcpBillingConfig } from './gcpBillingConfig';
import { GcpBillingSource } from './GcpBillingSource';

/** The export changes a few times a day and every query is billed: once a day. */
export const gcpBillingRegistration = defineSource({
  id: 'gcp-billing',
  schedule: {
    frequency: { hours: 24 },
    timeout: { hours: 1 },
  },
  create: ({ config, costFacts, upstream }) => {
    const billing = readGcpBillingConfig(config);
    return new GcpBillingSource({
      config: billing && { ...billing, maxRetries: upstream.retries },
      facts: costFacts,
    });
  },
});
