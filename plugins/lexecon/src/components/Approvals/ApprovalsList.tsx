import { sourceLabel } from '@internal/plugin-lexecon-common';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import {
  ApprovalDecision,
  ApprovalsInbox,
  PendingApproval,
  SourceState,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useCallback, useState } from 'react';
import { formatRelative } from '../shared/format';
import { ApprovalItem } from './ApprovalItem';
import { DecisionDialog } from './DecisionDialog';
import { ApprovalsInboxState } from './useApprovalsInbox';

const STATUS_TEXT: Record<string, string> = {
  stale: 'data is out of date',
  error: 'could not be read',
  'not-configured': 'not configured',
};

const NOTICE_SEVERITY: Record<string, 'error' | 'warning' | 'info'> = {
  error: 'error',
  stale: 'warning',
  'not-configured': 'info',
};

/** What a source's state means for the list; nothing to add when it is not configured. */
function noticeDetail(source: SourceState): string | undefined {
  if (source.status === 'not-configured') return undefined;
  if (!source.fetchedAt)
    return 'Runs waiting there may be missing from this list.';
  return `Showing what was read ${formatRelative(
    source.fetchedAt,
  )}; runs waiting since may be missing.`;
}

/** Notices for the sources the inbox could not read fully: the list may be incomplete. */
function InboxSourceNotices(props: { inbox: ApprovalsInbox }) {
  const notices = props.inbox.sources.filter(s => s.status !== 'ok');
  if (notices.length === 0) return null;
  return (
    <Box display="flex" flexDirection="column" gridGap={8} mb={2}>
      {notices.map(source => (
        <WarningPanel
          key={`${source.entityRef}|${source.source}`}
          severity={NOTICE_SEVERITY[source.status] ?? 'warning'}
          title={`${sourceLabel(source.source)} for ${source.entityRef}: ${
            STATUS_TEXT[source.status] ?? source.status
          }${source.message ? ` — ${source.message}` : ''}`}
          message={noticeDetail(source)}
        />
      ))}
    </Box>
  );
}

export interface ApprovalsListProps {
  state: ApprovalsInboxState;
  /** Show which service each run belongs to (the portal-wide inbox). */
  showService?: boolean;
  /** Called after a decision, besides reloading the inbox. */
  onDecided?: () => void;
  /** One line instead of the large empty state, for the entity tab. */
  compactEmpty?: boolean;
}

/** The runs waiting for approval, with loading, error, empty and partial states. */
export function ApprovalsList(props: ApprovalsListProps) {
  const { state, showService, onDecided, compactEmpty } = props;
  const { inbox, loading, error, reload } = state;
  const [dialog, setDialog] = useState<{
    item: PendingApproval;
    decision: ApprovalDecision;
    key: number;
  }>();

  const openDialog = useCallback(
    (item: PendingApproval, decision: ApprovalDecision) =>
      setDialog({ item, decision, key: Date.now() }),
    [],
  );
  const changed = useCallback(() => {
    reload();
    onDecided?.();
  }, [reload, onDecided]);

  if (loading) return <Progress />;
  if (error || !inbox) {
    return (
      <Box data-testid="approvals-error">
        <ResponseErrorPanel
          error={error ?? new Error('No answer from the backend')}
          title="Could not load the runs waiting for approval"
        />
        <Box mt={2}>
          <Button variant="outlined" onClick={reload}>
            Retry
          </Button>
        </Box>
      </Box>
    );
  }

  return (
    <Box data-testid="approvals-list">
      <InboxSourceNotices inbox={inbox} />
      {inbox.items.length === 0 &&
        (compactEmpty ? (
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="approvals-empty"
          >
            Nothing is waiting for approval.
          </Typography>
        ) : (
          <Box data-testid="approvals-empty">
            <EmptyState
              missing="data"
              title="Nothing is waiting for approval"
              description="Deploys to protected environments show up here while they wait for a reviewer."
            />
          </Box>
        ))}
      <Box display="flex" flexDirection="column" gridGap={16}>
        {inbox.items.map(item => (
          <ApprovalItem
            key={item.id}
            item={item}
            showService={showService}
            onDecide={openDialog}
          />
        ))}
      </Box>
      {dialog && (
        <DecisionDialog
          key={dialog.key}
          item={dialog.item}
          decision={dialog.decision}
          onClose={() => setDialog(undefined)}
          onChanged={changed}
        />
      )}
    </Box>
  );
}
