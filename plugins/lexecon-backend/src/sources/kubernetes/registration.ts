import { defineSource } from '../registry';
import { HelmReleaseSource } from './HelmReleaseSource';

export const helmReleaseRegistration = defineSource({
  id: 'kubernetes',
  create: ({ settings, upstream }) =>
    new HelmReleaseSource(settings.kubernetesClusters, upstream),
});
