import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import authModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';

/**
 * Guest sign-in only where the configuration offers it (the sandbox's file). The module reads
 * `auth.providers.guest` unconditionally, so loading it without that key would stop the backend.
 */
export const guestProviderWhereConfigured = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.has('auth.providers.guest')) {
      yield authModuleGuestProvider;
    }
  },
});
