import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({
  id: 'lexecon',
});

export const onCallRouteRef = createRouteRef({
  id: 'lexecon-oncall',
});
