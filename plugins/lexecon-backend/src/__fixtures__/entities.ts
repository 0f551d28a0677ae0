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

/** A catalog user, with `github.com/user-login` when a login is given. */
export function userEntity(name: string, login?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      annotations: login ? { 'github.com/user-login': login } : {},
    },
    spec: { memberOf: [] },
  };
}

/** Catalog users of the approval tests, with their GitHub logins. */
export const userEntities: Entity[] = [
  userEntity('alex-kim', 'alex-kim'),
  userEntity('jordan-lee', 'jordan-lee'),
  userEntity('sam-okafor', 'sam-okafor'),
  userEntity('casey-morgan', 'casey-morgan'),
  userEntity('no-login'),
];
