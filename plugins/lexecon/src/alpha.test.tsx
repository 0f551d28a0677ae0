import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import plugin from './alpha';
import { lexeconApiRef } from './api/LexeconApi';
import { costPortfolio } from './__fixtures__/costPortfolio';
import { deliveryPortfolio } from './__fixtures__/delivery';
import { entity, FakeLexeconApi } from './__fixtures__/deployments';
import { evidenceControls } from './__fixtures__/evidence';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { fakeEvidenceBackend } from './components/EvidenceRecords/__testUtils__/fakeEvidenceBackend';

describe('lexecon alpha plugin', () => {
  const content = plugin.getExtension('entity-content:lexecon');

  it('adds a "Release & Compliance" tab at lexecon for annotated entities only', () => {
    const tester = createExtensionTester(content);

    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Release & Compliance',
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('lexecon');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity)).toBe(true);
    expect(filter?.({ ...entity, metadata: { name: 'no-annotations' } })).toBe(
      false,
    );
  });

  it('renders the tab', async () => {
    const tester = createExtensionTester(content);

    renderInTestApp(
      <EntityProvider entity={entity}>{tester.reactElement()}</EntityProvider>,
      { apis: [[lexeconApiRef, new FakeLexeconApi()]] },
    );

    expect(
      await screen.findByTestId('live-version-production'),
    ).toHaveTextContent('v1.7.2');
  });

  it('adds the approvals page at /lexecon/approvals, titled so it shows in the nav', async () => {
    const page = plugin.getExtension('page:lexecon/approvals');
    const tester = createExtensionTester(page);

    expect(tester.get(coreExtensionData.routePath)).toBe('/lexecon/approvals');
    expect(tester.get(coreExtensionData.title)).toBe('Approvals');

    renderInTestApp(tester.reactElement(), {
      apis: [[lexeconApiRef, new FakeLexeconApi()]],
    });

    expect(await screen.findByTestId('approvals-empty')).toHaveTextContent(
      'Nothing is waiting for approval',
    );
  });

  it('adds the cost portfolio at /lexecon/costs, in the nav as "Costs"', async () => {
    const page = plugin.getExtension('page:lexecon/costs');
    const tester = createExtensionTester(page);

    expect(tester.get(coreExtensionData.routePath)).toBe('/lexecon/costs');
    expect(tester.get(coreExtensionData.title)).toBe('Costs');

    renderInTestApp(tester.reactElement(), {
      apis: [
        [lexeconApiRef, new FakeLexeconApi({ costPortfolio: costPortfolio() })],
      ],
      // Each service links to its entity page.
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
    });

    expect(
      await screen.findByTestId('cost-portfolio-row-payments-api'),
    ).toHaveTextContent('Payments API');
  });

  it('adds the delivery portfolio at /lexecon/delivery, in the nav as "Delivery"', async () => {
    const page = plugin.getExtension('page:lexecon/delivery');
    const tester = createExtensionTester(page);

    expect(tester.get(coreExtensionData.routePath)).toBe('/lexecon/delivery');
    expect(tester.get(coreExtensionData.title)).toBe('Delivery');

    renderInTestApp(tester.reactElement(), {
      apis: [[lexeconApiRef, new FakeLexeconApi({ deliveryPortfolio })]],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
    });

    expect(
      await screen.findByTestId('delivery-portfolio-row-payments-api'),
    ).toHaveTextContent('Payments API');
  });

  it('adds the evidence page at /lexecon/evidence, in the nav as "Evidence"', async () => {
    const page = plugin.getExtension('page:lexecon/evidence');
    const tester = createExtensionTester(page);

    expect(tester.get(coreExtensionData.routePath)).toBe('/lexecon/evidence');
    expect(tester.get(coreExtensionData.title)).toBe('Evidence');

    renderInTestApp(tester.reactElement(), {
      apis: [[lexeconApiRef, new FakeLexeconApi({ evidenceControls })]],
    });

    expect(
      await screen.findByTestId('evidence-control-CC8.1'),
    ).toHaveTextContent('Failing');
  });

  it('adds the GDPR registers at /lexecon/evidence/gdpr, in the nav', async () => {
    const page = plugin.getExtension('page:lexecon/gdpr-registers');
    const tester = createExtensionTester(page);

    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/lexecon/evidence/gdpr',
    );
    expect(tester.get(coreExtensionData.title)).toBe('GDPR registers');

    const backend = fakeEvidenceBackend(() => ({
      status: 200,
      body: {
        generatedAt: '2026-11-20T15:00:00.000Z',
        deadlineRule: 'calendar-month',
        canWrite: false,
        processingRecords: [],
        requests: [],
        breaches: [],
      },
    }));
    renderInTestApp(tester.reactElement(), {
      apis: [
        [discoveryApiRef, backend.discoveryApi],
        [fetchApiRef, backend.fetchApi],
      ],
    });

    expect(
      await screen.findByText(/new requests count by calendar-month/),
    ).toBeInTheDocument();
    expect(backend.sent.map(r => r.path)).toEqual(['/v1/evidence/gdpr']);
  });
});
