import {
  Content,
  Header,
  InfoCard,
  Page,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  COST_DAILY_FACTS_CSV_FILENAME,
  CostPortfolio,
  CostPortfolioRow,
  CostPortfolioStatus,
  CostProvider,
  sourceDeclaration,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lexeconApiRef } from '../../api/LexeconApi';
import { LoadedOrRetry } from '../shared/LoadedOrRetry';
import { describeRootCause } from '../CostCard/CostFindings';
import { moneyFormat } from '../CostCard/money';
import {
  PortfolioFigures,
  portfolioFigures,
  PortfolioFilter,
  portfolioTableCsv,
  TABLE_CSV_FILENAME,
} from './portfolioFigures';
import { saveBlob } from './saveBlob';
import { EntityTabLink } from '../shared/EntityTabLink';

/** The annotations that give a service a cost source, from the sources' declarations. */
const COST_ANNOTATIONS = (['aws-cost', 'gcp-billing', 'opencost'] as const)
  .flatMap(id => sourceDeclaration(id).requiredAnyOf)
  .join(', ');

const PROVIDER_LABELS: Record<CostProvider, string> = {
  aws: 'AWS',
  gcp: 'Google Cloud',
  opencost: 'OpenCost (Kubernetes allocation)',
};

/** The status in words next to its colour, so colour is never the only signal. */
function RowStatus(props: { row: CostPortfolioRow }) {
  const { status, message } = props.row;
  const words: Record<CostPortfolioStatus, string> = {
    ok: 'Up to date',
    stale: 'Stale',
    partial: 'Partial',
    error: 'Error',
  };
  const icons = {
    ok: StatusOK,
    stale: StatusWarning,
    partial: StatusWarning,
    error: StatusError,
  };
  const Icon = icons[status];
  return (
    <>
      <Icon>{words[status]}</Icon>
      {message && status !== 'ok' && (
        <Typography variant="caption" component="div">
          {message}
        </Typography>
      )}
    </>
  );
}

interface ShownRow {
  id: string;
  row: CostPortfolioRow;
  title: string;
  figures?: PortfolioFigures;
}

type Figure = keyof PortfolioFigures;

/** Rows without the figure last, whichever way the column is sorted. */
function byFigure(field: Figure) {
  return (a: ShownRow, b: ShownRow, _type: string, direction?: string) => {
    const x = a.figures?.[field];
    const y = b.figures?.[field];
    if (x === undefined || y === undefined) {
      const last = x === undefined ? 1 : -1;
      if (x === y) return 0;
      return direction === 'desc' ? -last : last;
    }
    return x - y;
  };
}

function ServiceLink(props: { row: CostPortfolioRow }) {
  return (
    <EntityTabLink entityRef={props.row.entityRef} title={props.row.title} />
  );
}

/**
 * The table's row drawn from its column definitions, so each row carries the service's test id
 * (material-table's own row cannot).
 */
function ServiceRow(props: {
  data: ShownRow;
  columns: Array<
    TableColumn<ShownRow> & { tableData?: { columnOrder?: number } }
  >;
}) {
  const cells = props.columns
    .filter(c => !c.hidden)
    .sort(
      (a, b) =>
        (a.tableData?.columnOrder ?? 0) - (b.tableData?.columnOrder ?? 0),
    );
  return (
    <TableRow data-testid={`cost-portfolio-row-${props.data.row.name}`}>
      {cells.map(c => (
        <TableCell
          key={String(c.title)}
          align={c.type === 'numeric' ? 'right' : 'left'}
        >
          {c.render?.(props.data, 'row') as ReactNode}
        </TableCell>
      ))}
    </TableRow>
  );
}

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      SelectProps={{ native: true }}
      // "All" is an empty value: the label stays above it instead of over it.
      InputLabelProps={{ shrink: true }}
      inputProps={{ 'data-testid': props.id }}
      variant="outlined"
      size="small"
    >
      <option value="">All</option>
      {props.options.map(o => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </TextField>
  );
}

export function CostPortfolioView(props: { portfolio: CostPortfolio }) {
  const { portfolio } = props;
  const api = useApi(lexeconApiRef);
  const [filter, setFilter] = useState<PortfolioFilter>({});
  const [order, setOrder] = useState<{ field?: Figure | 'title'; dir: string }>(
    { dir: 'asc' },
  );
  const [downloadError, setDownloadError] = useState<Error>();

  const shown: ShownRow[] = useMemo(
    () =>
      portfolio.rows
        .map(row => ({
          id: row.entityRef,
          row,
          title: row.title,
          figures: portfolioFigures(row, filter),
        }))
        .filter(
          r =>
            r.figures !== undefined ||
            (!filter.provider && !filter.component) ||
            r.row.status === 'error',
        ),
    [portfolio, filter],
  );

  const money = (row: CostPortfolioRow, value: number | undefined) =>
    moneyFormat(row.currency).money(value);
  const figureColumn = (
    title: string,
    field: Figure,
    show: (r: ShownRow) => string,
  ): TableColumn<ShownRow> => ({
    title,
    field: `figures.${field}`,
    type: 'numeric',
    customSort: byFigure(field),
    render: show,
  });
  const columns: TableColumn<ShownRow>[] = [
    {
      title: 'Service',
      field: 'title',
      render: r => <ServiceLink row={r.row} />,
    },
    { title: 'Status', sorting: false, render: r => <RowStatus row={r.row} /> },
    figureColumn('Month to date', 'monthToDate', r =>
      money(r.row, r.figures?.monthToDate),
    ),
    figureColumn('Baseline to date (prorated)', 'expectedToDate', r =>
      money(r.row, r.figures?.expectedToDate),
    ),
    figureColumn('Forecast month end', 'forecast', r =>
      money(r.row, r.figures?.forecast),
    ),
    figureColumn('Forecast against baseline', 'delta', r =>
      moneyFormat(r.row.currency).delta(r.figures?.delta),
    ),
    figureColumn('Against baseline %', 'deltaPercent', r =>
      r.figures?.deltaPercent === undefined
        ? '—'
        : `${
            r.figures.deltaPercent > 0 ? '+' : ''
          }${r.figures.deltaPercent.toFixed(1)}%`,
    ),
  ];
  const figureFields: Array<Figure | 'title' | undefined> = [
    'title',
    undefined,
    'monthToDate',
    'expectedToDate',
    'forecast',
    'delta',
    'deltaPercent',
  ];

  /** The rows in the order the table shows them, for the table's CSV. */
  function ordered(): ShownRow[] {
    const { field, dir } = order;
    if (!field) return shown;
    const sign = dir === 'desc' ? -1 : 1;
    return [...shown].sort((a, b) =>
      field === 'title'
        ? sign * a.title.localeCompare(b.title)
        : sign * byFigure(field)(a, b, 'row', dir),
    );
  }

  const anomalies = portfolio.anomalies.filter(
    a =>
      (!filter.provider || a.provider === filter.provider) &&
      (!filter.component || a.component === filter.component),
  );

  async function downloadFacts() {
    setDownloadError(undefined);
    try {
      saveBlob(
        await api.getCostDailyFactsCsv(filter),
        COST_DAILY_FACTS_CSV_FILENAME,
      );
    } catch (e) {
      setDownloadError(e as Error);
    }
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {/* On the paper's own background: the page's grey leaves the labels below 4.5:1. */}
        <Paper>
          <Box
            p={2}
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            style={{ gap: 16 }}
          >
            <FilterSelect
              id="cost-portfolio-filter-provider"
              label="Provider"
              value={filter.provider ?? ''}
              options={portfolio.providers.map(p => ({
                value: p,
                label: PROVIDER_LABELS[p],
              }))}
              onChange={v =>
                setFilter(f => ({
                  ...f,
                  provider: (v || undefined) as CostProvider | undefined,
                }))
              }
            />
            <FilterSelect
              id="cost-portfolio-filter-component"
              label="Component"
              value={filter.component ?? ''}
              options={portfolio.components.map(c => ({ value: c, label: c }))}
              onChange={v =>
                setFilter(f => ({ ...f, component: v || undefined }))
              }
            />
            <Button
              variant="outlined"
              data-testid="cost-portfolio-csv-table"
              onClick={() =>
                saveBlob(
                  new Blob([portfolioTableCsv(ordered(), filter)], {
                    type: 'text/csv',
                  }),
                  TABLE_CSV_FILENAME,
                )
              }
            >
              Download this table (CSV)
            </Button>
            <Button
              variant="outlined"
              data-testid="cost-portfolio-csv-facts"
              onClick={downloadFacts}
            >
              Download the daily costs (CSV)
            </Button>
          </Box>
        </Paper>
        {downloadError && (
          <Box mt={1}>
            <ResponseErrorPanel error={downloadError} />
          </Box>
        )}
      </Grid>
      <Grid item xs={12}>
        <Typography variant="h6" component="h2">
          Services by spend against baseline
        </Typography>
        <Table<ShownRow>
          columns={columns}
          data={shown}
          components={{ Row: ServiceRow }}
          options={{
            toolbar: false,
            paging: false,
            search: false,
            draggable: false,
            padding: 'dense',
          }}
          onOrderChange={(index, dir) =>
            setOrder({ field: figureFields[index], dir })
          }
        />
        <Typography variant="caption" component="p">
          Ranked by the forecast for the month against the baseline (the median
          of the last complete months). With a filter, the figures add up the
          chosen provider's and component's costs; an OpenCost allocation is
          counted only when OpenCost is chosen, as it divides a bill already
          counted.
        </Typography>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={`Open anomalies (${anomalies.length})`}>
          {anomalies.length === 0 ? (
            <Typography>No open anomaly.</Typography>
          ) : (
            <MuiTable size="small" aria-label="Open anomalies">
              <TableHead>
                <TableRow>
                  <TableCell>Service</TableCell>
                  <TableCell>Component</TableCell>
                  <TableCell>Provider</TableCell>
                  <TableCell>Start</TableCell>
                  <TableCell>Impact</TableCell>
                  <TableCell>Root cause</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {anomalies.map(a => (
                  <TableRow
                    key={`${a.entityRef}|${a.id}`}
                    data-testid="cost-portfolio-anomaly"
                  >
                    <TableCell>{a.title}</TableCell>
                    <TableCell>{a.component}</TableCell>
                    <TableCell>{PROVIDER_LABELS[a.provider]}</TableCell>
                    <TableCell>{a.start}</TableCell>
                    <TableCell>
                      {moneyFormat(a.currency).delta(a.impact)}
                    </TableCell>
                    <TableCell>
                      {a.rootCauses.map(describeRootCause).join('; ') || '—'}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </MuiTable>
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

function PortfolioBody() {
  const api = useApi(lexeconApiRef);
  const state = useAsyncRetry(() => api.getCostPortfolio(), [api]);
  return (
    <LoadedOrRetry state={state}>
      {portfolio =>
        portfolio.rows.length ? (
          <CostPortfolioView portfolio={portfolio} />
        ) : (
          <InfoCard title="No costs yet">
            <Typography data-testid="cost-portfolio-empty">
              No service has cost sources configured. Add one of the annotations{' '}
              {COST_ANNOTATIONS} to a service's catalog entity to read its
              costs.
            </Typography>
          </InfoCard>
        )
      }
    </LoadedOrRetry>
  );
}

/** Every service's month against its baseline, its anomalies and the CSV downloads. */
export function CostPortfolioPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Costs"
        subtitle="Every service's spend this month against its baseline"
      />
      <Content>
        <div data-testid="cost-portfolio-page">
          <PortfolioBody />
        </div>
      </Content>
    </Page>
  );
}
