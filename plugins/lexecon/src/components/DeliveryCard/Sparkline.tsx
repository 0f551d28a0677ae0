import { Figure, WeeklyPoint } from '@internal/plugin-lexecon-common';
import { formatValue } from './deliveryFormat';

const WIDTH = 120;
const HEIGHT = 28;

/** A 12-week line; its label reads every week's value for those who cannot see it. */
export function Sparkline(props: {
  label: string;
  weekly: WeeklyPoint[];
  unit: Figure['unit'];
}) {
  const { label, weekly, unit } = props;
  const values = weekly.map(p => p.value);
  const known = values.filter((v): v is number => v !== undefined);
  const max = Math.max(...known, 0);
  const step = WIDTH / Math.max(1, weekly.length - 1);
  const points = values.flatMap((v, i) =>
    v === undefined
      ? []
      : [`${i * step},${HEIGHT - 2 - (max ? (v / max) * (HEIGHT - 4) : 0)}`],
  );
  const text = weekly
    .map(
      p =>
        `${p.week}: ${
          p.value === undefined ? 'no data' : formatValue(p.value, unit)
        }`,
    )
    .join('; ');
  return (
    <svg
      role="img"
      aria-label={`${label}, last ${weekly.length} weeks: ${text}`}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
    >
      <polyline
        points={points.join(' ')}
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
      />
    </svg>
  );
}
