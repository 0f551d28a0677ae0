import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  Link,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  DEPLOYMENT_RESULTS,
  DeploymentRecord,
  DeploymentResult,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import IconButton from '@material-ui/core/IconButton';
import MuiTableCell from '@material-ui/core/TableCell';
import MuiTableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ListIcon from '@material-ui/icons/List';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import {
  MouseEvent,
  ReactNode,
  useCallback,
  useId,
  useMemo,
  useState,
} from 'react';
import { ChangelogTarget } from '../ChangelogDialog';
import { GateExceptionChips } from '../shared/GateExceptions';
import { RelativeTime } from '../shared/RelativeTime';
import { ResultStatus } from '../shared/ResultStatus';
import {
  describeResult,
  formatAbsolute,
  formatDuration,
  RESULT_LABELS,
} from '../shared/format';
import { HistoryFilters, useDeploymentHistory } from './useDeploymentHistory';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  filter: {
    minWidth: 180,
  },
  row: {
    cursor: 'pointer',
  },
  mono: {
    fontFamily: 'monospace',
  },
  details: {
    whiteSpace: 'nowrap',
  },
  runLink: {
    display: 'inline-flex',
    padding: theme.spacing(0.5),
  },
  chip: {
    marginLeft: theme.spacing(1),
  },
  secondary: {
    display: 'block',
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
  },
  footer: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    marginTop: theme.spacing(1),
  },
}));

const NONE = '—';

/** Props material-table hands to a custom `Row`; only the parts this table reads. */
interface HistoryRowProps {
  data: DeploymentRecord;
  columns: Array<
    TableColumn<DeploymentRecord> & { tableData?: { columnOrder?: number } }
  >;
  onRowClick?: (event: MouseEvent, rowData: DeploymentRecord) => void;
}

/**
 * material-table's default row can't carry a test id, and we want the whole row to open the
 * changelog; so rows are rendered here from the table's own column definitions.
 */
function HistoryRow(props: HistoryRowProps) {
  const { data, columns, onRowClick } = props;
  const classes = useStyles();
  const visible = columns
    .filter(column => !column.hidden)
    .sort(
      (a, b) =>
        (a.tableData?.columnOrder ?? 0) - (b.tableData?.columnOrder ?? 0),
    );
  return (
    <MuiTableRow
      hover
      className={classes.row}
      data-testid="deployment-row"
      onClick={event => onRowClick?.(event, data)}
    >
      {visible.map((column, index) => (
        <MuiTableCell
          key={String(column.field ?? column.title ?? index)}
          style={
            typeof column.cellStyle === 'object' ? column.cellStyle : undefined
          }
        >
          {column.render?.(data, 'row') as ReactNode}
        </MuiTableCell>
      ))}
    </MuiTableRow>
  );
}

function stopPropagation(event: MouseEvent) {
  event.stopPropagation();
}

function ApprovalCell(props: { record: DeploymentRecord }) {
  const { approval } = props.record;
  const classes = useStyles();
  if (!approval) return <>{NONE}</>;
  const verb = approval.state === 'approved' ? 'approved' : 'rejected';
  const details = [
    `${verb} by ${approval.user.login}`,
    approval.at && formatAbsolute(approval.at),
    approval.comment && `“${approval.comment}”`,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip title={details}>
      <span>
        {approval.state === 'rejected' && 'rejected: '}
        {approval.user.login}
        {(approval.comment || approval.at) && (
          <span className={classes.secondary}>
            {approval.comment ??
              (approval.at ? <RelativeTime value={approval.at} /> : null)}
          </span>
        )}
      </span>
    </Tooltip>
  );
}

/** Short values stay on one line; the commit title takes the remaining width. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

function useColumns(
  onShowChanges: (record: DeploymentRecord) => void,
): TableColumn<DeploymentRecord>[] {
  const classes = useStyles();
  // material-table recomputes its whole layout when handed new column objects.
  return useMemo(
    () => [
      {
        title: 'Version',
        field: 'version',
        render: record => (
          <span>
            <span className={classes.mono}>{record.shortSha}</span>
            {record.tag && (
              <Chip size="small" label={record.tag} className={classes.chip} />
            )}
          </span>
        ),
      },
      {
        title: 'Commit',
        field: 'commitTitle',
        cellStyle: { minWidth: 200 },
        render: record => record.commitTitle ?? NONE,
      },
      {
        title: 'Environment',
        field: 'environment',
        render: record => record.environment,
      },
      {
        title: 'Triggered by',
        field: 'triggeredBy',
        render: record => record.triggeredBy?.login ?? NONE,
      },
      {
        title: 'Approved by',
        field: 'approval',
        render: record => (
          <>
            <ApprovalCell record={record} />
            <GateExceptionChips exceptions={record.exceptions} />
          </>
        ),
      },
      {
        title: 'Started',
        cellStyle: NO_WRAP,
        field: 'startedAt',
        render: record => (
          <>
            <RelativeTime value={record.startedAt} />
            {record.durationSeconds !== undefined && (
              <span className={classes.secondary}>
                took {formatDuration(record.durationSeconds)}
              </span>
            )}
          </>
        ),
      },
      {
        title: 'Result',
        cellStyle: { minWidth: 120 },
        field: 'result',
        render: record => {
          const { label, result } = describeResult(record);
          return <ResultStatus result={result} label={label} />;
        },
      },
      {
        title: 'Helm revision',
        field: 'helm',
        render: record =>
          record.helm ? (
            <Tooltip title={record.helm.description}>
              <span>{record.helm.revision}</span>
            </Tooltip>
          ) : (
            NONE
          ),
      },
      {
        title: '',
        cellStyle: NO_WRAP,
        field: 'id',
        render: record => (
          <Box
            display="flex"
            alignItems="center"
            className={classes.details}
            onClick={stopPropagation}
          >
            <Tooltip title="Commits since the previous deploy">
              <IconButton
                size="small"
                onClick={() => onShowChanges(record)}
                aria-label={`Changes in ${record.version}`}
              >
                <ListIcon fontSize="small" />
              </IconButton>
            </Tooltip>
            {record.runUrl && (
              <Link
                to={record.runUrl}
                className={classes.runLink}
                aria-label={`Workflow run for ${record.version} in ${record.environment}`}
              >
                <OpenInNewIcon fontSize="small" />
              </Link>
            )}
          </Box>
        ),
      },
    ],
    [classes, onShowChanges],
  );
}

export interface DeploymentHistoryProps {
  entityRef: CompoundEntityRef;
  environments: string[];
  initial: { items: DeploymentRecord[]; totalCount: number };
  reloadKey?: string;
  onShowChanges: (target: ChangelogTarget) => void;
}

/** The deploy history, filtered and paged on the server. */
export function DeploymentHistory(props: DeploymentHistoryProps) {
  const { entityRef, environments, initial, reloadKey, onShowChanges } = props;
  const classes = useStyles();
  const [filters, setFilters] = useState<HistoryFilters>({});
  const idPrefix = useId();
  const history = useDeploymentHistory(entityRef, filters, initial, reloadKey);

  const showChanges = useCallback(
    (record: DeploymentRecord) =>
      onShowChanges({
        deploymentId: record.id,
        version: record.version,
        environment: record.environment,
      }),
    [onShowChanges],
  );
  const columns = useColumns(showChanges);
  const filtered = Boolean(filters.environment || filters.result);

  return (
    <>
      <Box className={classes.filters}>
        <Typography variant="h6" component="h3">
          History
        </Typography>
        <TextField
          select
          id={`${idPrefix}-environment`}
          label="Environment"
          className={classes.filter}
          value={filters.environment ?? ''}
          SelectProps={{ native: true }}
          InputLabelProps={{ shrink: true }}
          onChange={event =>
            setFilters(f => ({
              ...f,
              environment: event.target.value || undefined,
            }))
          }
        >
          <option value="">All environments</option>
          {environments.map(environment => (
            <option key={environment} value={environment}>
              {environment}
            </option>
          ))}
        </TextField>
        <TextField
          select
          id={`${idPrefix}-result`}
          label="Result"
          className={classes.filter}
          value={filters.result ?? ''}
          SelectProps={{ native: true }}
          InputLabelProps={{ shrink: true }}
          onChange={event =>
            setFilters(f => ({
              ...f,
              result: (event.target.value || undefined) as
                | DeploymentResult
                | undefined,
            }))
          }
        >
          <option value="">All results</option>
          {DEPLOYMENT_RESULTS.map(result => (
            <option key={result} value={result}>
              {RESULT_LABELS[result]}
            </option>
          ))}
        </TextField>
      </Box>

      {history.error && history.items.length === 0 ? (
        <Box>
          <ResponseErrorPanel
            error={history.error}
            title="Could not load the deploy history"
          />
          <Box mt={1}>
            <Button variant="outlined" onClick={history.retry}>
              Retry
            </Button>
          </Box>
        </Box>
      ) : (
        <Table<DeploymentRecord>
          columns={columns}
          data={history.items}
          isLoading={history.loading}
          onRowClick={(_event, record) => record && showChanges(record)}
          components={{ Row: HistoryRow }}
          options={{
            toolbar: false,
            paging: false,
            search: false,
            sorting: false,
            draggable: false,
            padding: 'dense',
          }}
          emptyContent={
            <Box p={2}>
              <Typography color="textSecondary">
                {filtered
                  ? 'No deploys match these filters.'
                  : 'No deploys yet.'}
              </Typography>
            </Box>
          }
        />
      )}

      {history.error && history.items.length > 0 && (
        <Box mt={1}>
          <ResponseErrorPanel
            error={history.error}
            title="Could not load more deploys"
          />
        </Box>
      )}

      {history.items.length > 0 && (
        <Box className={classes.footer}>
          <Typography variant="body2" color="textSecondary">
            Showing {history.items.length} of {history.totalCount} deploys
          </Typography>
          {history.hasMore && (
            <Button
              variant="outlined"
              onClick={history.loadMore}
              disabled={history.loadingMore}
            >
              {history.loadingMore ? 'Loading…' : 'Load more'}
            </Button>
          )}
        </Box>
      )}
    </>
  );
}
