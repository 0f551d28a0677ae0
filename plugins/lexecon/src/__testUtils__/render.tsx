import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ComponentProps, ReactNode } from 'react';
import { LexeconApi, lexeconApiRef } from '../api/LexeconApi';
import { entity as defaultEntity } from '../__fixtures__/deployments';

type ApiPairs = ComponentProps<typeof TestApiProvider>['apis'];

/** Where entity links point in tests, as in the app. */
const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

/**
 * Renders inside a test app with the given Lexecon API, every permission granted (unless `apis`
 * says otherwise), any further APIs, and the entity.
 */
export function renderWithLexecon(
  children: ReactNode,
  api: LexeconApi,
  entity: Entity = defaultEntity,
  apis: ApiPairs = [],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [lexeconApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
        ...apis,
      ]}
    >
      <EntityProvider entity={entity}>{children}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}
