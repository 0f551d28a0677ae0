import {
  ApprovalDecision,
  LIVE_APPROVALS_CHANNEL,
  LiveApprovalsMessage,
  PendingApproval,
  runStoppedWaiting,
} from '@internal/plugin-lexecon-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef, useState } from 'react';

/**
 * Whether the run in the dialog was decided elsewhere (another person in the portal, or GitHub
 * stopped listing it) while `watching`: the person is told instead of sending a decision that
 * can only be refused. Once known it stays known. Not watching while their own decision is on
 * its way, whose signal arrives before its answer.
 */
export function useDecidedElsewhere(
  item: PendingApproval,
  watching: boolean,
): ApprovalDecision | 'no-longer-waiting' | undefined {
  const { lastSignal } = useSignal<LiveApprovalsMessage>(
    LIVE_APPROVALS_CHANNEL,
  );
  const [decided, setDecided] = useState<
    ApprovalDecision | 'no-longer-waiting'
  >();
  const watchingNow = useRef(watching);
  watchingNow.current = watching;

  useEffect(() => {
    if (!lastSignal || !watchingNow.current) return;
    const outcome = runStoppedWaiting(lastSignal, item);
    if (outcome) setDecided(previous => previous ?? outcome);
  }, [lastSignal, item]);

  return decided;
}
