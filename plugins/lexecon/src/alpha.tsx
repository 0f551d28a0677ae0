import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import ApprovalIcon from '@material-ui/icons/AssignmentTurnedIn';
import AlarmIcon from '@material-ui/icons/Alarm';
import MoneyIcon from '@material-ui/icons/AttachMoney';
import TimelineIcon from '@material-ui/icons/Timeline';
import VerifiedIcon from '@material-ui/icons/VerifiedUser';
import GdprIcon from '@material-ui/icons/Policy';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { LexeconClient, lexeconApiRef } from './api/LexeconApi';
import { isLexeconAvailable } from './availability';
import {
  approvalsRouteRef,
  costsRouteRef,
  deliveryRouteRef,
  evidenceRouteRef,
  gdprRegistersRouteRef,
  onCallRouteRef,
  rootRouteRef,
} from './routes';

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

/** The approvals inbox; its title and icon also make it a nav item. */
const lexeconApprovalsPage = PageBlueprint.make({
  name: 'approvals',
  params: {
    path: '/lexecon/approvals',
    title: 'Approvals',
    icon: <ApprovalIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(approvalsRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/Approvals').then(m => <m.ApprovalsPage />),
  },
});

const onCallPage = PageBlueprint.make({
  name: 'oncall',
  params: {
    path: '/lexecon/oncall',
    // The app's navigation lists pages with a title and icon.
    title: 'On-call',
    icon: <AlarmIcon />,
    routeRef: convertLegacyRouteRef(onCallRouteRef),
    // The page draws its own Backstage header.
    noHeader: true,
    loader: () => import('./components/OnCallPage').then(m => <m.OnCallPage />),
  },
});

const costsPage = PageBlueprint.make({
  name: 'costs',
  params: {
    path: '/lexecon/costs',
    title: 'Costs',
    icon: <MoneyIcon />,
    routeRef: convertLegacyRouteRef(costsRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/CostPortfolioPage').then(m => (
        <m.CostPortfolioPage />
      )),
  },
});

const deliveryPage = PageBlueprint.make({
  name: 'delivery',
  params: {
    path: '/lexecon/delivery',
    title: 'Delivery',
    icon: <TimelineIcon />,
    routeRef: convertLegacyRouteRef(deliveryRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/DeliveryPortfolioPage').then(m => (
        <m.DeliveryPortfolioPage />
      )),
  },
});

const evidencePage = PageBlueprint.make({
  name: 'evidence',
  params: {
    path: '/lexecon/evidence',
    title: 'Evidence',
    icon: <VerifiedIcon />,
    routeRef: convertLegacyRouteRef(evidenceRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/EvidencePage').then(m => <m.EvidencePage />),
  },
});

const gdprRegistersPage = PageBlueprint.make({
  name: 'gdpr-registers',
  params: {
    path: '/lexecon/evidence/gdpr',
    title: 'GDPR registers',
    icon: <GdprIcon />,
    routeRef: convertLegacyRouteRef(gdprRegistersRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/GdprRegisters').then(m => <m.GdprRegistersPage />),
  },
});

/** The Lexecon plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'lexecon',
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    approvals: approvalsRouteRef,
    oncall: onCallRouteRef,
    costs: costsRouteRef,
    delivery: deliveryRouteRef,
    evidence: evidenceRouteRef,
    gdprRegisters: gdprRegistersRouteRef,
  }),
  extensions: [
    lexeconApi,
    lexeconEntityContent,
    lexeconApprovalsPage,
    onCallPage,
    costsPage,
    deliveryPage,
    evidencePage,
    gdprRegistersPage,
  ],
});
