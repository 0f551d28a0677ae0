import { MonthlyComponentCost } from '@internal/plugin-lexecon-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Theme, useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { MoneyFormat } from './money';

/** The theme's own colours, so the chart follows light and dark. */
function seriesColours(theme: Theme) {
  const p = theme.palette;
  return [
    p.primary.main,
    p.secondary.main,
    p.info.main,
    p.success.main,
    p.warning.main,
    p.error.main,
    p.primary.dark,
    p.secondary.dark,
  ];
}

interface MonthRow {
  month: string;
  estimated: boolean;
  total: number;
  amounts: Record<string, number | undefined>;
}

function byMonth(monthly: MonthlyComponentCost[], components: string[]) {
  const months = [...new Set(monthly.map(m => m.month))].sort();
  return months.map((month): MonthRow => {
    const of = monthly.filter(m => m.month === month);
    return {
      month,
      estimated: of.some(m => m.estimated),
      total: of.reduce((t, m) => t + m.amount, 0),
      amounts: Object.fromEntries(
        components.map(c => [c, of.find(m => m.component === c)?.amount]),
      ),
    };
  });
}

/** 13 months of cost stacked by component, with the same figures as a table. */
export function MonthlyCostChart(props: {
  monthly: MonthlyComponentCost[];
  format: MoneyFormat;
}) {
  const theme = useTheme();
  const { monthly, format } = props;
  const components = [...new Set(monthly.map(m => m.component))].sort();
  const rows = byMonth(monthly, components);
  const colours = seriesColours(theme);
  const text = theme.palette.text.secondary;
  const title = `Monthly cost by component, ${rows[0]?.month} to ${
    rows[rows.length - 1]?.month
  }`;
  const latest = rows[rows.length - 1];
  const summary = `${title}: ${rows
    .map(r => `${r.month} ${format.money(r.total)}`)
    .join(', ')}${latest?.estimated ? ` (${latest.month} so far)` : ''}`;
  return (
    <>
      <Typography variant="subtitle2" component="h3" id="cost-monthly-title">
        {title}
      </Typography>
      <div role="img" aria-label={summary} data-testid="cost-monthly-chart">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart
            data={rows.map(r => ({ month: r.month, ...r.amounts }))}
            margin={{ top: 16, right: 16, left: 16, bottom: 0 }}
          >
            <CartesianGrid stroke={theme.palette.divider} vertical={false} />
            <XAxis dataKey="month" stroke={text} tick={{ fill: text }} />
            <YAxis
              stroke={text}
              tick={{ fill: text }}
              tickFormatter={(v: number) => format.money(v)}
              width={90}
            />
            <Tooltip
              formatter={(v: number) => format.money(v)}
              contentStyle={{
                background: theme.palette.background.paper,
                color: theme.palette.text.primary,
                borderColor: theme.palette.divider,
              }}
            />
            {/* Legend labels take their series' colour by default; text needs the text colour's contrast. */}
            <Legend
              formatter={(value: string) => (
                <span style={{ color: theme.palette.text.primary }}>
                  {value}
                </span>
              )}
            />
            {components.map((c, i) => (
              <Bar
                key={c}
                dataKey={c}
                stackId="cost"
                fill={colours[i % colours.length]}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>
          <Typography variant="body2" component="span">
            The chart's figures as a table
          </Typography>
        </summary>
        <Table
          size="small"
          aria-labelledby="cost-monthly-title"
          data-testid="cost-monthly-table"
        >
          <TableHead>
            <TableRow>
              <TableCell>Month</TableCell>
              {components.map(c => (
                <TableCell key={c} align="right">
                  {c}
                </TableCell>
              ))}
              <TableCell align="right">Total</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(r => (
              <TableRow key={r.month}>
                <TableCell component="th" scope="row">
                  {r.month}
                  {r.estimated ? ' (estimated)' : ''}
                </TableCell>
                {components.map(c => (
                  <TableCell key={c} align="right">
                    {format.money(r.amounts[c])}
                  </TableCell>
                ))}
                <TableCell align="right">{format.money(r.total)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </details>
    </>
  );
}
