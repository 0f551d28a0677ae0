import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { DeploymentResult } from '@internal/plugin-lexecon-common';
import { PropsWithChildren, ReactElement } from 'react';

const STATUS_COMPONENTS: Record<
  DeploymentResult,
  (props: PropsWithChildren<{}>) => ReactElement
> = {
  success: StatusOK,
  failed: StatusError,
  cancelled: StatusAborted,
  rolled_back: StatusWarning,
  in_progress: StatusRunning,
  waiting: StatusPending,
};

/** A deploy result as a coloured status icon followed by its label. */
export function ResultStatus(props: {
  result: DeploymentResult;
  label: string;
}) {
  const Status = STATUS_COMPONENTS[props.result];
  return <Status>{props.label}</Status>;
}
