import { LEXECON_UNLEASH_PROJECT_ANNOTATION } from '@internal/plugin-lexecon-common';
import { readUnleashConfig } from '../../reliabilityConfig';
import { globMatcher } from '../allowLists';
import { defineSource } from '../registry';
import { UnleashFlagsSource } from './UnleashFlagsSource';

export const unleashRegistration = defineSource({
  id: 'unleash',
  allowList: {
    key: 'lexecon.unleash.allowedProjects',
    whenUnset: 'all',
    showList: true,
    requested: ({ unleash }) =>
      unleash
        ? [
            {
              value: unleash.project,
              named: `${LEXECON_UNLEASH_PROJECT_ANNOTATION} ${unleash.project}`,
            },
          ]
        : [],
    matcher: globMatcher({ ignoreCase: false }),
  },
  create: ({ config, upstream }) =>
    new UnleashFlagsSource(readUnleashConfig(config), upstream),
});
