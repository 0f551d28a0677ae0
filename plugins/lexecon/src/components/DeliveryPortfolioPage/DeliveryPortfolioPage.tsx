import {
  Content,
  Header,
  InfoCard,
  Page,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  DELIVERY_PORTFOLIO_CSV_FILENAME,
  DELIVERY_WINDOWS,
  DeliveryPortfolio,
  DeliveryPortfolioRow,
  DeliveryWindow,
  DORA_KEYS,
  DORA_REPORT,
  sectionSources,
  sourceDeclaration,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lexeconApiRef } from '../../api/LexeconApi';
import { saveBlob } from '../CostPortfolioPage/saveBlob';
import {
  bandWords,
  formatFigure,
  KEY_LABELS,
} from '../DeliveryCard/deliveryFormat';
import { Sparkline } from '../DeliveryCard/Sparkline';
import { EntityTabLink } from '../shared/EntityTabLink';
import { LoadedOrRetry } from '../shared/LoadedOrRetry';
import { DeliveryTrendChart } from './DeliveryTrendChart';
import { SortField, SortOrder, sortRows } from './sortRows';

const STATUS = {
  ok: [StatusOK, 'Up to date'],
  stale: [StatusWarning, 'Stale'],
  error: [StatusError, 'Error'],
  'not-configured': [StatusWarning, 'Not configured'],
} as const;

function RowStatus(props: { row: DeliveryPortfolioRow }) {
  const { status, message } = props.row;
  const [Icon, words] = STATUS[status];
  return (
    <>
      <Icon>{words}</Icon>
      {message && status !== 'ok' && (
        <Typography variant="caption" component="div">
          {message}
        </Typography>
      )}
    </>
  );
}

/** The annotations of the deploy history's sources, any of which brings a service in. */
const DEPLOY_ANNOTATIONS = [
  ...new Set(
    sectionSources(['deployments']).flatMap(
      id => sourceDeclaration(id).requiredAnyOf,
    ),
  ),
].join(', ');

const COLUMNS: Array<{ field: SortField; title: string }> = [
  { field: 'rank', title: 'Rank' },
  { field: 'title', title: 'Service' },
  ...DORA_KEYS.map(key => ({ field: key, title: KEY_LABELS[key] })),
];

function PortfolioTable(props: { portfolio: DeliveryPortfolio }) {
  const [order, setOrder] = useState<SortOrder>({
    field: 'rank',
    direction: 'asc',
  });
  const rows = sortRows(props.portfolio.services, order);
  const sortBy = (field: SortField) =>
    setOrder(o => ({
      field,
      direction: o.field === field && o.direction === 'asc' ? 'desc' : 'asc',
    }));
  return (
    <Paper>
      <Table size="small" aria-label="Services by delivery performance">
        <TableHead>
          <TableRow>
            {COLUMNS.map(({ field, title }) => (
              <TableCell
                key={field}
                sortDirection={order.field === field ? order.direction : false}
                style={{ whiteSpace: 'nowrap' }}
              >
                <TableSortLabel
                  active={order.field === field}
                  direction={order.field === field ? order.direction : 'asc'}
                  onClick={() => sortBy(field)}
                >
                  {title}
                </TableSortLabel>
              </TableCell>
            ))}
            <TableCell>Status</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow
              key={row.entityRef}
              data-testid={`delivery-portfolio-row-${row.name}`}
            >
              <TableCell>{row.rank}</TableCell>
              <TableCell>
                <EntityTabLink entityRef={row.entityRef} title={row.title} />
              </TableCell>
              {DORA_KEYS.map(key => {
                const shown = row.keys?.[key];
                return (
                  <TableCell key={key}>
                    {shown ? (
                      <>
                        {formatFigure(shown.figure)}
                        <Typography variant="caption" component="div">
                          {bandWords(shown.figure.band)}
                        </Typography>
                        <Sparkline
                          label={`${row.title} ${KEY_LABELS[key]}`}
                          weekly={shown.weekly}
                          unit={shown.figure.unit}
                        />
                      </>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                );
              })}
              <TableCell>
                <RowStatus row={row} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

function PortfolioBody() {
  const api = useApi(lexeconApiRef);
  const [window, setWindow] = useState<DeliveryWindow>('90d');
  const [downloadError, setDownloadError] = useState<Error>();
  const state = useAsyncRetry(
    () => api.getDeliveryPortfolio({ window }),
    [api, window],
  );

  async function download() {
    setDownloadError(undefined);
    try {
      saveBlob(
        await api.getDeliveryPortfolioCsv({ window }),
        DELIVERY_PORTFOLIO_CSV_FILENAME,
      );
    } catch (e) {
      setDownloadError(e as Error);
    }
  }

  return (
    <>
      {/* On the paper's own background: the page's grey leaves labels below 4.5:1. */}
      <Paper>
        <Box
          p={2}
          mb={2}
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 16 }}
        >
          <TextField
            id="delivery-portfolio-window"
            select
            label="Window"
            value={window}
            onChange={e => setWindow(e.target.value as DeliveryWindow)}
            SelectProps={{ native: true }}
            inputProps={{ 'data-testid': 'delivery-portfolio-window' }}
            variant="outlined"
            size="small"
          >
            {DELIVERY_WINDOWS.map(w => (
              <option key={w} value={w}>
                Last {w.replace('d', ' days')}
              </option>
            ))}
          </TextField>
          <Button
            variant="outlined"
            data-testid="delivery-portfolio-csv"
            onClick={download}
          >
            Download (CSV)
          </Button>
          <Typography variant="body2">
            Production; bands from the {DORA_REPORT}.
          </Typography>
        </Box>
      </Paper>
      {downloadError && (
        <Box mb={2}>
          <ResponseErrorPanel error={downloadError} />
        </Box>
      )}
      <LoadedOrRetry state={state}>
        {portfolio =>
          portfolio.services.length ? (
            <>
              <PortfolioTable portfolio={portfolio} />
              <Box mt={2}>
                <DeliveryTrendChart rows={portfolio.services} />
              </Box>
            </>
          ) : (
            <InfoCard title="No services yet">
              <Typography data-testid="delivery-portfolio-empty">
                No service you may read has a deploy history. Add one of the
                annotations {DEPLOY_ANNOTATIONS} to a service's catalog entity.
              </Typography>
            </InfoCard>
          )
        }
      </LoadedOrRetry>
    </>
  );
}

/** Every readable service's four DORA keys, ranked, with a CSV download. */
export function DeliveryPortfolioPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Delivery"
        subtitle="Each service's four DORA keys from the deploys the portal holds"
      />
      <Content>
        <div data-testid="delivery-portfolio-page">
          <PortfolioBody />
        </div>
      </Content>
    </Page>
  );
}
