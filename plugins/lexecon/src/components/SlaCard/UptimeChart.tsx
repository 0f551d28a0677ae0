import { SlaMonth } from '@internal/plugin-lexecon-common';
import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** Monthly uptime against the target; months below it are drawn in the theme's error colour. */
export function UptimeChart(props: { months: SlaMonth[]; target: number }) {
  const theme = useTheme();
  const { months, target } = props;
  const lowest = Math.min(target, ...months.map(m => m.uptimePercent));
  const floor = Math.max(0, Math.floor((lowest - 0.05) * 10) / 10);
  const text = theme.palette.text.secondary;
  const missed = months.filter(m => !m.met);
  const summary = `Monthly uptime: ${months.length - missed.length} of ${
    months.length
  } months met the ${target}% target${
    missed.length
      ? `; missed in ${missed
          .map(m => `${m.month} (${m.uptimePercent.toFixed(3)}%)`)
          .join(', ')}`
      : ''
  }`;
  return (
    <div role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart
          data={months}
          margin={{ top: 16, right: 16, left: 8, bottom: 0 }}
        >
          <CartesianGrid stroke={theme.palette.divider} vertical={false} />
          <XAxis dataKey="month" stroke={text} tick={{ fill: text }} />
          <YAxis
            domain={[floor, 100]}
            stroke={text}
            tick={{ fill: text }}
            tickFormatter={(v: number) => `${v}%`}
            width={60}
          />
          <Tooltip
            formatter={(v: number) => [`${v.toFixed(3)}%`, 'uptime']}
            contentStyle={{
              background: theme.palette.background.paper,
              color: theme.palette.text.primary,
              borderColor: theme.palette.divider,
            }}
          />
          <ReferenceLine
            y={target}
            stroke={theme.palette.warning.main}
            strokeDasharray="4 4"
          />
          <Bar dataKey="uptimePercent" isAnimationActive={false}>
            {months.map(m => (
              <Cell
                key={m.month}
                fill={
                  m.met ? theme.palette.success.main : theme.palette.error.main
                }
              />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
