import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';

/** A service's name linking to its Release & Compliance tab. */
export function EntityTabLink(props: { entityRef: string; title: string }) {
  const entityRoute = useRouteRef(entityRouteRef);
  const { kind, namespace, name } = parseEntityRef(props.entityRef);
  return (
    <Link
      to={`${entityRoute({
        kind: kind.toLocaleLowerCase('en-US'),
        namespace,
        name,
      })}/lexecon`}
    >
      {props.title}
    </Link>
  );
}
