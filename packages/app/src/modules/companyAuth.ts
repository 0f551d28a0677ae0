import { OAuth2 } from '@backstage/core-app-api';
import {
  BackstageIdentityApi,
  configApiRef,
  createApiRef,
  discoveryApiRef,
  oauthRequestApiRef,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/core-plugin-api';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';

/** Sign-in with the company's OpenID Connect identity provider (the backend's `oidc` provider). */
export const companyAuthApiRef = createApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
>({ id: 'lexecon.auth.company' });

/** The sign-in page's card for it: everyone has a company account, auditors included. */
export const companyProvider = {
  id: 'company-auth-provider',
  title: 'Company sign-in',
  message: 'Sign in with your Lexecon company account',
  apiRef: companyAuthApiRef,
};

export const companyAuthApi = ApiBlueprint.make({
  name: 'company-auth',
  params: defineParams =>
    defineParams({
      api: companyAuthApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
        configApi: configApiRef,
      },
      factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
        OAuth2.create({
          configApi,
          discoveryApi,
          oauthRequestApi,
          provider: { id: 'oidc', title: 'Company account', icon: () => null },
          defaultScopes: ['openid', 'profile', 'email'],
          environment: configApi.getOptionalString('auth.environment'),
        }),
    }),
});
