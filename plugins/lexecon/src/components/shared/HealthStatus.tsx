import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';

/** A `/health` status (of the service or one component) with its icon. */
export function HealthStatus(props: { status: string }) {
  if (props.status === 'healthy') return <StatusOK>{props.status}</StatusOK>;
  if (props.status === 'degraded') {
    return <StatusWarning>{props.status}</StatusWarning>;
  }
  return <StatusError>{props.status}</StatusError>;
}
