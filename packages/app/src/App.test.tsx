import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createApp } from '@backstage/frontend-defaults';
import App from './App';
import { appModule } from './modules/appModule';

describe('App', () => {
  jest.setTimeout(30_000);

  const withConfig = (data: object) => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Lexecon Release & Compliance' },
            backend: { baseUrl: 'http://localhost:7007' },
            ...data,
          },
          context: 'test',
        },
      ] as unknown as string,
    };
  };
  beforeEach(() => withConfig({}));
  afterEach(() => jest.restoreAllMocks());

  /** The sign-in page's card titled `title`. */
  const card = async (title: string) =>
    within(
      (await screen.findByText(title, {}, { timeout: 20_000 })).closest('li')!,
    );

  it('starts on the sign-in page offering company sign-in and GitHub, and no guest', async () => {
    render(App.createRoot());

    const company = await card('Company sign-in');
    expect(
      company.getByText('Sign in with your Lexecon company account'),
    ).toBeInTheDocument();
    expect(
      company.getByRole('button', { name: /sign in/i }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Sign in with your GitHub account'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Enter as a Guest User/)).not.toBeInTheDocument();
  });

  it('offers guest sign-in where the configuration says so (the sandbox)', async () => {
    withConfig({ lexecon: { signIn: { guest: true } } });
    // An app keeps the configuration it first read: a new one reads this test's.
    render(createApp({ features: [appModule] }).createRoot());

    expect(
      await screen.findByText(/Enter as a Guest User/, {}, { timeout: 20_000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /enter/i })).toBeInTheDocument();
  });

  /** Clicks a card's "Sign in" and returns the popup's URL (its path and the scopes asked). */
  async function popupOf(title: string) {
    const open = jest.spyOn(window, 'open').mockReturnValue(null);
    render(App.createRoot());
    await userEvent.click(
      (await card(title)).getByRole('button', { name: /sign in/i }),
    );
    await waitFor(() => expect(open).toHaveBeenCalled());
    const url = new URL(String(open.mock.calls[0][0]));
    return {
      path: url.pathname,
      scopes: url.searchParams.get('scope')?.split(' ').sort(),
    };
  }

  it("signs in with the company account through the backend's oidc provider", async () => {
    expect(await popupOf('Company sign-in')).toEqual({
      path: '/api/auth/oidc/start',
      scopes: ['email', 'openid', 'profile'],
    });
  });

  it('asks GitHub for the repo scope at sign-in, so approvers can review deploys', async () => {
    expect(await popupOf('GitHub')).toEqual({
      path: '/api/auth/github/start',
      scopes: ['read:user', 'repo'],
    });
  });
});
