import { GithubAuth } from '@backstage/core-app-api';
import { SignInPage } from '@backstage/core-components';
import {
  configApiRef,
  discoveryApiRef,
  githubAuthApiRef,
  oauthRequestApiRef,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import {
  NavContentBlueprint,
  SignInPageBlueprint,
} from '@backstage/plugin-app-react';
import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSpace,
} from '@backstage/core-components';
import MenuIcon from '@material-ui/icons/Menu';
import NotificationsIcon from '@material-ui/icons/Notifications';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';
import { companyAuthApi, companyProvider } from './companyAuth';

/**
 * GitHub sign-in, so approvers act as themselves and their GitHub token can review deploys.
 * The backend resolves the GitHub login to the catalog user of the same name.
 */
export const githubProvider = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * The app's GitHub auth, asking for `repo` at sign-in: approving a deploy as a GitHub required
 * reviewer needs it, and asking up front spares approvers a second consent popup at the moment
 * they approve. Replaces the default `api:app/github-auth` (which asks for `read:user` only).
 */
const githubAuthApi = ApiBlueprint.make({
  name: 'github-auth',
  params: defineParams =>
    defineParams({
      api: githubAuthApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
        configApi: configApiRef,
      },
      factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
        GithubAuth.create({
          configApi,
          discoveryApi,
          oauthRequestApi,
          defaultScopes: ['read:user', 'repo'],
          environment: configApi.getOptionalString('auth.environment'),
        }),
    }),
});

/**
 * Company sign-in for everyone (auditors have no GitHub account), GitHub next to it; guest only
 * where the configuration offers it (`lexecon.signIn.guest`: the sandbox).
 */
export function LexeconSignInPage(props: SignInPageProps) {
  const guest =
    useApi(configApiRef).getOptionalBoolean('lexecon.signIn.guest') ?? false;
  return (
    <SignInPage
      {...props}
      auto
      providers={[
        companyProvider,
        githubProvider,
        ...(guest ? (['guest'] as const) : []),
      ]}
    />
  );
}

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => <LexeconSignInPage {...props} />,
  },
});

const navContent = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      const nav = navItems.withComponent(item => (
        <SidebarItem icon={() => item.icon} to={item.href} text={item.title} />
      ));
      // The bell replaces the page's plain item: it counts unread notifications, updated
      // through signals, and opens the page with its settings (where a topic is muted).
      const hasNotifications = nav.take('page:notifications') !== null;
      return (
        <Sidebar>
          <SidebarGroup label="Menu" icon={<MenuIcon />}>
            {nav.take('page:catalog')}
            <SidebarDivider />
            <SidebarScrollWrapper>
              {nav.rest({ sortBy: 'title' })}
            </SidebarScrollWrapper>
          </SidebarGroup>
          <SidebarSpace />
          <SidebarDivider />
          {hasNotifications && (
            <NotificationsSidebarItem
              // The count is in the item's words: Backstage's default puts it in a tag beside
              // them, so the visible text is no longer part of the item's name (WCAG 2.5.3).
              renderItem={({ unreadCount, to, onClick }) => (
                <SidebarItem
                  icon={NotificationsIcon}
                  to={to}
                  onClick={onClick}
                  text={
                    unreadCount
                      ? `Notifications (${unreadCount})`
                      : 'Notifications'
                  }
                />
              )}
            />
          )}
          <SidebarDivider />
          <SidebarGroup
            label="Settings"
            icon={<UserSettingsSignInAvatar />}
            to="/settings"
          >
            {nav.take('page:user-settings')}
          </SidebarGroup>
        </Sidebar>
      );
    },
  },
});

export const appModule = createFrontendModule({
  pluginId: 'app',
  extensions: [githubAuthApi, companyAuthApi, signInPage, navContent],
});
