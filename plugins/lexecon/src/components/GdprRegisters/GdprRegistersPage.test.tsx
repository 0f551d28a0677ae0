import { GdprRegisters } from '@internal/plugin-lexecon-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeEvidenceBackend,
  refusal,
  renderWithEvidenceBackend,
} from '../EvidenceRecords/__testUtils__/fakeEvidenceBackend';
import { GdprRegistersContent } from './GdprRegistersPage';

const registers: GdprRegisters = {
  generatedAt: '2026-03-01T12:00:00.000Z',
  deadlineRule: 'days-30',
  canWrite: true,
  processingRecords: [],
  requests: [
    {
      id: 1,
      type: 'access',
      reference: 'DSR-1',
      receivedOn: '2026-01-31',
      status: 'open',
      deadlineRule: 'calendar-month',
      deadline: '2026-02-28',
      overdue: true,
      updatedBy: 'user:default/alex-kim',
      updatedAt: '2026-01-31T09:00:00.000Z',
    },
  ],
  breaches: [
    {
      id: 1,
      incidentId: 'INC-42',
      title: 'Audit export readable by all staff',
      awareAt: '2026-02-20T09:00:00.000Z',
      notifiedAuthorityAt: '2026-02-23T09:01:00.000Z',
      notifyBy: '2026-02-23T09:00:00.000Z',
      late: true,
      updatedBy: 'user:default/alex-kim',
      updatedAt: '2026-02-23T09:01:00.000Z',
    },
  ],
};

describe('GdprRegistersContent', () => {
  it('shows each register with its deadlines and verdicts', async () => {
    const backend = fakeEvidenceBackend(() => ({
      status: 200,
      body: registers,
    }));
    await renderWithEvidenceBackend(<GdprRegistersContent />, backend);

    const requests = await screen.findByRole('table', {
      name: 'Data subject requests',
    });
    expect(
      within(requests).getByText('2026-02-28 (calendar-month)'),
    ).toBeInTheDocument();
    expect(within(requests).getByText('Overdue')).toBeInTheDocument();
    const breaches = screen.getByRole('table', {
      name: 'Personal data breaches',
    });
    expect(
      within(breaches).getByText('Late: 2026-02-23 09:01 UTC'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/new requests count by days-30/),
    ).toBeInTheDocument();
    expect(screen.getByText('Nothing recorded.')).toBeInTheDocument();
  });

  it('sends a new request and shows the server’s refusal naming the field', async () => {
    const backend = fakeEvidenceBackend(method =>
      method === 'POST'
        ? refusal(
            400,
            'InputError',
            "Invalid request: body parameter 'receivedOn' must be a date as YYYY-MM-DD",
          )
        : { status: 200, body: registers },
    );
    await renderWithEvidenceBackend(<GdprRegistersContent />, backend);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Add request' }),
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: /Type/ }),
      'erasure',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Reference/ }),
      'DSR-9',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Invalid request: body parameter 'receivedOn' must be a date as YYYY-MM-DD",
    );
    const post = backend.sent.find(r => r.method === 'POST');
    expect(post?.path).toBe('/v1/evidence/gdpr/requests');
    expect(JSON.parse(post?.init?.body as string)).toEqual({
      type: 'erasure',
      reference: 'DSR-9',
    });
    await waitFor(() => expect(screen.getByRole('dialog')).toBeInTheDocument());
  });
});
