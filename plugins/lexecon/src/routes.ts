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

/** The portfolio cost page: every service's spend against its baseline. */
export const costsRouteRef = createRouteRef({
  id: 'lexecon-costs',
});

/** The delivery portfolio: every service's four DORA keys, ranked. */
export const deliveryRouteRef = createRouteRef({
  id: 'lexecon-delivery',
});

/** The auditor's view: SOC 2 and GDPR controls with their evidence and freshness. */
export const evidenceRouteRef = createRouteRef({
  id: 'lexecon-evidence',
});

/** The GDPR registers: data subject requests, breaches, records of processing. */
export const gdprRegistersRouteRef = createRouteRef({
  id: 'lexecon-gdpr-registers',
});
