import { Link } from '@backstage/core-components';
import { ChangelogCommit } from '@internal/plugin-lexecon-common';
import { makeStyles } from '@material-ui/core/styles';
import { RelativeTime } from './RelativeTime';

const useStyles = makeStyles(theme => ({
  sha: {
    fontFamily: 'monospace',
    marginRight: theme.spacing(1),
  },
}));

/** A commit's short sha (linked to GitHub when known), author and when it was written. */
export function CommitMeta(props: { commit: ChangelogCommit }) {
  const { commit } = props;
  const classes = useStyles();
  return (
    <>
      {commit.htmlUrl ? (
        <Link
          to={commit.htmlUrl}
          className={classes.sha}
          aria-label={`Commit ${commit.shortSha} on GitHub`}
        >
          {commit.shortSha}
        </Link>
      ) : (
        <span className={classes.sha}>{commit.shortSha}</span>
      )}
      {commit.author?.login ?? commit.authorName ?? 'unknown author'}
      {commit.authoredAt && (
        <>
          {' · '}
          <RelativeTime value={commit.authoredAt} />
        </>
      )}
    </>
  );
}
