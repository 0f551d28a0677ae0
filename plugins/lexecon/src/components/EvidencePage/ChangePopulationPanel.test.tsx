import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ChangePopulation,
  ChangePopulationCompleteness,
  ChangePopulationRow,
} from '@internal/plugin-lexecon-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { ChangePopulationPanel } from './ChangePopulationPanel';

const FROM = '2026-01-01T10:00:00.000Z';
const TO = '2026-04-01T10:00:00.000Z';
const API = 'component:default/lexecon-api';
const WEB = 'component:default/lexecon-web';

function deploy(
  id: number,
  change: Partial<ChangePopulationRow> = {},
): ChangePopulationRow {
  return {
    entityRef: API,
    deployId: `production:run:${id}`,
    runId: id,
    version: `v1.${id}.0`,
    sha: `${id}`.padEnd(40, 'a'),
    startedAt: `2026-03-${String(id).padStart(2, '0')}T09:00:00Z`,
    result: 'success',
    runUrl: `https://github.com/lexecon-ai/lexecon/actions/runs/${id}`,
    approver: 'sam-lee',
    approvedAt: `2026-03-${String(id).padStart(2, '0')}T08:00:00Z`,
    approvedBeforeDeploy: true,
    approverNotAuthor: true,
    authorsSource: 'waiting-run',
    exceptions: [],
    ...change,
  };
}

const rows = [
  deploy(1),
  deploy(2, {
    approverNotAuthor: false,
    exceptions: [
      'approved by sam-lee, who authored part of the change: SoD exception',
      'readiness override: score 40 below the gate 70',
    ],
  }),
  deploy(3, {
    entityRef: WEB,
    approverNotAuthor: null,
    authorsSource: undefined,
    authorsUnknown: 'GitHub’s compare of v1.2.0...v1.3.0 listed 250 commits',
  }),
  deploy(4, { approverNotAuthor: null, authorsSource: undefined }),
  deploy(5, { approver: undefined, result: 'failure' }),
];

const population: ChangePopulation = {
  generatedAt: TO,
  query: 'Every deploy to the production environment, ordered by start',
  parameters: { from: FROM, to: TO, services: [API, WEB] },
  rowCount: rows.length,
  exceptionCount: 1,
  rows,
};

const complete: ChangePopulationCompleteness = {
  generatedAt: TO,
  from: FROM,
  to: TO,
  complete: true,
  expected: 4,
  found: 4,
  missing: [],
  extra: [],
  unreadable: [],
};

async function renderPanel(
  options: ConstructorParameters<typeof FakeLexeconApi>[0],
) {
  const api = new FakeLexeconApi({
    changePopulation: population,
    changePopulationCompleteness: complete,
    ...options,
  });
  await renderInTestApp(
    <TestApiProvider apis={[[lexeconApiRef, api]]}>
      <ChangePopulationPanel from={FROM} to={TO} />
    </TestApiProvider>,
  );
  return api;
}

describe('ChangePopulationPanel', () => {
  it('counts the deploys, exceptions and unchecked approvers of the window, and says how the rows were selected', async () => {
    const api = await renderPanel({});
    expect(
      await screen.findByTestId('change-population-summary'),
    ).toHaveTextContent(
      '5 production deploys from 2026-01-01 to 2026-04-01, 1 exception, 2 whose approver could not be checked against the authors.',
    );
    expect(
      screen.getByText(
        'Every deploy to the production environment, ordered by start',
      ),
    ).toBeInTheDocument();
    expect(api.populationQueries).toEqual(
      expect.arrayContaining([
        { from: FROM, to: TO, what: 'json' },
        { from: FROM, to: TO, what: 'completeness' },
      ]),
    );
  });

  it('lists each exception with its reasons on their own lines and its version linked to the run', async () => {
    await renderPanel({});
    const table = await screen.findByRole('table', {
      name: 'Exceptions in the change population',
    });
    expect(table).toHaveAttribute(
      'data-testid',
      'change-population-exceptions',
    );
    const body = within(table).getAllByRole('row').slice(1);
    expect(body).toHaveLength(1);
    const [row] = body;
    expect(within(row).getByRole('rowheader')).toHaveTextContent(API);
    expect(
      within(row).getByRole('link', { name: /^v1\.2\.0\b/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/lexecon-ai/lexecon/actions/runs/2',
    );
    expect(within(row).getByText('2026-03-02')).toBeInTheDocument();
    expect(within(row).getByText('sam-lee')).toBeInTheDocument();
    expect(
      within(row).getByText(
        'approved by sam-lee, who authored part of the change: SoD exception',
      ),
    ).toBeInTheDocument();
    expect(
      within(row).getByText('readiness override: score 40 below the gate 70'),
    ).toBeInTheDocument();
  });

  it('lists the deploys whose approver cannot be checked, with why', async () => {
    await renderPanel({});
    const table = await screen.findByTestId('change-population-unverified');
    const body = within(table).getAllByRole('row').slice(1);
    expect(body.map(r => within(r).getByRole('rowheader').textContent)).toEqual(
      [WEB, API],
    );
    expect(
      within(body[0]).getByText(
        'GitHub’s compare of v1.2.0...v1.3.0 listed 250 commits',
      ),
    ).toBeInTheDocument();
    expect(
      within(body[0]).getByRole('link', { name: /^v1\.3\.0\b/ }),
    ).toBeVisible();
    expect(
      within(body[1]).getByText('the authors are unknown'),
    ).toBeInTheDocument();
  });

  it('says when nothing is an exception and hides the unchecked table when every approver was checked', async () => {
    await renderPanel({
      changePopulation: {
        ...population,
        rowCount: 1,
        exceptionCount: 0,
        rows: [deploy(1)],
      },
    });
    expect(
      await screen.findByTestId('change-population-exceptions'),
    ).toHaveTextContent('No exceptions in the window');
    expect(
      screen.queryByTestId('change-population-unverified'),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('change-population-summary')).toHaveTextContent(
      '1 production deploy from 2026-01-01 to 2026-04-01, 0 exceptions, 0 whose',
    );
  });

  it('says the population is complete only when the check says so', async () => {
    await renderPanel({});
    expect(
      await screen.findByText(
        'Complete: every one of the 4 deployments GitHub lists for production in the window is in the population.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('change-population-missing'),
    ).not.toBeInTheDocument();
  });

  it('lists the deployments GitHub has and the population lacks, and the services it could not read', async () => {
    await renderPanel({
      changePopulationCompleteness: {
        ...complete,
        complete: false,
        expected: 5,
        found: 4,
        missing: [
          {
            entityRef: WEB,
            deploymentId: 98765,
            sha: '0123456789abcdef0123456789abcdef01234567',
            createdAt: '2026-03-20T12:00:00Z',
            runId: 77,
          },
        ],
        unreadable: [{ entityRef: API, reason: 'GitHub answered 502' }],
      },
    });
    const check = await screen.findByTestId('change-population-completeness');
    expect(check).toHaveTextContent(
      'Not complete: the population holds 4 of the 5 deployments GitHub lists for production in the window; 1 missing:',
    );
    expect(check).not.toHaveTextContent(/Complete: every/);
    const missing = within(check).getByRole('table', {
      name: 'Deployments GitHub lists that the population lacks',
    });
    const [row] = within(missing).getAllByRole('row').slice(1);
    expect(
      within(row)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['98765', '0123456', '2026-03-20']);
    expect(within(row).getByRole('rowheader')).toHaveTextContent(WEB);
    expect(check).toHaveTextContent(`${API}: GitHub answered 502`);
  });

  it('keeps the exceptions on screen when the completeness check fails', async () => {
    await renderPanel({
      changePopulationCompleteness: new Error('GitHub is unreachable'),
    });
    expect(
      await screen.findByTestId('change-population-exceptions'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Error: GitHub is unreachable', {
        selector: 'h6',
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('change-population-summary')).toBeInTheDocument();
    expect(screen.queryByText(/^Complete:/)).not.toBeInTheDocument();
  });

  it('downloads the CSV from the backend and the JSON it showed, for the same window', async () => {
    const api = await renderPanel({
      changePopulationCsv: 'service,deploy_id\n',
    });
    await screen.findByTestId('change-population-summary');
    const saved: Array<{ name: string; blob: Blob }> = [];
    let blob: Blob | undefined;
    Object.assign(URL, {
      createObjectURL: jest.fn((b: Blob) => {
        blob = b;
        return 'blob:test/0';
      }),
      revokeObjectURL: jest.fn(),
    });
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function click(this: HTMLAnchorElement) {
        saved.push({ name: this.download, blob: blob! });
      });
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(api.populationQueries).toContainEqual({
      from: FROM,
      to: TO,
      what: 'csv',
    });
    expect(saved[0].name).toBe(
      'lexecon-change-population-2026-01-01-2026-04-01.csv',
    );
    expect(await saved[0].blob.text()).toBe('service,deploy_id\n');

    fireEvent.click(screen.getByRole('button', { name: 'Download JSON' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(saved[1].name).toBe(
      'lexecon-change-population-2026-01-01-2026-04-01.json',
    );
    expect(JSON.parse(await saved[1].blob.text())).toEqual(population);
  });

  it('says why the CSV could not be downloaded', async () => {
    await renderPanel({ changePopulationCsv: new Error('Backend is down') });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Download CSV' }),
    );
    expect(await screen.findByText(/Backend is down/)).toBeInTheDocument();
  });
});
