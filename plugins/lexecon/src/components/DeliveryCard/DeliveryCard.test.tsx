import { EntityDelivery } from '@internal/plugin-lexecon-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entityDelivery } from '../../__fixtures__/delivery';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { renderWithLexecon } from '../../__testUtils__/render';
import { DeliveryCard } from './DeliveryCard';

const ENTITY = {
  kind: 'Component',
  namespace: 'default',
  name: 'payments-api',
};

async function renderCard(delivery: EntityDelivery | Error) {
  const api = new FakeLexeconApi({ delivery });
  await renderWithLexecon(<DeliveryCard entityRef={ENTITY} />, api);
  return api;
}

describe('DeliveryCard', () => {
  it('shows the four keys with their band in words and a described 12-week sparkline each', async () => {
    await renderCard(entityDelivery);
    const frequency = screen.getByTestId('delivery-key-deployment-frequency');
    expect(frequency).toHaveTextContent('0.50 a day');
    expect(frequency).toHaveTextContent('High performer');
    expect(
      within(frequency).getByRole('img', {
        name: /^Deployment frequency, last 12 weeks: 2026-W37: 0.50 a day;/,
      }),
    ).toBeInTheDocument();
    const failures = screen.getByTestId('delivery-key-change-failure-rate');
    expect(failures).toHaveTextContent('50.0%');
    expect(failures).toHaveTextContent('Low performer');
    expect(
      screen.getByTestId('delivery-key-time-to-restore'),
    ).toHaveTextContent(/30 min.*Elite performer/);
    const lead = screen.getByTestId('delivery-key-lead-time');
    expect(lead).toHaveTextContent('No successful deploys with dated commits');
    expect(lead).toHaveTextContent('No band');
  });

  it('opens the deploys behind the change failure rate with their links upstream', async () => {
    await renderCard(entityDelivery);
    expect(screen.queryByTestId('delivery-facts')).not.toBeInTheDocument();
    const failures = screen.getByTestId('delivery-key-change-failure-rate');
    await userEvent.click(
      within(failures).getByRole('button', {
        name: 'Show 2 facts behind Change failure rate',
      }),
    );
    const list = within(failures).getByTestId('delivery-facts');
    const links = within(list).getAllByRole('link');
    // The failure first, then the deploy that did not fail.
    expect(links.map(l => l.textContent)).toEqual([
      'v1.5.0 to production, Opens in a new window',
      'v1.4.0 to production, Opens in a new window',
    ]);
    expect(links[0]).toHaveAttribute(
      'href',
      'https://github.com/acme/payments/actions/runs/12',
    );
    expect(list).toHaveTextContent('(rolled_back)');
    // Only the failed one says why it counts.
    expect(
      within(list)
        .getAllByTestId('delivery-fact-note')
        .map(n => n.textContent),
    ).toEqual([
      'Counted as a failure: it was rolled back; an incident followed it (SEV-2 Payments failing)',
    ]);
    expect(within(list).getAllByRole('listitem')[0]).toContainElement(
      within(list).getByTestId('delivery-fact-note'),
    );
  });

  it('says why the CI figures are missing and reads readiness against the gate', async () => {
    await renderCard(entityDelivery);
    const card = screen.getByTestId('delivery-card');
    expect(card).toHaveTextContent(
      'CI pass rate (last 10 runs): CI runs are not read yet',
    );
    expect(card).toHaveTextContent('Rollbacks: 1');
    expect(screen.getByTestId('delivery-readiness')).toHaveTextContent(
      'Latest 72 of 100, gate 80: below the gate',
    );
  });

  it('names the annotations to add when no deploy source is configured', async () => {
    await renderCard({
      ...entityDelivery,
      status: 'not-configured',
      missingAnnotations: ['github.com/project-slug'],
      data: undefined,
    });
    expect(screen.getByTestId('delivery-card')).toHaveTextContent(
      'github.com/project-slug',
    );
    expect(
      screen.queryByTestId('delivery-key-lead-time'),
    ).not.toBeInTheDocument();
  });

  it('shows why the delivery could not be read and reads it again on Retry', async () => {
    const api = await renderCard(new Error('Backend unavailable'));
    expect(screen.getByTestId('delivery-card')).toHaveTextContent(
      'Backend unavailable',
    );
    expect(api.deliveryQueries).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(api.deliveryQueries).toHaveLength(2);
  });
});
