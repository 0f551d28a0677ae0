import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { RecordedEvidenceActions } from './RecordedEvidenceActions';

// Its own file: usePermission caches a basic permission's answer for the whole test file.
describe('RecordedEvidenceActions without lexecon.evidence.write', () => {
  it('offers an auditor nothing to change', async () => {
    const permissionApi = new MockPermissionApi(request =>
      request.permission.name === 'lexecon.evidence.write'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );
    const authorize = jest.spyOn(permissionApi, 'authorize');
    await renderInTestApp(
      <TestApiProvider apis={[[permissionApiRef, permissionApi]]}>
        <div data-testid="row">
          <RecordedEvidenceActions
            item={{ id: 'a1.2-dr-test', title: 'DR test', source: 'upload' }}
            onChanged={() => {}}
          />
        </div>
      </TestApiProvider>,
    );
    await screen.findByTestId('row');
    expect(authorize).toHaveBeenCalled();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
