import { readDatadogConfig } from '../../reliabilityConfig';
import { defineSource } from '../registry';
import { DatadogSloSource } from './DatadogSloSource';

export const datadogRegistration = defineSource({
  id: 'datadog',
  create: ({ config, upstream }) =>
    new DatadogSloSource(readDatadogConfig(config), upstream),
});
