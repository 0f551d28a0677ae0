import { Link, WarningPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ApprovalDecision,
  PendingApproval,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import { formatCountdown } from '../shared/format';
import { RelativeTime } from '../shared/RelativeTime';
import { useNow } from '../shared/useNow';
import {
  ChangeSetView,
  CiChecksView,
  ContextHeading,
  PersonLink,
  StagingView,
} from './ApprovalContext';
import { IneligibilityReasons, ineligibilitySummary } from './Eligibility';
import { ReadinessScoreView } from './ReadinessScoreView';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(2),
  },
  title: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 2),
    margin: theme.spacing(1, 0),
  },
  mono: {
    fontFamily: 'monospace',
  },
}));

export interface ApprovalItemProps {
  item: PendingApproval;
  /** Show which service the run belongs to (the portal-wide inbox). */
  showService?: boolean;
  onDecide: (item: PendingApproval, decision: ApprovalDecision) => void;
}

function Fact(props: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Typography variant="body2" component="span" data-testid={props.testId}>
      <Typography variant="body2" component="span" color="textSecondary">
        {props.label}{' '}
      </Typography>
      {props.children}
    </Typography>
  );
}

function DecisionButtons(props: ApprovalItemProps) {
  const { item, onDecide } = props;
  // Without the approve permission (auditors, on-call) there is never anything to decide: no
  // buttons, only the reasons below, which name the permission.
  if (item.viewer.reasons.some(r => r.code === 'missing-permission')) {
    return null;
  }
  const reason = ineligibilitySummary(item.viewer);
  const button = (decision: ApprovalDecision) => (
    <Tooltip title={reason}>
      {/* A disabled button fires no events; the span lets the tooltip explain why. */}
      <span>
        <Button
          variant={decision === 'approved' ? 'contained' : 'outlined'}
          color={decision === 'approved' ? 'primary' : 'default'}
          disabled={!item.viewer.canDecide}
          onClick={() => onDecide(item, decision)}
          data-testid={
            decision === 'approved' ? 'approve-button' : 'reject-button'
          }
          aria-label={`${decision === 'approved' ? 'Approve' : 'Reject'} ${
            item.version
          } for ${item.environment}`}
        >
          {decision === 'approved' ? 'Approve' : 'Reject'}
        </Button>
      </span>
    </Tooltip>
  );
  return (
    <Box display="flex" gridGap={8} alignItems="center">
      {button('approved')}
      {button('rejected')}
      {item.viewer.canDecide && item.viewer.needsGithubToken && (
        <Typography variant="caption" color="textSecondary">
          Your decision goes to GitHub as
          {item.viewer.githubLogin ? ` ${item.viewer.githubLogin}` : ' you'}
        </Typography>
      )}
    </Box>
  );
}

/** One run waiting for approval, with everything needed to decide on it. */
export function ApprovalItem(props: ApprovalItemProps) {
  const { item, showService } = props;
  const classes = useStyles();
  const now = useNow();
  const commitUrl = item.repository.htmlUrl
    ? `${item.repository.htmlUrl}/commit/${item.sha}`
    : undefined;

  return (
    <Paper
      variant="outlined"
      className={classes.root}
      data-testid={`approval-item-${item.runId}`}
      component="section"
      aria-label={`${item.version} waiting for ${item.environment}`}
    >
      <Box className={classes.title}>
        {showService && (
          <Typography variant="h6" component="span">
            <EntityRefLink
              entityRef={item.entityRef}
              title={item.entityTitle}
              data-testid="approval-service"
            />
          </Typography>
        )}
        <Typography
          variant="h6"
          component="span"
          data-testid="approval-version"
        >
          {item.version}
        </Typography>
        <Typography variant="body1" component="span">
          to
        </Typography>
        <Chip
          size="small"
          label={item.environment}
          // The secondary colour fails contrast with white text in the light theme.
          color="primary"
          data-testid="approval-environment"
        />
      </Box>
      <Typography variant="body2" color="textSecondary">
        {item.commitTitle && <>{item.commitTitle} · </>}
        {commitUrl ? (
          // Underlined: in grey text, colour alone does not tell a link apart.
          <Link to={commitUrl} className={classes.mono} underline="always">
            {item.shortSha}
          </Link>
        ) : (
          <span className={classes.mono}>{item.shortSha}</span>
        )}
        {' · '}
        {item.runUrl ? (
          <Link to={item.runUrl} underline="always">
            {item.workflowName ?? 'Workflow run'} #{item.runId}
          </Link>
        ) : (
          `${item.workflowName ?? 'Workflow run'} #${item.runId}`
        )}
      </Typography>

      <Box className={classes.facts}>
        <Fact label="Requested by" testId="requested-by">
          <PersonLink person={item.requestedBy} />
        </Fact>
        <Fact label="Waiting since" testId="waiting-since">
          <RelativeTime value={item.waitingSince} />
        </Fact>
        {item.waitTimerMinutes !== undefined && (
          <Fact label="Wait timer" testId="wait-timer">
            {item.waitTimerMinutes} min after approval
            {item.waitTimerEndsAt &&
              `, deploy proceeds in ${formatCountdown(
                item.waitTimerEndsAt,
                now,
              )}`}
          </Fact>
        )}
        <Fact label="Expires in" testId="expires-in">
          {formatCountdown(item.expiresAt, now)}
        </Fact>
        <Fact label="Required reviewers" testId="required-reviewers">
          {item.requiredReviewers.length === 0
            ? 'none (portal approvers)'
            : item.requiredReviewers.map((reviewer, index) => (
                <span key={`${reviewer.type}:${reviewer.name}`}>
                  {index > 0 && ', '}
                  {reviewer.htmlUrl ? (
                    <Link to={reviewer.htmlUrl}>{reviewer.name}</Link>
                  ) : (
                    reviewer.name
                  )}
                  {reviewer.type === 'Team' && ' (team)'}
                </span>
              ))}
        </Fact>
        {item.segregationOfDuties && (
          <Typography variant="body2" component="span" color="textSecondary">
            Segregation of duties applies
          </Typography>
        )}
      </Box>

      {item.warnings.length > 0 && (
        <Box display="flex" flexDirection="column" gridGap={8} mb={1}>
          {item.warnings.map(warning => (
            <WarningPanel key={warning} severity="warning" title={warning} />
          ))}
        </Box>
      )}

      <DecisionButtons {...props} />
      <IneligibilityReasons viewer={item.viewer} />

      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <ContextHeading>Changes</ContextHeading>
          <ChangeSetView
            changeSet={item.changeSet}
            environment={item.environment}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <ContextHeading>Release readiness</ContextHeading>
          <ReadinessScoreView readiness={item.readiness} />
        </Grid>
        <Grid item xs={12} md={6}>
          <ContextHeading>CI</ContextHeading>
          <CiChecksView ci={item.ci} />
        </Grid>
        <Grid item xs={12} md={6}>
          <ContextHeading>Staging</ContextHeading>
          <StagingView staging={item.staging} version={item.version} />
        </Grid>
      </Grid>
    </Paper>
  );
}
