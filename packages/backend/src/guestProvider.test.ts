import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import { JsonObject } from '@backstage/config';
import { guestProviderWhereConfigured } from './guestProvider';

/** The providers offered, as the auth backend would collect them. */
async function providersWith(config: JsonObject) {
  const providerIds: string[] = [];
  const auth = createBackendPlugin({
    pluginId: 'auth',
    register(reg) {
      reg.registerExtensionPoint(authProvidersExtensionPoint, {
        registerProvider: ({ providerId }) => providerIds.push(providerId),
      });
      reg.registerInit({ deps: {}, async init() {} });
    },
  });
  const backend = await startTestBackend({
    features: [
      auth,
      guestProviderWhereConfigured,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  await backend.stop();
  return providerIds;
}

describe('guestProviderWhereConfigured', () => {
  it('offers guest sign-in where the configuration declares it (the sandbox)', async () => {
    await expect(
      providersWith({
        auth: { providers: { guest: { userEntityRef: 'user:default/guest' } } },
      }),
    ).resolves.toEqual(['guest']);
  });

  it('offers no guest sign-in, and still starts, without it (production)', async () => {
    await expect(
      providersWith({ auth: { environment: 'production' } }),
    ).resolves.toEqual([]);
  });
});
