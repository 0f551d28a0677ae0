import { EvidenceStatus, Framework } from '@internal/plugin-lexecon-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';

/** Every status in words: colour only repeats what the words say. */
export const STATUS_WORDS: Record<EvidenceStatus, string> = {
  passing: 'Passing',
  failing: 'Failing',
  'due-soon': 'Due soon',
  overdue: 'Overdue',
  missing: 'Missing',
  'not-applicable': 'Not applicable',
};

export const FRAMEWORK_LABELS: Record<Framework, string> = {
  soc2: 'SOC 2',
  gdpr: 'GDPR',
};

const useStyles = makeStyles(theme => ({
  chip: { fontWeight: theme.typography.fontWeightMedium as number },
  passing: { borderColor: theme.palette.success.main },
  failing: { borderColor: theme.palette.error.main },
  overdue: { borderColor: theme.palette.error.main },
  missing: { borderColor: theme.palette.warning.main },
  'due-soon': { borderColor: theme.palette.warning.main },
  'not-applicable': { borderColor: theme.palette.grey[500] },
}));

/** A status as an outlined chip: the words carry it, the border's colour only echoes them. */
export function EvidenceStatusChip(props: { status: EvidenceStatus }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      variant="outlined"
      label={STATUS_WORDS[props.status]}
      className={`${classes.chip} ${classes[props.status]}`}
      data-testid={`evidence-status-${props.status}`}
    />
  );
}

/** `2026-03-01` from an ISO instant: the day is what an auditor compares. */
export function day(iso?: string) {
  return iso ? iso.slice(0, 10) : '—';
}
