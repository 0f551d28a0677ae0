import { Entity } from '@backstage/catalog-model';

export const lexeconApiEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'lexecon-api',
    namespace: 'default',
    annotations: {
      'github.com/project-slug': 'lexecon-ai/lexecon',
      'backstage.io/kubernetes-id': 'lexecon',
      'lexecon.io/environments': 'staging,production',
      'lexecon.io/deploy-workflows':
        'staging=deploy-staging.yml,production=deploy-prod.yml',
      'lexecon.io/kubernetes-namespaces':
        'staging=lexecon-staging,production=lexecon-production',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/lexecon-engineering',
  },
};

export const unannotatedEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'lexecon-docs-site', namespace: 'default' },
  spec: {
    type: 'website',
    lifecycle: 'production',
    owner: 'group:default/lexecon-engineering',
  },
};
