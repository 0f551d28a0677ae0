import { Link } from '@backstage/core-components';
import { EnvironmentSummary } from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { darken, lighten, makeStyles } from '@material-ui/core/styles';
import { ChangelogTarget } from '../ChangelogDialog';
import { RelativeTime } from '../shared/RelativeTime';
import { ResultStatus } from '../shared/ResultStatus';
import { RESULT_LABELS } from '../shared/format';

const useStyles = makeStyles(theme => ({
  panel: {
    padding: theme.spacing(2),
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  },
  header: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'baseline',
  },
  version: {
    fontFamily: 'monospace',
    fontSize: theme.typography.h5.fontSize,
    fontWeight: theme.typography.fontWeightBold as number,
    textTransform: 'none',
    padding: 0,
    minWidth: 0,
    justifyContent: 'flex-start',
  },
  behind: {
    // The warning colour itself is below 4.5:1 as text; MUI's alerts shade it the same way.
    color:
      theme.palette.type === 'dark'
        ? lighten(theme.palette.warning.main, 0.6)
        : darken(theme.palette.warning.main, 0.6),
  },
}));

function behindText(summary: EnvironmentSummary): string | undefined {
  const { commitsBehind, behindOf } = summary;
  if (commitsBehind === undefined || !behindOf) return undefined;
  if (commitsBehind === 0) return `up to date with ${behindOf}`;
  return `${commitsBehind} commit${
    commitsBehind === 1 ? '' : 's'
  } behind ${behindOf}`;
}

function EnvironmentPanel(props: {
  summary: EnvironmentSummary;
  onShowChanges: (target: ChangelogTarget) => void;
}) {
  const { summary, onShowChanges } = props;
  const { environment, live, htmlUrl } = summary;
  const classes = useStyles();
  const behind = behindText(summary);

  return (
    <Paper
      variant="outlined"
      className={classes.panel}
      component="section"
      aria-label={`${environment} environment`}
    >
      <Box className={classes.header}>
        <Typography variant="overline" component="h3">
          {environment}
        </Typography>
        {htmlUrl && (
          <Link to={htmlUrl} aria-label={`${environment} on GitHub`}>
            GitHub
          </Link>
        )}
      </Box>
      {live ? (
        <>
          <Button
            className={classes.version}
            data-testid={`live-version-${environment}`}
            title={`Show the changes in ${live.version}`}
            onClick={() =>
              onShowChanges({
                deploymentId: live.deploymentId,
                version: live.version,
                environment,
              })
            }
          >
            {live.version}
          </Button>
          <Typography variant="body2" color="textSecondary">
            <RelativeTime value={live.since} prefix="since " />
            {live.triggeredBy && ` by ${live.triggeredBy.login}`}
          </Typography>
          <ResultStatus
            result={live.result}
            label={RESULT_LABELS[live.result]}
          />
          {live.helmRevision !== undefined && (
            <Typography variant="body2">
              Helm revision {live.helmRevision}
            </Typography>
          )}
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          Nothing deployed yet
        </Typography>
      )}
      {behind && (
        <Typography
          variant="body2"
          className={summary.commitsBehind ? classes.behind : undefined}
        >
          {behind}
        </Typography>
      )}
    </Paper>
  );
}

/** What is live in each environment, in the order the entity lists its environments. */
export function EnvironmentPanels(props: {
  environments: EnvironmentSummary[];
  onShowChanges: (target: ChangelogTarget) => void;
}) {
  const { environments, onShowChanges } = props;
  return (
    <Grid container spacing={2}>
      {environments.map(summary => (
        <Grid item xs={12} sm={6} md={4} key={summary.environment}>
          <EnvironmentPanel summary={summary} onShowChanges={onShowChanges} />
        </Grid>
      ))}
    </Grid>
  );
}
