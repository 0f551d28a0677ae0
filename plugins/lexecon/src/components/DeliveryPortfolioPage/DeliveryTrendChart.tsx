import {
  DeliveryPortfolioRow,
  DoraKey,
  DORA_KEYS,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { useState } from 'react';
import { formatValue, KEY_LABELS } from '../DeliveryCard/deliveryFormat';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 8, right: 150, top: 12, bottom: 24 };
/** Room below the axis for names pushed down by the ones above. */
const LABEL_ROOM = 48;
/** Told apart by dash as well as colour, and each line is named at its end. */
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 4', '10 4'];
const COLOURS = {
  light: ['#1f5fa8', '#b3261e', '#2e7d32', '#6a1b9a', '#8a5a00', '#37474f'],
  dark: ['#90caf9', '#ef9a9a', '#a5d6a7', '#ce93d8', '#ffcc80', '#cfd8dc'],
};

type Series = { row: DeliveryPortfolioRow; values: Array<number | undefined> };

function seriesOf(rows: DeliveryPortfolioRow[], key: DoraKey): Series[] {
  return rows
    .filter(row => row.keys?.[key].weekly.some(p => p.value !== undefined))
    .map(row => ({ row, values: row.keys![key].weekly.map(p => p.value) }));
}

const LABEL_GAP = 13;

/**
 * Where each line's name goes: beside its last point, pushed apart so that lines ending at the
 * same value keep readable names.
 */
function labelPositions(series: Series[], y: (v: number) => number) {
  const ends = series.flatMap(s => {
    const last = [...s.values].reverse().find(v => v !== undefined);
    return last === undefined ? [] : [{ ref: s.row.entityRef, at: y(last) }];
  });
  ends.sort((a, b) => a.at - b.at);
  const placed = new Map<string, number>();
  let previous = -Infinity;
  for (const end of ends) {
    const at = Math.max(end.at, previous + LABEL_GAP);
    placed.set(end.ref, at);
    previous = at;
  }
  return placed;
}

function Lines(props: { series: Series[]; weeks: string[] }) {
  const { series, weeks } = props;
  const colours = COLOURS[useTheme().palette.type];
  const max = Math.max(0, ...series.flatMap(s => s.values.map(v => v ?? 0)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left + (i * plotWidth) / Math.max(1, weeks.length - 1);
  const y = (v: number) =>
    PAD.top + plotHeight - (max ? (v / max) * plotHeight : 0);
  const labels = labelPositions(series, y);
  return (
    <svg
      aria-hidden
      width="100%"
      viewBox={`0 0 ${WIDTH} ${HEIGHT + LABEL_ROOM}`}
      style={{ maxWidth: WIDTH }}
    >
      <line
        x1={PAD.left}
        x2={PAD.left + plotWidth}
        y1={PAD.top + plotHeight}
        y2={PAD.top + plotHeight}
        stroke="currentColor"
        strokeOpacity={0.4}
      />
      {[0, weeks.length - 1].map(i => (
        <text
          key={i}
          x={x(i)}
          y={HEIGHT - 6}
          fontSize={11}
          fill="currentColor"
          textAnchor={i ? 'end' : 'start'}
        >
          {weeks[i]}
        </text>
      ))}
      {series.map((s, n) => {
        const points = s.values.flatMap((v, i) =>
          v === undefined ? [] : [[x(i), y(v)] as const],
        );
        const last = points[points.length - 1];
        const labelY = last && labels.get(s.row.entityRef);
        return (
          <g key={s.row.entityRef}>
            <polyline
              points={points.map(p => p.join(',')).join(' ')}
              fill="none"
              stroke={colours[n % colours.length]}
              strokeWidth={2}
              strokeDasharray={DASHES[n % DASHES.length]}
            />
            {last && labelY !== undefined && (
              <text
                x={last[0] + 6}
                y={labelY + 4}
                fontSize={11}
                fill="currentColor"
              >
                {s.row.title}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** The same weeks as numbers: the chart's text alternative, always on the page. */
function TrendTable(props: {
  series: Series[];
  weeks: string[];
  key_: DoraKey;
}) {
  const { series, weeks, key_ } = props;
  return (
    <Table size="small" aria-label={`${KEY_LABELS[key_]} by week`}>
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          {weeks.map(w => (
            <TableCell key={w}>{w}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {series.map(s => (
          <TableRow
            key={s.row.entityRef}
            data-testid={`delivery-trend-row-${s.row.name}`}
          >
            <TableCell>{s.row.title}</TableCell>
            {s.values.map((v, i) => (
              <TableCell key={weeks[i]}>
                {v === undefined
                  ? '—'
                  : formatValue(v, s.row.keys![key_].figure.unit)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** One DORA key, week by week, for every service that has it. */
export function DeliveryTrendChart(props: { rows: DeliveryPortfolioRow[] }) {
  const [key, setKey] = useState<DoraKey>('deploymentFrequency');
  const series = seriesOf(props.rows, key);
  const weeks = series[0]?.row.keys![key].weekly.map(p => p.week) ?? [];
  return (
    <Paper data-testid="delivery-trend">
      <Box p={2}>
        <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
          <Typography variant="h6" component="h2">
            Weekly trend
          </Typography>
          <TextField
            id="delivery-trend-key"
            select
            label="Key"
            value={key}
            onChange={e => setKey(e.target.value as DoraKey)}
            SelectProps={{ native: true }}
            inputProps={{ 'data-testid': 'delivery-trend-key' }}
            variant="outlined"
            size="small"
          >
            {DORA_KEYS.map(k => (
              <option key={k} value={k}>
                {KEY_LABELS[k]}
              </option>
            ))}
          </TextField>
        </Box>
        {series.length ? (
          <>
            <Lines series={series} weeks={weeks} />
            <Box mt={1} overflow="auto">
              <TrendTable series={series} weeks={weeks} key_={key} />
            </Box>
          </>
        ) : (
          <Typography data-testid="delivery-trend-empty">
            No service has a weekly {KEY_LABELS[key].toLowerCase()} in this
            window.
          </Typography>
        )}
      </Box>
    </Paper>
  );
}
