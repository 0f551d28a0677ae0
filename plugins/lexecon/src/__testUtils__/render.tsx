import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReactNode } from 'react';
import { LexeconApi, lexeconApiRef } from '../api/LexeconApi';
import { entity as defaultEntity } from '../__fixtures__/deployments';

/** Renders inside a test app with the given Lexecon API and the entity in context. */
export function renderWithLexecon(
  children: ReactNode,
  api: LexeconApi,
  entity: Entity = defaultEntity,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[lexeconApiRef, api]]}>
      <EntityProvider entity={entity}>{children}</EntityProvider>
    </TestApiProvider>,
  );
}
