import {
  Content,
  ContentHeader,
  Header,
  Page,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  LIVE_APPROVALS_CHANNEL,
  lexeconAuditReadPermission,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { AuditTrail } from '../AuditTrail';
import {
  EntityDataProvider,
  useEntityDataChanged,
} from '../shared/EntityDataChanged';
import { RelativeTime } from '../shared/RelativeTime';
import { useLiveRefetch } from '../shared/useLiveRefetch';
import { ApprovalsList } from './ApprovalsList';
import { useApprovalsInbox } from './useApprovalsInbox';

/** Every run waiting for approval across the portal, and the audit trail for auditors. */
export function ApprovalsPage() {
  return (
    <EntityDataProvider>
      <PageContent />
    </EntityDataProvider>
  );
}

function PageContent() {
  const state = useApprovalsInbox();
  const audit = usePermission({ permission: lexeconAuditReadPermission });
  // A decision writes to the audit trail: the signal reloads it.
  const { notifyChanged } = useEntityDataChanged();
  // So does one made elsewhere, or a review made in GitHub: the backend signals it.
  useLiveRefetch(LIVE_APPROVALS_CHANNEL, notifyChanged);
  return (
    <Page themeId="tool">
      <Header
        title="Approvals"
        subtitle="Deploys to protected environments waiting for a decision"
      />
      <Content>
        <ContentHeader title="Waiting for approval">
          <Box display="flex" alignItems="center" gridGap={16}>
            {state.inbox && (
              // On the page background, the secondary text colour is below 4.5:1.
              <Typography variant="body2">
                As of <RelativeTime value={state.inbox.generatedAt} />
              </Typography>
            )}
            <Button
              variant="outlined"
              startIcon={
                state.reloading ? (
                  <CircularProgress size={16} />
                ) : (
                  <RefreshIcon />
                )
              }
              onClick={state.reload}
              disabled={state.loading || state.reloading}
            >
              Reload
            </Button>
          </Box>
        </ContentHeader>
        <ApprovalsList state={state} showService onDecided={notifyChanged} />
        {audit.allowed && (
          <Box mt={4}>
            <AuditTrail />
          </Box>
        )}
      </Content>
    </Page>
  );
}
