import { readUnleashConfig } from '../../reliabilityConfig';
import { defineSource } from '../registry';
import { UnleashFlagsSource } from './UnleashFlagsSource';

export const unleashRegistration = defineSource({
  id: 'unleash',
  create: ({ config, upstream }) =>
    new UnleashFlagsSource(readUnleashConfig(config), upstream),
});
