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
import { EvidenceCard } from './EvidenceCard';

const API = 'component:default/lexecon-api';

// A file of its own: usePermission caches a basic permission's answer for the whole test file.
describe('EvidenceCard without lexecon.evidence.read', () => {
  it('is not shown to someone who may not read evidence', async () => {
    const api = new FakeLexeconApi({ evidenceControls });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [lexeconApiRef, api],
          [permissionApiRef, new MockPermissionApi(() => AuthorizeResult.DENY)],
        ]}
      >
        <EvidenceCard entityRef={API} />
      </TestApiProvider>,
    );
    expect(screen.queryByText('Evidence')).not.toBeInTheDocument();
    expect(api.evidenceQueries).toEqual([]);
  });
});
