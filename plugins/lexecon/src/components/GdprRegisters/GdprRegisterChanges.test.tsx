import {
  BreachRecord,
  DataSubjectRequest,
  GdprRegisters,
  ProcessingRecord,
} from '@internal/plugin-lexecon-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeAnswer,
  fakeEvidenceBackend,
  refusal,
  renderWithEvidenceBackend,
} from '../EvidenceRecords/__testUtils__/fakeEvidenceBackend';
import { GdprRegistersContent } from './GdprRegistersPage';

const meta = {
  updatedBy: 'user:default/alex-kim',
  updatedAt: '2026-02-01T09:00:00.000Z',
};

const request: DataSubjectRequest = {
  id: 3,
  type: 'erasure',
  reference: 'DSR-3',
  receivedOn: '2026-02-02',
  extension: { months: 1, reason: 'Many systems to search' },
  status: 'open',
  note: 'Asked by email',
  deadlineRule: 'calendar-month',
  deadline: '2026-04-02',
  overdue: false,
  ...meta,
};

const breach: BreachRecord = {
  id: 7,
  incidentId: 'INC-42',
  title: 'Audit export readable by all staff',
  awareAt: '2026-02-20T09:00:00.000Z',
  description: 'A bucket policy',
  notifyBy: '2026-02-23T09:00:00.000Z',
  late: false,
  ...meta,
};

const record: ProcessingRecord = {
  id: 4,
  name: 'Deploy approvals',
  controller: 'Lexecon GmbH, dpo@example.com',
  purposes: ['Change control'],
  dataSubjectCategories: ['Engineers'],
  personalDataCategories: ['Names', 'GitHub logins'],
  recipients: [],
  thirdCountryTransfers: [{ country: 'US', safeguards: 'SCCs' }],
  retention: '7 years',
  securityMeasures: ['SSO'],
  reviewedOn: '2026-01-15',
  ...meta,
};

const registers = (changes: Partial<GdprRegisters> = {}): GdprRegisters => ({
  generatedAt: '2026-03-01T12:00:00.000Z',
  deadlineRule: 'calendar-month',
  canWrite: true,
  processingRecords: [record],
  requests: [request],
  breaches: [breach],
  ...changes,
});

/** Answers GET with `current()` and a PUT with `put`, which may change what GET answers next. */
function backendWith(
  current: () => GdprRegisters,
  put: (path: string, body: any) => FakeAnswer,
) {
  const backend = fakeEvidenceBackend((method, path) => {
    if (method !== 'PUT') return { status: 200, body: current() };
    const sent = backend.sent[backend.sent.length - 1];
    return put(path, JSON.parse(sent.init?.body as string));
  });
  return backend;
}

const putsOf = (backend: ReturnType<typeof fakeEvidenceBackend>) =>
  backend.sent
    .filter(r => r.method === 'PUT')
    .map(r => ({ path: r.path, body: JSON.parse(r.init?.body as string) }));

describe('GdprRegistersContent: changing entries', () => {
  it('closes a request with the whole entry and shows it closed', async () => {
    let requests = [request];
    const backend = backendWith(
      () => registers({ requests }),
      (_path, body) => {
        requests = [{ ...request, ...body }];
        return { status: 200, body: requests[0] };
      },
    );
    await renderWithEvidenceBackend(<GdprRegistersContent />, backend);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Record completion of request DSR-3',
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Record completion of request DSR-3',
    });
    expect(within(dialog).getByLabelText(/Note/)).toHaveValue('Asked by email');
    fireEvent.change(within(dialog).getByLabelText(/Completed on/), {
      target: { value: '2026-02-27' },
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    const rows = await screen.findByRole('table', {
      name: 'Data subject requests',
    });
    expect(await within(rows).findByText('Closed 2026-02-27')).toBeVisible();
    expect(putsOf(backend)).toEqual([
      {
        path: '/v1/evidence/gdpr/requests/3',
        body: {
          type: 'erasure',
          reference: 'DSR-3',
          receivedOn: '2026-02-02',
          extension: { months: 1, reason: 'Many systems to search' },
          status: 'closed',
          closedOn: '2026-02-27',
          note: 'Asked by email',
        },
      },
    ]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /request DSR-3/ }),
    ).not.toBeInTheDocument();
  });

  it('records when the authority was notified of a breach', async () => {
    let breaches = [breach];
    const backend = backendWith(
      () => registers({ breaches }),
      (_path, body) => {
        breaches = [{ ...breach, ...body }];
        return { status: 200, body: breaches[0] };
      },
    );
    await renderWithEvidenceBackend(<GdprRegistersContent />, backend);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Record notification of breach INC-42',
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Record notification of breach INC-42',
    });
    fireEvent.change(within(dialog).getByLabelText(/Authority notified at/), {
      target: { value: '2026-02-22T10:30' },
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    const notifiedAt = new Date('2026-02-22T10:30').toISOString();
    await waitFor(() =>
      expect(putsOf(backend)).toEqual([
        {
          path: '/v1/evidence/gdpr/breaches/7',
          body: {
            incidentId: 'INC-42',
            title: 'Audit export readable by all staff',
            awareAt: '2026-02-20T09:00:00.000Z',
            description: 'A bucket policy',
            notifiedAuthorityAt: notifiedAt,
          },
        },
      ]),
    );
    const rows = screen.getByRole('table', { name: 'Personal data breaches' });
    expect(
      await within(rows).findByText(
        `${notifiedAt.slice(0, 16).replace('T', ' ')} UTC`,
      ),
    ).toBeVisible();
  });

  it('keeps the dialog and what was typed when the server refuses', async () => {
    const backend = backendWith(
      () => registers(),
      () =>
        refusal(
          400,
          'InputError',
          "Invalid request: body parameter 'extension.reason' is required",
        ),
    );
    await renderWithEvidenceBackend(<GdprRegistersContent />, backend);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Extend request DSR-3' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Extend request DSR-3' });
    const months = within(dialog).getByRole('combobox', {
      name: /Further months/,
    });
    expect(months).toHaveValue('1');
    await userEvent.selectOptions(months, '2');
    await userEvent.clear(within(dialog).getByLabelText(/Reason/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Invalid request: body parameter 'extension.reason' is required",
    );
    expect(screen.getByRole('dialog')).toBe(dialog);
    expect(months).toHaveValue('2');
    expect(putsOf(backend)[0].body.extension).toEqual({
      months: 2,
      reason: '',
    });
  });

  it('edits a record of processing in the add form, prefilled', async () => {
    const backend = backendWith(
      () => registers(),
      () => ({ status: 200, body: record }),
    );
    await renderWithEvidenceBackend(<GdprRegistersContent />, backend);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Edit processing record Deploy approvals',
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Edit processing record Deploy approvals',
    });
    expect(
      within(dialog).getByLabelText(/Categories of personal data/),
    ).toHaveValue('Names\nGitHub logins');
    const retention = within(dialog).getByLabelText(/Retention/);
    await userEvent.clear(retention);
    await userEvent.type(retention, '10 years');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(putsOf(backend)).toEqual([
        {
          path: '/v1/evidence/gdpr/processing-records/4',
          body: {
            name: 'Deploy approvals',
            controller: 'Lexecon GmbH, dpo@example.com',
            purposes: ['Change control'],
            dataSubjectCategories: ['Engineers'],
            personalDataCategories: ['Names', 'GitHub logins'],
            recipients: [],
            thirdCountryTransfers: [{ country: 'US', safeguards: 'SCCs' }],
            retention: '10 years',
            securityMeasures: ['SSO'],
            reviewedOn: '2026-01-15',
          },
        },
      ]),
    );
  });

  it('offers a reader no change at all', async () => {
    const backend = fakeEvidenceBackend(() => ({
      status: 200,
      body: registers({ canWrite: false }),
    }));
    await renderWithEvidenceBackend(<GdprRegistersContent />, backend);

    await screen.findByRole('table', { name: 'Data subject requests' });
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByText('Actions')).not.toBeInTheDocument();
  });
});
