import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { File as NodeFile } from 'node:buffer';
import { lexeconApiRef } from '../../api/LexeconApi';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import {
  changeControl,
  changeControlDetail,
  dpiaControl,
} from '../../__fixtures__/evidence';
import { ControlDetail } from '../EvidencePage/ControlDetail';
import {
  fakeEvidenceBackend,
  renderWithEvidenceBackend,
} from './__testUtils__/fakeEvidenceBackend';

describe('owners’ actions on the evidence page', () => {
  it('attaches a document to a recorded item and shows the control again', async () => {
    const api = new FakeLexeconApi({
      evidenceControl: {
        'GDPR-Art.35': {
          ...changeControlDetail,
          control: dpiaControl,
          observations: [],
        },
      },
    });
    const load = jest.spyOn(api, 'getEvidenceControl');
    const backend = fakeEvidenceBackend(() => ({ status: 201, body: {} }));
    await renderWithEvidenceBackend(
      <ControlDetail controlId="GDPR-Art.35" query={{}} />,
      backend,
      [[lexeconApiRef, api]],
    );

    const row = await screen.findByTestId('evidence-item-gdpr35-dpia');
    await userEvent.click(
      within(row).getByRole('button', { name: 'Attach evidence' }),
    );
    const dpia = new NodeFile(['%PDF-1.7\n'], 'dpia.pdf', {
      type: 'application/pdf',
    });
    await userEvent.upload(
      screen.getByTestId('attach-evidence-file'),
      dpia as unknown as File,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Attach' }));

    await waitFor(() => expect(load).toHaveBeenCalledTimes(2));
    expect(backend.sent.map(r => [r.method, r.path])).toEqual([
      ['POST', '/v1/evidence/items/gdpr35-dpia/attachments'],
    ]);
  });

  it('offers nothing to record on an item another source collects', async () => {
    const api = new FakeLexeconApi({
      evidenceControl: { 'CC8.1': changeControlDetail },
    });
    await renderWithEvidenceBackend(
      <ControlDetail controlId="CC8.1" query={{}} />,
      fakeEvidenceBackend(() => ({ status: 500, body: {} })),
      [[lexeconApiRef, api]],
    );
    const row = await screen.findByTestId(
      `evidence-item-${changeControl.items[0].id}`,
    );
    expect(within(row).queryByRole('button')).not.toBeInTheDocument();
  });
});
