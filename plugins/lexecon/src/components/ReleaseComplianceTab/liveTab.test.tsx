import { signalApiRef } from '@backstage/plugin-signals-react';
import { liveEntityChannel } from '@internal/plugin-lexecon-common';
import { act, screen } from '@testing-library/react';
import {
  deploymentsData,
  deploymentsSection,
  FakeLexeconApi,
  overview,
} from '../../__fixtures__/deployments';
import { renderWithLexecon } from '../../__testUtils__/render';
import { FakeSignalApi } from '../../__testUtils__/signals';
import { LIVE_REFETCH_DEBOUNCE_MS } from '../shared/useLiveRefetch';
import { ReleaseComplianceTab } from './ReleaseComplianceTab';

describe('the Release & Compliance tab, live', () => {
  afterEach(() => jest.useRealTimers());

  it('shows what a refresh elsewhere stored once the backend signals it, without asking upstream', async () => {
    const api = new FakeLexeconApi();
    const refresh = jest.spyOn(api, 'refresh');
    const signals = new FakeSignalApi();
    await renderWithLexecon(<ReleaseComplianceTab />, api, undefined, [
      [signalApiRef, signals],
    ]);
    expect(
      await screen.findByTestId('live-version-production'),
    ).toHaveTextContent('v1.7.2');

    jest.useFakeTimers();
    jest.spyOn(api, 'getOverview').mockResolvedValue(
      overview(
        deploymentsSection({
          data: {
            ...deploymentsData,
            environments: deploymentsData.environments.map(e =>
              e.environment === 'production'
                ? { ...e, live: { ...e.live!, version: 'v1.8.0' } }
                : e,
            ),
          },
        }),
      ),
    );
    signals.publish(liveEntityChannel('component:default/payments-api'), {
      kind: 'snapshot-changed',
      entityRef: 'component:default/payments-api',
      source: 'github',
    });
    act(() => jest.advanceTimersByTime(LIVE_REFETCH_DEBOUNCE_MS));

    expect(
      await screen.findByText('v1.8.0', {
        selector: '[data-testid="live-version-production"] *',
      }),
    ).toBeInTheDocument();
    expect(refresh).not.toHaveBeenCalled();
  });
});
