import { AuditRecord } from '@internal/plugin-lexecon-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeLexeconApi, minutesAgo } from '../../__fixtures__/deployments';
import { renderWithLexecon } from '../../__testUtils__/render';
import { AuditTrail } from './AuditTrail';

const records: AuditRecord[] = [
  {
    id: 3,
    at: minutesAgo(1),
    action: 'refresh-requested',
    actor: 'user:default/sam-ortiz',
    subject: 'component:default/payments-api',
    details: { outcome: 'Refresh of every source queued' },
    entityRef: 'component:default/payments-api',
    outcome: 'Refresh of every source queued',
    prevHash: 'b'.repeat(64),
    hash: 'c'.repeat(64),
  },
  {
    id: 2,
    at: minutesAgo(5),
    action: 'decision',
    actor: 'user:default/jordan-lee',
    subject: 'acme/payments-api#9015/production',
    details: {},
    githubLogin: 'jordan-lee',
    entityRef: 'component:default/payments-api',
    repository: 'acme/payments-api',
    runId: 9015,
    environment: 'production',
    version: 'v1.8.0',
    decision: 'approved',
    comment: 'CHG-2001 approved by CAB',
    outcome: 'GitHub accepted the review',
    upstreamStatus: 200,
    mode: 'github-reviewers',
    prevHash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
  },
  {
    id: 1,
    at: minutesAgo(30),
    action: 'refused',
    actor: 'user:default/sam-ortiz',
    subject: 'acme/ledger-service#7203/production',
    details: {},
    entityRef: 'component:default/ledger-service',
    runId: 7203,
    environment: 'production',
    version: 'v2.4.1',
    decision: 'approved',
    comment: 'urgent fix',
    outcome: 'Refused: the person authored a commit in the change set',
    mode: 'portal-gate',
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
  },
];

describe('AuditTrail', () => {
  it('names every action in words, not by its id', async () => {
    const api = new FakeLexeconApi();
    jest.spyOn(api, 'getAudit').mockResolvedValue({
      items: (
        [
          'github-review',
          'run-completed',
          'claim-recovered',
          'decision-reconciled',
        ] as const
      ).map((action, i) => ({
        ...records[1],
        id: 10 + i,
        action,
      })),
    });
    await renderWithLexecon(<AuditTrail />, api);

    const rows = await screen.findAllByTestId('audit-row');
    expect(rows[0]).toHaveTextContent('review in GitHub');
    expect(rows[1]).toHaveTextContent('run completed');
    expect(rows[1]).not.toHaveTextContent('run-completed');
    expect(rows[2]).toHaveTextContent('interrupted decision taken over');
    expect(rows[3]).toHaveTextContent('interrupted decision found in GitHub');
    expect(rows[3]).not.toHaveTextContent('decision-reconciled');
  });

  it('shows an exception with its kind, who made it and why', async () => {
    const api = new FakeLexeconApi();
    jest.spyOn(api, 'getAudit').mockResolvedValue({
      items: [
        {
          ...records[1],
          id: 11,
          action: 'gate-exception',
          actor: 'user:default/alex-kim',
          comment: undefined,
          outcome: 'Readiness gate overridden: v1.8.0 scores 84 against 90',
          exception: {
            kind: 'readiness-override',
            by: 'user:default/alex-kim',
            at: minutesAgo(5),
            message: 'Readiness gate overridden: v1.8.0 scores 84 against 90',
            reason: 'Hotfix for INC-2211; coverage upload is broken',
            auditId: 11,
          },
        },
      ],
    });
    await renderWithLexecon(<AuditTrail />, api);

    const [row] = await screen.findAllByTestId('audit-row');
    expect(row).toHaveTextContent('gate exception: readiness gate overridden');
    expect(row).toHaveTextContent(
      'Readiness gate overridden by alex-kim: Hotfix for INC-2211; coverage upload is broken',
    );
  });

  it('lists the records and asks for the filters the user sets', async () => {
    const api = new FakeLexeconApi();
    const getAudit = jest
      .spyOn(api, 'getAudit')
      .mockResolvedValue({ items: records });
    await renderWithLexecon(<AuditTrail />, api);

    const rows = await screen.findAllByTestId('audit-row');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('manual refresh');
    expect(rows[0]).toHaveTextContent('component:default/payments-api');
    expect(rows[0]).toHaveTextContent('Refresh of every source queued');
    expect(rows[1]).toHaveTextContent(
      'user:default/jordan-lee (GitHub jordan-lee)',
    );
    expect(rows[1]).toHaveTextContent(
      'approved v1.8.0 to production (run 9015)',
    );
    expect(rows[1]).toHaveTextContent('CHG-2001 approved by CAB');
    expect(rows[1]).toHaveTextContent('GitHub accepted the review (200)');
    expect(rows[2]).toHaveTextContent('refused');

    await userEvent.click(screen.getByTestId('audit-entity-filter'));
    await userEvent.paste('component:default/payments-api');
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }));

    await waitFor(() =>
      expect(getAudit).toHaveBeenLastCalledWith({
        entityRef: 'component:default/payments-api',
        from: undefined,
        to: undefined,
        limit: 50,
        cursor: undefined,
      }),
    );
  });

  it('names each filter field, the date fields included', async () => {
    const api = new FakeLexeconApi();
    jest.spyOn(api, 'getAudit').mockResolvedValue({ items: records });
    await renderWithLexecon(<AuditTrail />, api);

    await screen.findAllByTestId('audit-row');
    expect(screen.getByLabelText('Service (entity ref)')).toBe(
      screen.getByTestId('audit-entity-filter'),
    );
    expect(screen.getByLabelText('From')).toHaveAttribute(
      'type',
      'datetime-local',
    );
    expect(screen.getByLabelText('To')).toHaveAttribute(
      'type',
      'datetime-local',
    );
  });

  it('verifies the hash chain and says where it breaks', async () => {
    const api = new FakeLexeconApi();
    const verify = jest.spyOn(api, 'verifyAudit').mockResolvedValue({
      ok: true,
      checked: 2,
      headHash: 'b'.repeat(64),
    });
    await renderWithLexecon(<AuditTrail />, api);

    await userEvent.click(await screen.findByTestId('verify-chain'));
    expect(await screen.findByTestId('verify-result')).toHaveTextContent(
      'Chain intact: 2 records checked, head bbbbbbbbbbbb',
    );

    verify.mockResolvedValue({
      ok: false,
      checked: 2,
      firstBroken: { id: 2, reason: 'hash does not match the record' },
    });
    await userEvent.click(screen.getByTestId('verify-chain'));
    await waitFor(() =>
      expect(screen.getByTestId('verify-result')).toHaveTextContent(
        'Chain broken at record #2: hash does not match the record (2 records checked)',
      ),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Chain broken');
  });
});
