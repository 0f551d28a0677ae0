import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { LexeconClient, lexeconApiRef } from './api/LexeconApi';
import { isLexeconAvailable } from './availability';
import { rootRouteRef } from './routes';

const lexeconApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: lexeconApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new LexeconClient({ discoveryApi, fetchApi }),
    }),
});

const lexeconEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'lexecon',
    title: 'Release & Compliance',
    routeRef: convertLegacyRouteRef(rootRouteRef),
    filter: isLexeconAvailable,
    loader: () =>
      import('./components/ReleaseComplianceTab').then(m => (
        <m.ReleaseComplianceTab />
      )),
  },
});

/** The Lexecon plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'lexecon',
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
  extensions: [lexeconApi, lexeconEntityContent],
});
