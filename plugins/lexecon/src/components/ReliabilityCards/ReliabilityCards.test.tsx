import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { LexeconApi, lexeconApiRef } from '../../api/LexeconApi';
import { entityRef } from '../../__fixtures__/deployments';
import { healthSection, slaSection } from '../../__fixtures__/reliability';
import { ReliabilityCards } from './ReliabilityCards';
import { stubResizeObserver } from '../../__testUtils__/resizeObserver';

describe('ReliabilityCards', () => {
  stubResizeObserver();

  it('keeps the SLA and health on the page when Unleash rejects the token', async () => {
    const api: Pick<LexeconApi, 'getReliability' | 'getOnCallBoard'> = {
      getReliability: async () => ({
        entityRef: 'component:default/payments-api',
        sections: {
          flags: {
            status: 'error',
            message: 'Unleash rejected the API token (401)',
            sources: [{ source: 'unleash', status: 'error' }],
          },
          sla: slaSection(),
          health: healthSection,
        },
      }),
      getOnCallBoard: async () => {
        throw new Error('not used');
      },
    };

    await renderInTestApp(
      <TestApiProvider apis={[[lexeconApiRef, api]]}>
        <ReliabilityCards entityRef={entityRef} />
      </TestApiProvider>,
    );

    expect(await screen.findByTestId('sla-uptime')).toHaveTextContent(
      '99.950%',
    );
    expect(
      screen.getByRole('table', { name: 'Health components' }),
    ).toHaveTextContent('rate_limiter');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Feature flags unavailable',
    );
  });
});
