import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { LexeconClient, lexeconApiRef } from './api/LexeconApi';
import {
  approvalsRouteRef,
  costsRouteRef,
  deliveryRouteRef,
  evidenceRouteRef,
  gdprRegistersRouteRef,
  onCallRouteRef,
  rootRouteRef,
} from './routes';

export const lexeconPlugin = createPlugin({
  id: 'lexecon',
  apis: [
    createApiFactory({
      api: lexeconApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new LexeconClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    approvals: approvalsRouteRef,
    oncall: onCallRouteRef,
    costs: costsRouteRef,
    delivery: deliveryRouteRef,
    evidence: evidenceRouteRef,
    gdprRegisters: gdprRegistersRouteRef,
  },
});

/** The Release & Compliance tab for the entity page (legacy frontend system). */
export const EntityLexeconContent = lexeconPlugin.provide(
  createRoutableExtension({
    name: 'EntityLexeconContent',
    component: () =>
      import('./components/ReleaseComplianceTab').then(
        m => m.ReleaseComplianceTab,
      ),
    mountPoint: rootRouteRef,
  }),
);

/** The portal-wide page of deploys waiting for approval (legacy frontend system). */
export const LexeconApprovalsPage = lexeconPlugin.provide(
  createRoutableExtension({
    name: 'LexeconApprovalsPage',
    component: () =>
      import('./components/Approvals').then(m => m.ApprovalsPage),
    mountPoint: approvalsRouteRef,
  }),
);

/** The on-call board page, mount it at `/lexecon/oncall` (legacy frontend system). */
export const LexeconOnCallPage = lexeconPlugin.provide(
  createRoutableExtension({
    name: 'LexeconOnCallPage',
    component: () => import('./components/OnCallPage').then(m => m.OnCallPage),
    mountPoint: onCallRouteRef,
  }),
);

/** The portfolio cost page, mount it at `/lexecon/costs` (legacy frontend system). */
export const LexeconCostPortfolioPage = lexeconPlugin.provide(
  createRoutableExtension({
    name: 'LexeconCostPortfolioPage',
    component: () =>
      import('./components/CostPortfolioPage').then(m => m.CostPortfolioPage),
    mountPoint: costsRouteRef,
  }),
);

/** The delivery portfolio page, mount it at `/lexecon/delivery` (legacy frontend system). */
export const LexeconDeliveryPortfolioPage = lexeconPlugin.provide(
  createRoutableExtension({
    name: 'LexeconDeliveryPortfolioPage',
    component: () =>
      import('./components/DeliveryPortfolioPage').then(
        m => m.DeliveryPortfolioPage,
      ),
    mountPoint: deliveryRouteRef,
  }),
);

/** The auditor's evidence page, mount it at `/lexecon/evidence` (legacy frontend system). */
export const LexeconEvidencePage = lexeconPlugin.provide(
  createRoutableExtension({
    name: 'LexeconEvidencePage',
    component: () =>
      import('./components/EvidencePage').then(m => m.EvidencePage),
    mountPoint: evidenceRouteRef,
  }),
);

/** The GDPR registers, mount them at `/lexecon/evidence/gdpr` (legacy frontend system). */
export const LexeconGdprRegistersPage = lexeconPlugin.provide(
  createRoutableExtension({
    name: 'LexeconGdprRegistersPage',
    component: () =>
      import('./components/GdprRegisters').then(m => m.GdprRegistersPage),
    mountPoint: gdprRegistersRouteRef,
  }),
);
