import { globMatcher } from '../allowLists';
import { defineSource } from '../registry';
import { readOpenCostConfig } from './opencostConfig';
import { OpenCostSource } from './OpenCostSource';

/** Allocations of past days do not change: once a day reads yesterday's. */
export const opencostRegistration = defineSource({
  id: 'opencost',
  schedule: {
    frequency: { hours: 24 },
    timeout: { hours: 1 },
  },
  // The namespaces the portal may read of the cluster are the Helm source's.
  allowList: {
    key: 'lexecon.kubernetes.allowedNamespaces',
    whenUnset: 'all',
    showList: true,
    requested: ({ opencostNamespaces }) =>
      (opencostNamespaces ?? []).map(namespace => ({
        value: namespace,
        named: `the namespace ${namespace} of lexecon.io/kubernetes-namespaces`,
      })),
    matcher: globMatcher({ ignoreCase: false }),
  },
  create: ({ config, costFacts, kubernetesAllocations, upstream }) =>
    new OpenCostSource({
      config: readOpenCostConfig(config),
      upstream,
      facts: costFacts,
      allocations: kubernetesAllocations,
    }),
});
