import Tooltip from '@material-ui/core/Tooltip';
import { formatAbsolute, formatRelative } from './format';

/** A relative time ("5 minutes ago") whose exact time shows on hover and to screen readers. */
export function RelativeTime(props: { value: string; prefix?: string }) {
  const { value, prefix } = props;
  const absolute = formatAbsolute(value);
  return (
    <Tooltip title={absolute}>
      <time dateTime={value} aria-label={`${prefix ?? ''}${absolute}`}>
        {prefix}
        {formatRelative(value)}
      </time>
    </Tooltip>
  );
}
