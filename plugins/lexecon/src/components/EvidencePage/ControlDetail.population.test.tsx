import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ChangePopulation } from '@internal/plugin-lexecon-common';
import { screen, within } from '@testing-library/react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { auditControl, changeControlDetail } from '../../__fixtures__/evidence';
import { ControlDetail } from './ControlDetail';

const FROM = '2026-01-01T10:00:00.000Z';

const population: ChangePopulation = {
  generatedAt: changeControlDetail.to,
  query: 'Every deploy to the production environment, ordered by start',
  parameters: {
    from: changeControlDetail.from,
    to: changeControlDetail.to,
    services: [],
  },
  rowCount: 0,
  exceptionCount: 0,
  rows: [],
};

async function renderDetail(controlId: string, api: FakeLexeconApi) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [lexeconApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
      ]}
    >
      <ControlDetail controlId={controlId} query={{ from: FROM }} />
    </TestApiProvider>,
  );
}

describe('ControlDetail with the change population', () => {
  it('shows the population of the control’s window under CC8.1’s items', async () => {
    const api = new FakeLexeconApi({
      evidenceControl: { 'CC8.1': changeControlDetail },
      changePopulation: population,
      changePopulationCompleteness: new Error('GitHub is unreachable'),
    });
    await renderDetail('CC8.1', api);
    const panel = await screen.findByTestId('change-population-panel');
    expect(
      await within(panel).findByTestId('change-population-exceptions'),
    ).toHaveTextContent('No exceptions in the window');
    expect(
      await within(panel).findByText('Error: GitHub is unreachable', {
        selector: 'h6',
      }),
    ).toBeInTheDocument();
    const items = screen.getByRole('table', { name: 'Evidence of CC8.1' });
    // The panel comes after the items table, not inside it.
    expect(items.compareDocumentPosition(panel)).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
    expect(api.populationQueries).toEqual(
      expect.arrayContaining([
        {
          from: changeControlDetail.from,
          to: changeControlDetail.to,
          what: 'json',
        },
        {
          from: changeControlDetail.from,
          to: changeControlDetail.to,
          what: 'completeness',
        },
      ]),
    );
  });

  it('shows no population under a control without the change population item', async () => {
    const api = new FakeLexeconApi({
      evidenceControl: {
        'CC7.2': { ...changeControlDetail, control: auditControl },
      },
    });
    await renderDetail('CC7.2', api);
    await screen.findByTestId('evidence-control-detail');
    expect(
      screen.queryByTestId('change-population-panel'),
    ).not.toBeInTheDocument();
    expect(api.populationQueries).toEqual([]);
  });
});
