import { CostAnalysis, CostTemplateRow } from '@internal/plugin-lexecon-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { MoneyFormat } from './money';

const useStyles = makeStyles(theme => ({
  total: { '& > *': { fontWeight: theme.typography.fontWeightBold } },
}));

const METHOD_LABELS = {
  provider: "provider's forecast",
  portal: "portal's forecast",
};

function TemplateRow(props: {
  row: CostTemplateRow;
  format: MoneyFormat;
  testId: string;
  className?: string;
}) {
  const { row, format, testId, className } = props;
  const { money } = format;
  return (
    <TableRow data-testid={testId} className={className}>
      <TableCell component="th" scope="row">
        {row.component}
      </TableCell>
      <TableCell align="right">
        <span data-testid="cost-baseline">{money(row.baseline)}</span>
        {row.band && (
          <Typography variant="caption" component="div">
            band {format.range(row.band)}
          </Typography>
        )}
      </TableCell>
      <TableCell align="right">
        <span data-testid="cost-month-to-date">{money(row.monthToDate)}</span>
        {row.expectedToDate !== undefined && (
          <Typography variant="caption" component="div">
            vs {money(row.expectedToDate)} prorated
          </Typography>
        )}
      </TableCell>
      <TableCell align="right">
        <span data-testid="cost-forecast">{money(row.forecast)}</span>
        {(row.forecastInterval || row.forecastMethod) && (
          <Typography variant="caption" component="div">
            {format.range(row.forecastInterval)}
            {row.forecastMethod && ` (${METHOD_LABELS[row.forecastMethod]})`}
          </Typography>
        )}
      </TableCell>
      <TableCell align="right" data-testid="cost-delta">
        {format.delta(row.delta, row.deltaPercent)}
      </TableCell>
    </TableRow>
  );
}

/** The Cost Analysis Template: each component against its baseline, and the Total. */
export function CostTemplateTable(props: {
  analysis: CostAnalysis;
  format: MoneyFormat;
}) {
  const classes = useStyles();
  const { analysis, format } = props;
  const month = analysis.monthToDate;
  return (
    <Table size="small" aria-label="Cost by component against its baseline">
      <TableHead>
        <TableRow>
          <TableCell>Component</TableCell>
          <TableCell align="right">Baseline (monthly)</TableCell>
          <TableCell align="right">
            Month to date
            {month.through ? ` (to ${month.through})` : ''}
          </TableCell>
          <TableCell align="right">Forecast to month end</TableCell>
          <TableCell align="right">Delta (forecast − baseline)</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {analysis.rows.map(row => (
          <TemplateRow
            key={row.component}
            row={row}
            format={format}
            testId={`cost-row-${row.component}`}
          />
        ))}
        <TemplateRow
          row={analysis.total}
          format={format}
          testId="cost-row-total"
          className={classes.total}
        />
      </TableBody>
    </Table>
  );
}
