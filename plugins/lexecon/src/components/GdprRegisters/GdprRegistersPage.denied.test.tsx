import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { MockPermissionApi } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  fakeEvidenceBackend,
  refusal,
  renderWithEvidenceBackend,
} from '../EvidenceRecords/__testUtils__/fakeEvidenceBackend';
import { GdprRegistersPage } from './GdprRegistersPage';

// A file of its own: usePermission caches a basic permission's answer for the whole test file.
describe('GdprRegistersPage without lexecon.evidence.read', () => {
  it('says who the registers are for instead of a refused request', async () => {
    const backend = fakeEvidenceBackend(() =>
      refusal(403, 'NotAllowedError', 'Unauthorized'),
    );
    await renderWithEvidenceBackend(<GdprRegistersPage />, backend, [
      [permissionApiRef, new MockPermissionApi(() => AuthorizeResult.DENY)],
    ]);
    expect(await screen.findByTestId('evidence-denied')).toHaveTextContent(
      'Evidence is for auditors, release approvers and evidence owners',
    );
    expect(screen.queryByText(/403/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /retry/i })).toBeNull();
    expect(backend.sent).toEqual([]);
  });
});
