import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { flagsSection } from '../../__fixtures__/reliability';
import { FeatureFlagsCard } from './FeatureFlagsCard';

describe('FeatureFlagsCard', () => {
  it('shows each flag per environment with its last change, and opens its history', async () => {
    await renderInTestApp(<FeatureFlagsCard section={flagsSection} />);
    expect(
      screen.getByTestId('flag-enable_async_auth-production'),
    ).toHaveTextContent('ongradual rollout 25%');
    expect(
      screen.getByTestId('flag-enable_legacy_pdf_export-production'),
    ).toHaveTextContent('off');
    expect(screen.getByText('stale')).toBeInTheDocument();
    const row = screen.getAllByTestId('flag-row')[0];
    expect(row).toHaveTextContent('maya.chen@lexecon.io');
    await userEvent.click(row);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByTestId('flag-change')).toHaveLength(2);
    expect(
      within(dialog).getByText('enabled in production'),
    ).toBeInTheDocument();
  });

  it('keeps the page when Unleash rejects the token', async () => {
    await renderInTestApp(
      <FeatureFlagsCard
        section={{
          status: 'error',
          message: 'Unleash rejected the API token (401)',
          sources: [{ source: 'unleash', status: 'error' }],
        }}
      />,
    );
    expect(
      screen.getByText(/Unleash rejected the API token/),
    ).toBeInTheDocument();
  });

  it('shows stale data with a warning', async () => {
    await renderInTestApp(
      <FeatureFlagsCard
        section={{
          ...flagsSection,
          status: 'stale',
          message: 'Unleash answered 502',
        }}
      />,
    );
    expect(screen.getByText(/may be out of date/)).toBeInTheDocument();
    expect(screen.getAllByTestId('flag-row')).toHaveLength(2);
  });
});
