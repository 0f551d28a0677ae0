import { renderInTestApp } from '@backstage/test-utils';
import {
  screen,
  waitForElementToBeRemoved,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { flagsSection } from '../../__fixtures__/reliability';
import { FeatureFlagsCard } from './FeatureFlagsCard';

/** Each flag row as a person reads it: name, state per environment, last change. */
function flagRowsText() {
  return screen.getAllByTestId('flag-row').map(row => row.textContent);
}

/** The card's one warning panel: its title shows, its message once the person opens it. */
async function expectWarning(title: string, message: string) {
  const panel = screen.getByRole('alert');
  const summary = within(panel).getByRole('button', {
    name: new RegExp(`: ${title}$`),
  });
  await userEvent.click(summary);
  expect(within(panel).getByText(message)).toBeVisible();
}

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

  it('opens a flag’s history from the keyboard, named after the flag, and closes it with Escape', async () => {
    await renderInTestApp(<FeatureFlagsCard section={flagsSection} />);
    const history = screen.getByRole('button', {
      name: 'Change history of enable_async_auth',
    });
    history.focus();
    await userEvent.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', {
      name: 'Change history of enable_async_auth',
    });
    expect(within(dialog).getAllByTestId('flag-change')).toHaveLength(2);
    await userEvent.keyboard('{Escape}');
    await waitForElementToBeRemoved(() => screen.queryByRole('dialog'));
  });

  it('keeps the flags table when a refresh is refused by Unleash, and says why it may be out of date', async () => {
    const { rerender } = await renderInTestApp(
      <FeatureFlagsCard section={flagsSection} />,
    );
    const before = flagRowsText();
    expect(before).toHaveLength(2);
    expect(screen.queryByText(/may be out of date/)).toBeNull();

    // What the backend answers after Unleash refused the token: the last good flags, stale.
    rerender(
      <FeatureFlagsCard
        section={{
          ...flagsSection,
          status: 'stale',
          message: 'Unleash rejected the API token (401)',
          sources: [
            {
              ...flagsSection.sources[0],
              status: 'stale',
              message: 'Unleash rejected the API token (401)',
            },
          ],
        }}
      />,
    );

    expect(
      screen.getByRole('table', { name: 'Feature flags' }),
    ).toBeInTheDocument();
    expect(flagRowsText()).toEqual(before);
    await expectWarning(
      'Feature flags may be out of date',
      'Unleash rejected the API token (401)',
    );
  });

  it('says the flags are unavailable, and why, when Unleash refused the first fetch', async () => {
    await renderInTestApp(
      <FeatureFlagsCard
        section={{
          status: 'error',
          message: 'Unleash rejected the API token (401)',
          sources: [{ source: 'unleash', status: 'error' }],
        }}
      />,
    );
    await expectWarning(
      'Feature flags unavailable',
      'Unleash rejected the API token (401)',
    );
    expect(screen.queryByRole('table', { name: 'Feature flags' })).toBeNull();
  });

  it('says when the Unleash project has no flags', async () => {
    await renderInTestApp(
      <FeatureFlagsCard
        section={{
          ...flagsSection,
          data: { ...flagsSection.data!, flags: [] },
        }}
      />,
    );
    expect(
      screen.getByText('The Unleash project lexecon has no flags.'),
    ).toBeVisible();
  });
});
