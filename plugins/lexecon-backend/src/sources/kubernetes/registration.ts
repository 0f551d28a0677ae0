import { globMatcher } from '../allowLists';
import { defineSource } from '../registry';
import { HelmReleaseSource } from './HelmReleaseSource';

export const helmReleaseRegistration = defineSource({
  id: 'kubernetes',
  allowList: {
    key: 'lexecon.kubernetes.allowedNamespaces',
    whenUnset: 'all',
    showList: true,
    requested: ({ kubernetes }) =>
      Object.entries(kubernetes?.namespaces ?? {}).map(([env, namespace]) => ({
        value: namespace,
        named: `the ${env} namespace ${namespace} of Helm release ${
          kubernetes!.release
        }`,
      })),
    matcher: globMatcher({ ignoreCase: false }),
  },
  create: ({ settings, upstream }) =>
    new HelmReleaseSource(settings.kubernetesClusters, upstream),
});
