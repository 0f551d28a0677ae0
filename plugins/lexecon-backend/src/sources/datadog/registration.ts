import { readDatadogConfig } from '../../reliabilityConfig';
import { defineSource } from '../registry';
import { DatadogDecisionsSource } from './DatadogDecisionsSource';
import { DatadogSloSource } from './DatadogSloSource';

export const datadogRegistration = defineSource({
  id: 'datadog',
  create: ({ config, upstream }) =>
    new DatadogSloSource(readDatadogConfig(config), upstream),
});

/** A past day's count does not change: once a day reads the days not stored yet. */
export const datadogDecisionsRegistration = defineSource({
  id: 'datadog-decisions',
  schedule: {
    frequency: { hours: 24 },
    timeout: { minutes: 30 },
  },
  create: ({ config, upstream, decisionCounts }) =>
    new DatadogDecisionsSource({
      config: readDatadogConfig(config),
      metric:
        config.getOptionalString('lexecon.datadog.decisionMetric') || undefined,
      store: decisionCounts,
      upstream,
    }),
});
