import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { evidenceControls } from '../../__fixtures__/evidence';
import { EvidencePage } from './EvidencePage';

// A file of its own: usePermission caches a basic permission's answer for the whole test file.
describe('EvidencePage without lexecon.evidence.read', () => {
  it('tells someone without lexecon.evidence.read why there is nothing to read, and asks for nothing', async () => {
    const api = new FakeLexeconApi({ evidenceControls });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [lexeconApiRef, api],
          [permissionApiRef, new MockPermissionApi(() => AuthorizeResult.DENY)],
        ]}
      >
        <EvidencePage />
      </TestApiProvider>,
    );
    expect(await screen.findByTestId('evidence-denied')).toHaveTextContent(
      'Evidence is for auditors, release approvers and evidence owners',
    );
    expect(screen.queryByText('Draw a sample')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(api.evidenceQueries).toEqual([]);
  });
});
