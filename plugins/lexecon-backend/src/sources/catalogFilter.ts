import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { sourceDeclaration, SourceId } from '@internal/plugin-lexecon-common';

/** A catalog filter matching the entities any of these sources covers (their annotations). */
export function catalogFilterFor(ids: readonly SourceId[]) {
  const annotations = new Set(
    ids.flatMap(id => sourceDeclaration(id).requiredAnyOf),
  );
  return [...annotations].map(annotation => ({
    [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
  }));
}
