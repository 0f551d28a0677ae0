import { Link } from '@backstage/core-components';
import { ReadinessBand, ReadinessScore } from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  score: {
    fontSize: '2rem',
    fontWeight: 600,
    lineHeight: 1,
  },
  excellent: {
    backgroundColor: theme.palette.success.dark,
    color: theme.palette.success.contrastText,
  },
  good: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  fair: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  poor: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  nowrap: {
    whiteSpace: 'nowrap',
  },
  missing: {
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
  },
}));

/** The readiness band as a coloured chip: excellent, good, fair or poor. */
export function ReadinessBandChip(props: { band: ReadinessBand }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.band}
      className={classes[props.band]}
      data-testid="readiness-band"
    />
  );
}

/** The release readiness score, its band, the gate, and the four weighted inputs. */
export function ReadinessScoreView(props: { readiness?: ReadinessScore }) {
  const { readiness } = props;
  const classes = useStyles();
  if (!readiness) {
    return (
      <Typography variant="body2" color="textSecondary">
        No readiness score for this version.
      </Typography>
    );
  }
  return (
    <Box data-testid="readiness-score">
      <Box display="flex" alignItems="center" gridGap={12} mb={1}>
        <Typography className={classes.score} component="span">
          {readiness.score.toFixed(1)}
        </Typography>
        <Typography variant="body2" color="textSecondary" component="span">
          / 100
        </Typography>
        <ReadinessBandChip band={readiness.band} />
      </Box>
      <Typography
        variant="body2"
        data-testid="readiness-gate"
        color={readiness.passesGate ? 'textPrimary' : 'error'}
      >
        {readiness.passesGate
          ? `Passes the release gate of ${readiness.gate}`
          : `Below the release gate of ${readiness.gate}`}
      </Typography>
      <Table size="small" aria-label="Readiness inputs">
        <TableHead>
          <TableRow>
            <TableCell>Input</TableCell>
            <TableCell align="right" className={classes.nowrap}>
              Weight
            </TableCell>
            <TableCell align="right" className={classes.nowrap}>
              Score
            </TableCell>
            <TableCell>Based on</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {readiness.inputs.map(input => (
            <TableRow
              key={input.key}
              data-testid={`readiness-input-${input.key}`}
            >
              <TableCell>{input.label}</TableCell>
              <TableCell align="right">
                {Math.round(input.weight * 100)}%
              </TableCell>
              <TableCell align="right">
                {input.score === undefined ? (
                  <span className={classes.missing}>n/a (counts as 0)</span>
                ) : (
                  input.score
                )}
              </TableCell>
              <TableCell>
                {input.url ? (
                  <Link to={input.url} externalLinkIcon>
                    {input.detail}
                  </Link>
                ) : (
                  input.detail
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
