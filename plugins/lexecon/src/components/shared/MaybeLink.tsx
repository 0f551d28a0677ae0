import { Link } from '@backstage/core-components';
import { ReactNode } from 'react';

/** A link to the upstream page when there is one, else the plain text. */
export function MaybeLink(props: { url?: string; children: ReactNode }) {
  return props.url ? (
    <Link to={props.url}>{props.children}</Link>
  ) : (
    <>{props.children}</>
  );
}
