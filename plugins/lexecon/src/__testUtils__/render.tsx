import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ReactNode } from 'react';
import { LexeconApi, lexeconApiRef } from '../api/LexeconApi';
import { entity as defaultEntity } from '../__fixtures__/deployments';

/** Renders inside a test app with the given Lexecon API, every permission granted, and the entity. */
export function renderWithLexecon(
  children: ReactNode,
  api: LexeconApi,
  entity: Entity = defaultEntity,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [lexeconApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
      ]}
    >
      <EntityProvider entity={entity}>{children}</EntityProvider>
    </TestApiProvider>,
  );
}
