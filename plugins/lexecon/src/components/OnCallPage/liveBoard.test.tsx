import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { LIVE_ONCALL_CHANNEL } from '@internal/plugin-lexecon-common';
import { act, screen } from '@testing-library/react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { onCallBoard, onCallService } from '../../__fixtures__/reliability';
import { FakeSignalApi } from '../../__testUtils__/signals';
import { LIVE_REFETCH_DEBOUNCE_MS } from '../shared/useLiveRefetch';
import { OnCallPage } from './OnCallPage';

describe('the on-call board, live', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the board again when the backend signals a changed SLA', async () => {
    const healthy = onCallService('Payments API', {
      uptimePercent: 99.95,
      errorBudgetRemainingPercent: 60,
      burnRate: 0.5,
    });
    const breaching = onCallService('Payments API', {
      uptimePercent: 99.5,
      errorBudgetRemainingPercent: -20,
      burnRate: 4,
    });
    const api = new FakeLexeconApi({
      onCall: onCallBoard({ services: [healthy] }),
    });
    const signals = new FakeSignalApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [lexeconApiRef, api],
          [signalApiRef, signals],
        ]}
      >
        <OnCallPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByTestId('oncall-uptime')).toHaveTextContent(
      '99.950%',
    );

    jest.useFakeTimers();
    jest
      .spyOn(api, 'getOnCallBoard')
      .mockResolvedValue(onCallBoard({ services: [breaching] }));
    signals.publish(LIVE_ONCALL_CHANNEL, {
      kind: 'snapshot-changed',
      entityRef: 'component:default/payments-api',
      source: 'datadog',
    });
    act(() => jest.advanceTimersByTime(LIVE_REFETCH_DEBOUNCE_MS));

    expect(
      await screen.findByText(/^99\.500%/, {
        selector: '[data-testid="oncall-uptime"]',
      }),
    ).toBeInTheDocument();
  });
});
