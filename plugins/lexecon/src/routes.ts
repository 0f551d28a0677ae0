import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({
  id: 'lexecon',
});

/** The portal-wide approvals inbox page. */
export const approvalsRouteRef = createRouteRef({
  id: 'lexecon-approvals',
});

export const onCallRouteRef = createRouteRef({
  id: 'lexecon-oncall',
});
