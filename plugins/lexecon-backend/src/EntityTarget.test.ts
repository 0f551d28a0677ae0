import { Entity } from '@backstage/catalog-model';
import { resolveEntityTarget } from './EntityTarget';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'lexecon-api', annotations },
  spec: {},
});

describe('resolveEntityTarget', () => {
  it('reads lexecon.io/gcp-billing-labels as key=value pairs, keeping repeated keys and dropping malformed ones', () => {
    expect(
      resolveEntityTarget(
        entity({
          'lexecon.io/gcp-billing-labels':
            ' service = lexecon-api, service=lexecon-jobs,env=production, broken, =x, y= ',
        }),
      ).gcpBillingLabels,
    ).toEqual([
      'service=lexecon-api',
      'service=lexecon-jobs',
      'env=production',
    ]);
    expect(
      resolveEntityTarget(entity({ 'lexecon.io/gcp-billing-labels': 'broken' }))
        .gcpBillingLabels,
    ).toBeUndefined();
  });
});
