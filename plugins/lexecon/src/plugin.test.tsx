import { FetchApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, Route, Routes } from 'react-router-dom';
import { LexeconApi, lexeconApiRef } from './api/LexeconApi';
import { isLexeconAvailable } from './availability';
import { entity, entityRef } from './__fixtures__/deployments';
import { FakeApprovalsApi, inbox } from './__fixtures__/approvals';
import { onCallBoard, onCallService } from './__fixtures__/reliability';
import { setupLocalBackend } from './__testUtils__/localBackend';
import {
  EntityLexeconContent,
  LexeconApprovalsPage,
  LexeconOnCallPage,
  lexeconPlugin,
} from './plugin';

/** Links another part of the app builds from the plugin's route refs. */
function RouteLinks() {
  const root = useRouteRef(lexeconPlugin.routes.root);
  const approvals = useRouteRef(lexeconPlugin.routes.approvals);
  const oncall = useRouteRef(lexeconPlugin.routes.oncall);
  return (
    <nav>
      <Link to={root()}>Release & Compliance</Link>
      <Link to={approvals()}>Approvals</Link>
      <Link to={oncall()}>On-call</Link>
    </nav>
  );
}

const reliability: Pick<LexeconApi, 'getReliability' | 'getOnCallBoard'> = {
  getReliability: async () => ({
    entityRef: 'component:default/payments-api',
    sections: {
      flags: { status: 'not-configured', sources: [] },
      sla: { status: 'not-configured', sources: [] },
      health: { status: 'not-configured', sources: [] },
    },
  }),
  getOnCallBoard: async () =>
    onCallBoard({
      services: [
        onCallService('Lexecon API', {
          uptimePercent: 99.95,
          errorBudgetRemainingPercent: 57,
          burnRate: 0.65,
        }),
      ],
    }),
};

describe('lexecon plugin', () => {
  // Mounted as an app mounts them; the links come from the route refs, so a page mounted on the
  // wrong route ref, or one that renders another component, fails.
  it.each([
    [
      'Release & Compliance',
      '/services/payments-api/release',
      'live-version-production',
      'v1.7.2',
    ],
    ['Approvals', '/lexecon/approvals', 'approval-version', 'v1.8.0'],
    ['On-call', '/lexecon/oncall', 'oncall-service', 'Lexecon API'],
  ])(
    'opens the %s page at %s from a link built from its route ref',
    async (link, path, testId, text) => {
      await renderInTestApp(
        <TestApiProvider
          apis={[
            [lexeconApiRef, Object.assign(new FakeApprovalsApi(), reliability)],
            [permissionApiRef, new MockPermissionApi()],
          ]}
        >
          <EntityProvider entity={entity}>
            <Routes>
              <Route path="/" element={<RouteLinks />} />
              <Route
                path="/services/payments-api/release"
                element={<EntityLexeconContent />}
              />
              <Route
                path="/lexecon/approvals"
                element={<LexeconApprovalsPage />}
              />
              <Route path="/lexecon/oncall" element={<LexeconOnCallPage />} />
            </Routes>
          </EntityProvider>
        </TestApiProvider>,
        {
          mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        },
      );

      const anchor = screen.getByRole('link', { name: link });
      expect(anchor).toHaveAttribute('href', path);
      await userEvent.click(anchor);

      expect((await screen.findAllByTestId(testId))[0]).toHaveTextContent(text);
    },
  );

  describe('API factories', () => {
    const backend = setupLocalBackend();

    /** The app's fetchApi: the one that signs requests with the user's Backstage token. */
    const fetchApi: FetchApi = {
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('Authorization', 'Bearer user-token');
        return fetch(input, { ...init, headers });
      },
    };

    function build<T>(ref: { id: string }): T {
      const factory = [...lexeconPlugin.getApis()].find(
        f => f.api.id === ref.id,
      );
      if (!factory) throw new Error(`The plugin provides no ${ref.id}`);
      return factory.factory({
        discoveryApi: mockApis.discovery({ baseUrl: backend.origin }),
        fetchApi,
      }) as T;
    }

    it("build clients that call the discovered lexecon backend with the user's token", async () => {
      backend.on(
        'GET',
        '/v1/entities/default/component/payments-api/approvals',
        () => ({ json: inbox() }),
      );
      backend.on('GET', '/v1/oncall', () => ({ json: onCallBoard() }));

      await build<LexeconApi>(lexeconApiRef).getEntityApprovals(entityRef);
      await build<LexeconApi>(lexeconApiRef).getOnCallBoard();

      expect(
        backend.received.map(r => [r.path, r.headers.authorization]),
      ).toEqual([
        [
          '/v1/entities/default/component/payments-api/approvals',
          'Bearer user-token',
        ],
        ['/v1/oncall', 'Bearer user-token'],
      ]);
    });
  });

  it('offers the tab for entities any source reads, and only for them', () => {
    const withAnnotations = (annotations: Record<string, string>) => ({
      ...entity,
      metadata: { ...entity.metadata, annotations },
    });

    expect(isLexeconAvailable(entity)).toBe(true);
    expect(
      isLexeconAvailable(
        withAnnotations({ 'github.com/project-slug': 'acme/payments-api' }),
      ),
    ).toBe(true);
    expect(
      isLexeconAvailable(
        withAnnotations({ 'backstage.io/kubernetes-id': 'payments-api' }),
      ),
    ).toBe(true);
    // A service watched only in Datadog, Unleash or by its health URL has sections to show too.
    for (const annotation of [
      'lexecon.io/helm-release',
      'lexecon.io/datadog-slo-tags',
      'lexecon.io/unleash-project',
      'lexecon.io/health-url',
    ]) {
      expect(isLexeconAvailable(withAnnotations({ [annotation]: 'x' }))).toBe(
        true,
      );
    }
    expect(isLexeconAvailable(withAnnotations({}))).toBe(false);
    expect(
      isLexeconAvailable(withAnnotations({ 'github.com/project-slug': ' ' })),
    ).toBe(false);
  });
});
