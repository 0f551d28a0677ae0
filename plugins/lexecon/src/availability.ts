import { Entity } from '@backstage/catalog-model';
import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from '@internal/plugin-lexecon-common';

/**
 * True when the entity has something the Release & Compliance tab can read: a GitHub repository
 * or a Kubernetes id. Use it to show the tab only where it has data.
 */
export function isLexeconAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[GITHUB_PROJECT_SLUG_ANNOTATION]?.trim() ||
      annotations[KUBERNETES_ID_ANNOTATION]?.trim(),
  );
}
