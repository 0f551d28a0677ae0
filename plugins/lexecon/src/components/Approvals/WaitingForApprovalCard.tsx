import { CompoundEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { ApprovalsList } from './ApprovalsList';
import { useApprovalsInbox } from './useApprovalsInbox';

export interface WaitingForApprovalCardProps {
  entityRef: CompoundEntityRef;
  /** Called after a decision, e.g. to reload the deploy history. */
  onDecided?: () => void;
}

/** The entity's runs waiting for approval, at the top of the Release & Compliance tab. */
export function WaitingForApprovalCard(props: WaitingForApprovalCardProps) {
  const state = useApprovalsInbox(props.entityRef);
  const count = state.inbox?.items.length ?? 0;
  return (
    <InfoCard
      title="Waiting for approval"
      subheader={
        count > 0 ? `${count} run${count === 1 ? '' : 's'} waiting` : undefined
      }
    >
      <div data-testid="waiting-for-approval">
        <ApprovalsList state={state} onDecided={props.onDecided} compactEmpty />
      </div>
    </InfoCard>
  );
}
