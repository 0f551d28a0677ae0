import { Entity } from '@backstage/catalog-model';
import { isCoveredByLexecon } from '@internal/plugin-lexecon-common';

/**
 * True when any source of the portal reads the entity (a GitHub repository, a Helm release, an
 * Unleash project, Datadog SLO tags or a health URL: the declarations in lexecon-common). Use it
 * to show the Release & Compliance tab only where it has data.
 */
export function isLexeconAvailable(entity: Entity): boolean {
  return isCoveredByLexecon(entity.metadata.annotations);
}
