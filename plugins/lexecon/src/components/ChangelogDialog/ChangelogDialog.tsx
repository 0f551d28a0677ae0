import { CompoundEntityRef } from '@backstage/catalog-model';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Changelog } from '@internal/plugin-lexecon-common';
import Avatar from '@material-ui/core/Avatar';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemAvatar from '@material-ui/core/ListItemAvatar';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useId } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lexeconApiRef } from '../../api/LexeconApi';
import { CommitMeta } from '../shared/CommitMeta';
import { RelativeTime } from '../shared/RelativeTime';

const useStyles = makeStyles(theme => ({
  mono: {
    fontFamily: 'monospace',
  },
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
}));

/** The deploy whose changes to show. */
export interface ChangelogTarget {
  deploymentId: string;
  version: string;
  environment: string;
}

export interface ChangelogDialogProps {
  entityRef: CompoundEntityRef;
  /** The dialog is open while a target is set. */
  target?: ChangelogTarget;
  onClose: () => void;
}

function pluralCommits(count: number): string {
  return `${count} commit${count === 1 ? '' : 's'}`;
}

function ChangelogSummary(props: { changelog: Changelog }) {
  const { changelog } = props;
  const classes = useStyles();
  const { base, compareUrl, commits, totalCommits } = changelog;
  return (
    <Box className={classes.summary}>
      <Typography variant="body1">
        {base ? (
          <>
            <strong>{pluralCommits(totalCommits)}</strong> since{' '}
            <span className={classes.mono}>{base.version}</span> in{' '}
            {changelog.environment}
          </>
        ) : (
          <>
            First known deploy to {changelog.environment}; there is no earlier
            version to compare with.
          </>
        )}
      </Typography>
      {totalCommits > commits.length && (
        <Typography variant="body2" color="textSecondary">
          Showing the first {commits.length}.
        </Typography>
      )}
      {compareUrl && (
        <Link to={compareUrl} externalLinkIcon>
          Compare on GitHub
        </Link>
      )}
      <Typography variant="caption" color="textSecondary">
        GitHub data as of <RelativeTime value={changelog.fetchedAt} />
      </Typography>
    </Box>
  );
}

function ChangelogBody(props: {
  entityRef: CompoundEntityRef;
  target: ChangelogTarget;
}) {
  const { entityRef, target } = props;
  const api = useApi(lexeconApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getChangelog(entityRef, target.deploymentId),
    [
      api,
      entityRef.kind,
      entityRef.namespace,
      entityRef.name,
      target.deploymentId,
    ],
  );

  if (loading) return <Progress />;
  if (error) {
    return (
      <>
        <ResponseErrorPanel
          error={error}
          title={`Could not load the changes in ${target.version}`}
        />
        <Box mt={2}>
          <Button variant="outlined" onClick={retry}>
            Retry
          </Button>
        </Box>
      </>
    );
  }
  if (!value) return null;

  return (
    <>
      <ChangelogSummary changelog={value} />
      {value.base && value.commits.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No new commits: {target.version} is the same code as{' '}
          {value.base.version}.
        </Typography>
      )}
      <List dense aria-label={`Commits in ${target.version}`}>
        {value.commits.map(commit => (
          <ListItem key={commit.sha} alignItems="flex-start" disableGutters>
            <ListItemAvatar>
              <Avatar
                src={commit.author?.avatarUrl}
                alt={commit.author?.login ?? 'unknown author'}
              >
                {commit.author?.login.charAt(0).toLocaleUpperCase('en-US')}
              </Avatar>
            </ListItemAvatar>
            <ListItemText
              primary={commit.title}
              secondary={<CommitMeta commit={commit} />}
            />
          </ListItem>
        ))}
      </List>
    </>
  );
}

/** The commits a deploy shipped, compared with the previous deploy to the same environment. */
export function ChangelogDialog(props: ChangelogDialogProps) {
  const { entityRef, target, onClose } = props;
  const titleId = useId();
  return (
    <Dialog
      open={Boolean(target)}
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="md"
    >
      {target && (
        <>
          <DialogTitle id={titleId}>Changes in {target.version}</DialogTitle>
          <DialogContent dividers>
            <ChangelogBody entityRef={entityRef} target={target} />
          </DialogContent>
        </>
      )}
      <DialogActions>
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
