import { defineSource } from '../registry';
import { readAwsCostConfig } from './awsCostConfig';
import { CostExplorerSource } from './CostExplorerSource';

/** Cost Explorer bills every request, and its data changes a few times a day: once a day. */
export const awsCostRegistration = defineSource({
  id: 'aws-cost',
  schedule: {
    frequency: { hours: 24 },
    timeout: { hours: 1 },
  },
  create: ({ config, costFacts, awsCostInsights, requestBudget }) =>
    new CostExplorerSource({
      config: readAwsCostConfig(config),
      facts: costFacts,
      insights: awsCostInsights,
      budget: requestBudget,
    }),
});
