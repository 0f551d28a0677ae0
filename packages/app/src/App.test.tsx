import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from './App';

describe('App', () => {
  jest.setTimeout(30_000);

  beforeEach(() => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Lexecon Release & Compliance' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as unknown as string,
    };
  });

  it('starts on the sign-in page offering Guest and GitHub', async () => {
    render(App.createRoot());

    expect(
      await screen.findByText(/Enter as a Guest User/, {}, { timeout: 20_000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /enter/i })).toBeInTheDocument();
    expect(
      screen.getByText('Sign in with your GitHub account'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /sign in/i }),
    ).toBeInTheDocument();
  });

  it('asks GitHub for the repo scope at sign-in, so approvers can review deploys', async () => {
    const open = jest.spyOn(window, 'open').mockReturnValue(null);

    render(App.createRoot());
    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: /^sign in$/i },
        { timeout: 20_000 },
      ),
    );

    await waitFor(() => expect(open).toHaveBeenCalled());
    const url = new URL(String(open.mock.calls[0][0]));
    expect(url.pathname).toBe('/api/auth/github/start');
    expect(url.searchParams.get('scope')?.split(' ').sort()).toEqual([
      'read:user',
      'repo',
    ]);
  });
});
