import {
  Link,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import {
  ChangeSet,
  CiResult,
  Person,
  StagingContext,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { PropsWithChildren, ReactElement, ReactNode } from 'react';
import { formatSpan } from '../shared/format';
import { CommitMeta } from '../shared/CommitMeta';
import { RelativeTime } from '../shared/RelativeTime';

const useStyles = makeStyles(theme => ({
  heading: {
    marginBottom: theme.spacing(1),
  },
}));

type StatusComponent = (props: PropsWithChildren<{}>) => ReactElement;

const CHECK_STATUS: Record<string, StatusComponent> = {
  success: StatusOK,
  failure: StatusError,
  timed_out: StatusError,
  action_required: StatusWarning,
  neutral: StatusWarning,
  cancelled: StatusAborted,
  skipped: StatusAborted,
  pending: StatusPending,
  unknown: StatusPending,
};

/**
 * A coloured status icon followed by its text. The status components hide their content from
 * assistive technology, so the text (and any link in it) goes next to the icon, not inside.
 */
function StatusLine(props: { Status: StatusComponent; children: ReactNode }) {
  const { Status } = props;
  return (
    <Box component="span" display="flex" alignItems="baseline">
      <Status />
      <span>{props.children}</span>
    </Box>
  );
}

/** A check or CI conclusion as a coloured status followed by its text. */
function CheckStatus(props: { conclusion: string; children: ReactNode }) {
  return (
    <StatusLine Status={CHECK_STATUS[props.conclusion] ?? StatusWarning}>
      {props.children}
    </StatusLine>
  );
}

/** A GitHub user's login, linked to their profile when known. */
export function PersonLink(props: { person?: Person }) {
  const { person } = props;
  if (!person) return <>unknown</>;
  return person.htmlUrl ? (
    <Link to={person.htmlUrl}>{person.login}</Link>
  ) : (
    <>{person.login}</>
  );
}

export function ContextHeading(props: { children: ReactNode }) {
  const classes = useStyles();
  return (
    <Typography variant="subtitle2" className={classes.heading}>
      {props.children}
    </Typography>
  );
}

/** Placeholder for a part of the context the backend could not read. */
function Unavailable(props: { what: string }) {
  return (
    <Typography variant="body2" color="textSecondary">
      The {props.what} could not be read.
    </Typography>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The commits and pull requests between what is live and the waiting version. */
export function ChangeSetView(props: {
  changeSet?: ChangeSet;
  environment: string;
}) {
  const { changeSet, environment } = props;
  if (!changeSet) {
    return <Unavailable what="change set" />;
  }
  return (
    <Box data-testid="change-set">
      <Typography variant="body2">
        {changeSet.base ? (
          <>
            <strong>{plural(changeSet.totalCommits, 'commit')}</strong> since{' '}
            {changeSet.base.version}, live in {environment}
          </>
        ) : (
          <>First deploy to {environment}</>
        )}
        {changeSet.totalCommits > changeSet.commits.length &&
          ` (showing the first ${changeSet.commits.length})`}
        {changeSet.compareUrl && (
          <>
            {' · '}
            {/* Underlined: inside a sentence, colour alone does not tell a link apart. */}
            <Link to={changeSet.compareUrl} externalLinkIcon underline="always">
              Compare on GitHub
            </Link>
          </>
        )}
      </Typography>
      {changeSet.authors.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          Authors: {changeSet.authors.join(', ')}
        </Typography>
      )}
      <List dense disablePadding aria-label="Commits">
        {changeSet.commits.map(commit => (
          <ListItem key={commit.sha} disableGutters>
            <ListItemText
              primary={commit.title}
              secondary={<CommitMeta commit={commit} />}
            />
          </ListItem>
        ))}
      </List>
      {changeSet.pullRequests.length > 0 && (
        <List dense disablePadding aria-label="Pull requests">
          {changeSet.pullRequests.map(pr => (
            <ListItem key={pr.number} disableGutters>
              <ListItemText
                primary={
                  pr.htmlUrl ? (
                    <Link to={pr.htmlUrl}>
                      #{pr.number} {pr.title}
                    </Link>
                  ) : (
                    `#${pr.number} ${pr.title}`
                  )
                }
                secondary={pr.author ? `by ${pr.author.login}` : undefined}
              />
            </ListItem>
          ))}
        </List>
      )}
    </Box>
  );
}

const CI_SUMMARY: Record<CiResult['conclusion'], string> = {
  success: 'All checks passed',
  failure: 'Some checks failed',
  pending: 'Checks are still running',
  unknown: 'CI result unknown',
};

/** The CI result of the waiting commit, one line per check. */
export function CiChecksView(props: { ci?: CiResult }) {
  const { ci } = props;
  if (!ci) {
    return <Unavailable what="CI result" />;
  }
  return (
    <Box data-testid="ci-result">
      <Typography variant="body2" component="div">
        <CheckStatus conclusion={ci.conclusion}>
          {CI_SUMMARY[ci.conclusion]}
        </CheckStatus>
      </Typography>
      <List dense disablePadding aria-label="CI checks">
        {ci.checks.map(check => (
          <ListItem
            key={check.name}
            disableGutters
            data-testid={`ci-check-${check.name}`}
          >
            <ListItemText
              primary={
                <CheckStatus conclusion={check.conclusion}>
                  {check.url ? (
                    <Link to={check.url}>{check.name}</Link>
                  ) : (
                    check.name
                  )}
                  {`: ${check.conclusion.replace(/_/g, ' ')}`}
                </CheckStatus>
              }
              secondary={check.summary}
            />
          </ListItem>
        ))}
      </List>
    </Box>
  );
}

const HEALTH_STATUS: Record<StagingContext['health'], StatusComponent> = {
  healthy: StatusOK,
  failing: StatusError,
  unknown: StatusPending,
};

/** How long the waiting version has been on staging, and how it is doing there. */
export function StagingView(props: {
  staging?: StagingContext;
  version: string;
}) {
  const { staging, version } = props;
  if (!staging) {
    return <Unavailable what="staging state" />;
  }
  return (
    <Box data-testid="staging-context">
      <Typography variant="body2">
        {staging.isLiveOnStaging ? (
          <>
            {version} is live on staging
            {staging.onStagingSeconds !== undefined &&
              ` for ${formatSpan(staging.onStagingSeconds)}`}
          </>
        ) : (
          <>
            {version} is not live on staging
            {staging.liveVersion && ` (staging runs ${staging.liveVersion})`}
          </>
        )}
        {staging.deployedAt && (
          <>
            {' · deployed '}
            <RelativeTime value={staging.deployedAt} />
          </>
        )}
      </Typography>
      <Typography variant="body2" component="div">
        <StatusLine Status={HEALTH_STATUS[staging.health]}>
          {staging.health}
          {staging.result && ` · deploy ${staging.result}`}
        </StatusLine>
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {staging.detail}
      </Typography>
    </Box>
  );
}
