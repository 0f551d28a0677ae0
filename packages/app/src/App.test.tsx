import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  jest.setTimeout(30_000);

  it('starts on the sign-in page offering Guest and GitHub', async () => {
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
});
