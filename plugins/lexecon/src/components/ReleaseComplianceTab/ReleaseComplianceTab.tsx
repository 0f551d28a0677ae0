import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  lexeconEntityRefreshPermission,
  liveEntityChannel,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useCallback, useMemo } from 'react';
import { WaitingForApprovalCard } from '../Approvals';
import { CostCard } from '../CostCard';
import { DeliveryCard } from '../DeliveryCard';
import { DeploymentsCard } from '../DeploymentsCard';
import { EvidenceCard } from '../EvidenceCard';
import { ReliabilityCards } from '../ReliabilityCards';
import {
  EntityDataProvider,
  useEntityDataChanged,
} from '../shared/EntityDataChanged';
import { RelativeTime } from '../shared/RelativeTime';
import { useLiveRefetch } from '../shared/useLiveRefetch';
import { dataAsOf, useOverview } from './useOverview';

export interface ReleaseComplianceTabProps {
  /** How often to check whether a requested refresh has landed. */
  refreshPollIntervalMs?: number;
  /** How many checks before giving up and telling the user to come back later. */
  refreshMaxPolls?: number;
}

/** The entity page's Release & Compliance tab. */
export function ReleaseComplianceTab(props: ReleaseComplianceTabProps) {
  return (
    <EntityDataProvider>
      <TabContent {...props} />
    </EntityDataProvider>
  );
}

function TabContent(props: ReleaseComplianceTabProps) {
  const { refreshPollIntervalMs = 2000, refreshMaxPolls = 15 } = props;
  const { entity } = useEntity();
  const entityRef = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const { overview, loading, error, retry, refresh, refreshing } = useOverview(
    entityRef,
    { pollIntervalMs: refreshPollIntervalMs, maxPolls: refreshMaxPolls },
  );
  const asOf = dataAsOf(overview);
  const permission = usePermission({
    permission: lexeconEntityRefreshPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const refreshDenied = !permission.loading && !permission.allowed;
  // A decision or a refresh changes what every card shows: one signal reloads them all.
  const { notifyChanged } = useEntityDataChanged();
  // So does a refresh anyone (the schedule, a webhook) stored: the backend signals it.
  useLiveRefetch(liveEntityChannel(stringifyEntityRef(entity)), notifyChanged);
  const onRefresh = useCallback(async () => {
    await refresh();
    notifyChanged();
  }, [refresh, notifyChanged]);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <WaitingForApprovalCard
          entityRef={entityRef}
          onDecided={notifyChanged}
        />
      </Grid>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          justifyContent="flex-end"
          gridGap={16}
        >
          {asOf && (
            // On the page background, the secondary text colour is below 4.5:1.
            <Typography variant="body2">
              Data as of <RelativeTime value={asOf} />
            </Typography>
          )}
          <Button
            variant="outlined"
            startIcon={
              refreshing ? <CircularProgress size={16} /> : <RefreshIcon />
            }
            onClick={onRefresh}
            disabled={refreshing || !permission.allowed}
          >
            {refreshing ? 'Refreshing…' : 'Refresh'}
          </Button>
          {refreshDenied && (
            <Typography variant="caption" color="textSecondary">
              Read-only: refreshing needs the{' '}
              <code>{lexeconEntityRefreshPermission.name}</code> permission
            </Typography>
          )}
        </Box>
      </Grid>
      <ReliabilityCards entityRef={entityRef} />
      <Grid item xs={12}>
        <DeploymentsCard
          entityRef={entityRef}
          section={overview?.sections.deployments}
          loading={loading}
          error={error}
          onRetry={retry}
        />
      </Grid>
      <Grid item xs={12}>
        <CostCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <DeliveryCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <EvidenceCard entityRef={stringifyEntityRef(entity)} />
      </Grid>
    </Grid>
  );
}
