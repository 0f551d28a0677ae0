import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { File as NodeFile } from 'node:buffer';
import { RecordedEvidenceActions } from './RecordedEvidenceActions';
import {
  fakeEvidenceBackend,
  refusal,
  renderWithEvidenceBackend,
} from './__testUtils__/fakeEvidenceBackend';

const ITEM = {
  id: 'cc7.1-penetration-test',
  title: 'Penetration test report',
  source: 'upload',
};
const REFUSAL =
  "Invalid upload: The content of 'pentest.pdf' is a PNG image, not a PDF document as declared";

async function renderActions(backend: ReturnType<typeof fakeEvidenceBackend>) {
  const onChanged = jest.fn();
  await renderWithEvidenceBackend(
    <RecordedEvidenceActions item={ITEM} onChanged={onChanged} />,
    backend,
  );
  return onChanged;
}

describe('RecordedEvidenceActions', () => {
  it('shows the server’s refusal of an upload as it is, keeping the dialog open', async () => {
    const backend = fakeEvidenceBackend(() =>
      refusal(400, 'InputError', REFUSAL),
    );
    const onChanged = await renderActions(backend);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Attach evidence' }),
    );
    // Node's File: the test environment's FormData (Node's) takes no jsdom File.
    const png = new NodeFile(
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47])],
      'pentest.pdf',
      {
        type: 'application/pdf',
      },
    );
    await userEvent.upload(
      screen.getByTestId('attach-evidence-file'),
      png as unknown as File,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Attach' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(REFUSAL);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(onChanged).not.toHaveBeenCalled();
    expect(backend.sent).toHaveLength(1);
    expect(backend.sent[0]).toMatchObject({
      method: 'POST',
      path: '/v1/evidence/items/cc7.1-penetration-test/attachments',
    });
    const form = backend.sent[0].init?.body as FormData;
    expect((form.get('file') as File).name).toBe('pentest.pdf');
    expect(form.get('effectiveDate')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('asks for a reason before marking an item not applicable, and sends it', async () => {
    const backend = fakeEvidenceBackend(() => ({
      status: 201,
      body: {
        itemId: ITEM.id,
        reason: 'No external surface yet',
        by: 'user:default/alex-kim',
        at: '2026-04-01T10:00:00.000Z',
      },
    }));
    const onChanged = await renderActions(backend);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Mark not applicable' }),
    );
    const confirm = screen
      .getAllByRole('button', { name: 'Mark not applicable' })
      .pop()!;
    expect(confirm).toBeDisabled();
    await userEvent.type(
      screen.getByLabelText(/Reason/),
      'No external surface yet',
    );
    await userEvent.click(confirm);

    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(JSON.parse(backend.sent[0].init?.body as string)).toEqual({
      reason: 'No external surface yet',
    });
  });
});
