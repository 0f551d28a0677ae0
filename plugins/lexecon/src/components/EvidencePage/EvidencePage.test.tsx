import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import {
  changeControlDetail,
  evidenceControls,
} from '../../__fixtures__/evidence';
import { EvidencePage } from './EvidencePage';

async function renderPage(
  options: ConstructorParameters<typeof FakeLexeconApi>[0],
  api = new FakeLexeconApi(options),
  path = '/',
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [lexeconApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
      ]}
    >
      <EvidencePage />
    </TestApiProvider>,
    { routeEntries: [path] },
  );
  return api;
}

const row = (id: string) => screen.getByTestId(`evidence-control-${id}`);

describe('EvidencePage', () => {
  it('lists the controls by framework with their status in words and their freshness, read-only for an auditor', async () => {
    await renderPage({ evidenceControls });
    await screen.findByTestId('evidence-control-CC8.1');
    const soc2 = screen.getByRole('table', { name: 'SOC 2 controls' });
    expect(within(soc2).getAllByRole('row')).toHaveLength(3);
    expect(
      within(screen.getByRole('table', { name: 'GDPR controls' })).getByText(
        'GDPR-Art.35: Art. 35: data protection impact assessment',
      ),
    ).toBeInTheDocument();
    expect(within(row('CC8.1')).getByText('Failing')).toBeInTheDocument();
    expect(within(row('CC7.2')).getByText('Passing')).toBeInTheDocument();
    expect(
      within(row('CC7.2')).getByText(
        'Collected 2026-03-31, expires 2026-04-01',
      ),
    ).toBeInTheDocument();
    expect(
      within(row('GDPR-Art.35')).getByText('Never collected'),
    ).toBeInTheDocument();
    expect(screen.getByText(/^Read-only/)).toBeInTheDocument();
    expect(screen.queryByText('Due next')).not.toBeInTheDocument();
  });

  it('shows an owner what is due next, theirs apart from the other owners’', async () => {
    await renderPage({
      evidenceControls: { ...evidenceControls, canWrite: true },
    });
    const items = async (testId: string) =>
      within(await screen.findByTestId(testId))
        .getAllByRole('listitem')
        .map(li => li.textContent);
    expect(screen.getByText('Yours (1)')).toBeInTheDocument();
    expect(await items('evidence-due-next')).toEqual([
      'CC8.1 Production deploys approved before start by a non-author: Failing, expires 2026-04-01 (owner group:default/release-approvers)',
    ]);
    expect(screen.getByText('Other owners (1)')).toBeInTheDocument();
    expect(await items('evidence-due-next-others')).toEqual([
      'GDPR-Art.35 DPIA for the decision engine: Missing (owner group:default/portal-admins)',
    ]);
  });

  it('tells an owner when nothing of theirs is due', async () => {
    await renderPage({
      evidenceControls: {
        ...evidenceControls,
        canWrite: true,
        dueNext: evidenceControls.dueNext.map(i => ({ ...i, yours: false })),
      },
    });
    expect(
      await screen.findByText('Nothing you or your groups own is due.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Other owners (2)')).toBeInTheDocument();
  });

  it('asks the backend again with each labelled filter', async () => {
    const api = await renderPage({ evidenceControls });
    await screen.findByTestId('evidence-control-CC8.1');
    fireEvent.change(screen.getByLabelText('Framework'), {
      target: { value: 'gdpr' },
    });
    fireEvent.change(screen.getByLabelText('Status'), {
      target: { value: 'missing' },
    });
    fireEvent.change(screen.getByLabelText('Control'), {
      target: { value: 'CC7.2' },
    });
    fireEvent.change(screen.getByLabelText('Service (entity ref)'), {
      target: { value: 'component:default/lexecon-api' },
    });
    fireEvent.change(screen.getByLabelText('Observation window'), {
      target: { value: '30' },
    });
    await screen.findByTestId('evidence-control-CC8.1');
    const last = api.evidenceQueries[api.evidenceQueries.length - 1];
    expect(last).toMatchObject({
      framework: 'gdpr',
      status: 'missing',
      control: 'CC7.2',
      service: 'component:default/lexecon-api',
    });
    const windowMs = Date.now() - Date.parse(last.from!);
    expect(Math.round(windowMs / 86_400_000)).toBe(30);
  });

  it('opens a control with each item’s status, reason, collected and expiry dates and source link', async () => {
    await renderPage({
      evidenceControls,
      evidenceControl: { 'CC8.1': changeControlDetail },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'CC8.1: Change management' }),
    );
    const detail = await screen.findByTestId('evidence-control-detail');
    const item = within(detail).getByTestId(
      'evidence-item-cc8.1-change-population',
    );
    expect(within(item).getByText('Failing')).toBeInTheDocument();
    expect(
      within(item).getByText(
        'component:default/lexecon-api: 1 of 12 production deploys are exceptions',
      ),
    ).toBeInTheDocument();
    expect(within(item).getByText('2026-03-31')).toBeInTheDocument();
    expect(within(item).getByText('2026-04-01')).toBeInTheDocument();
    expect(
      within(item).getByRole('link', {
        name: /^Source of Production deploys approved before start by a non-author/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/lexecon-ai/lexecon/deployments',
    );
    expect(within(detail).getByText(/^1 observation from/)).toBeInTheDocument();
  });

  it('shows progress while the controls load', async () => {
    const api = new FakeLexeconApi({ evidenceControls });
    jest
      .spyOn(api, 'getEvidenceControls')
      .mockReturnValue(new Promise(() => {}));
    await renderPage({}, api);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(
      screen.queryByTestId('evidence-control-CC8.1'),
    ).not.toBeInTheDocument();
  });

  it('says when no control matches', async () => {
    await renderPage({
      evidenceControls: { ...evidenceControls, controls: [] },
    });
    expect(await screen.findByTestId('evidence-empty')).toHaveTextContent(
      'No control matches these filters.',
    );
  });

  it('retries after an error', async () => {
    const failing = new FakeLexeconApi({
      evidenceControls: new Error('The backend is down'),
    });
    await renderPage({}, failing);
    expect(
      await screen.findByText('Error: The backend is down', { selector: 'h6' }),
    ).toBeInTheDocument();
    Object.assign(failing, {
      options: { evidenceControls },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByTestId('evidence-control-CC8.1'),
    ).toBeInTheDocument();
  });

  it('opens the control a notification links to, alone', async () => {
    const api = await renderPage(
      { evidenceControls, evidenceControl: { 'CC8.1': changeControlDetail } },
      undefined,
      '/?control=CC8.1',
    );
    expect(
      await screen.findByTestId('evidence-control-detail'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Control')).toHaveValue('CC8.1');
    expect(api.evidenceQueries[0]).toMatchObject({ control: 'CC8.1' });
  });
});
