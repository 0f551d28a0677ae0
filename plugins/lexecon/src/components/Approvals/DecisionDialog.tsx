import {
  ApprovalDecision,
  ConflictDetails,
  PendingApproval,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useId, useState } from 'react';
import { formatRelative } from '../shared/format';
import { useDecision } from './useDecision';

const VERB: Record<ApprovalDecision, { verb: string; done: string }> = {
  approved: { verb: 'Approve', done: 'Approved' },
  rejected: { verb: 'Reject', done: 'Rejected' },
};

/** What the 409 tells: who decided first, or what became of the run. */
export function describeConflict(conflict: ConflictDetails): string {
  switch (conflict.reason) {
    case 'already-decided':
      return `Already ${conflict.decision ?? 'decided'}${
        conflict.decidedBy ? ` by ${conflict.decidedBy}` : ''
      }${conflict.decidedAt ? ` ${formatRelative(conflict.decidedAt)}` : ''}.`;
    case 'in-progress':
      return 'Someone else is deciding on this run right now.';
    default:
      return `The run is no longer waiting for approval${
        conflict.runStatus
          ? ` (it is ${conflict.runStatus.replace(/_/g, ' ')})`
          : ''
      }.`;
  }
}

export interface DecisionDialogProps {
  item: PendingApproval;
  decision: ApprovalDecision;
  onClose: () => void;
  /** The inbox (and deploy history) should be loaded again. */
  onChanged: () => void;
}

/** Confirms an approval or rejection with a required comment, then shows the outcome. */
export function DecisionDialog(props: DecisionDialogProps) {
  const { item, decision, onClose, onChanged } = props;
  const titleId = useId();
  const [comment, setComment] = useState('');
  const { phase, submit } = useDecision({ item, decision, onChanged });
  const { verb } = VERB[decision];
  const target = `${item.version} for ${item.environment}`;
  const commentMissing = comment.trim().length === 0;
  const submitting = phase.state === 'submitting';
  const finished = phase.state === 'decided' || phase.state === 'conflict';

  return (
    <Dialog
      open
      onClose={submitting ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
      data-testid="decision-dialog"
    >
      <DialogTitle id={titleId}>
        {verb} {target}?
      </DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" gutterBottom data-testid="decision-summary">
          {item.entityTitle ?? item.repository.slug}: {item.version} (
          {item.shortSha}
          {item.commitTitle ? `, ${item.commitTitle}` : ''}) to{' '}
          <strong>{item.environment}</strong>
          {item.requestedBy && `, requested by ${item.requestedBy.login}`}.
        </Typography>
        {!finished && (
          <TextField
            label="Comment"
            placeholder={`Why you ${verb.toLocaleLowerCase('en-US')} ${
              item.version
            }`}
            required
            fullWidth
            multiline
            minRows={3}
            margin="normal"
            variant="outlined"
            value={comment}
            onChange={e => setComment(e.target.value)}
            disabled={submitting}
            helperText="Required: say why you approve or reject. It goes into the audit trail."
            data-testid="decision-comment"
            inputProps={{ maxLength: 1000, 'aria-label': 'Comment' }}
          />
        )}
        {submitting && (
          <Box
            display="flex"
            alignItems="center"
            gridGap={8}
            data-testid="decision-progress"
          >
            <CircularProgress size={20} />
            <Typography variant="body2">
              {decision === 'approved' ? 'Approving' : 'Rejecting'} {target}…
            </Typography>
          </Box>
        )}
        {phase.state === 'needs-github' && (
          <Alert
            severity="info"
            data-testid="github-sign-in-required"
            action={
              <Button
                color="inherit"
                size="small"
                onClick={() => submit(comment, true)}
                data-testid="github-sign-in"
              >
                Sign in with GitHub
              </Button>
            }
          >
            <AlertTitle>
              Sign in with GitHub to {verb.toLocaleLowerCase('en-US')}
            </AlertTitle>
            This environment takes reviews from GitHub accounts, so your
            decision is sent with your own GitHub sign-in ({phase.message}).
          </Alert>
        )}
        {phase.state === 'decided' && (
          <Alert severity="success" data-testid="decision-outcome">
            <AlertTitle>
              {VERB[phase.result.decision].done} {phase.result.version} for{' '}
              {phase.result.environment}
            </AlertTitle>
            Recorded in the audit trail as entry #{phase.result.auditId}
            {phase.result.githubLogin &&
              `, sent to GitHub as ${phase.result.githubLogin}`}
            .
          </Alert>
        )}
        {phase.state === 'conflict' && (
          <Alert severity="warning" data-testid="decision-conflict">
            <AlertTitle>{phase.message}</AlertTitle>
            {describeConflict(phase.conflict)} The list has been reloaded.
          </Alert>
        )}
        {phase.state === 'failed' && (
          <Alert severity="error" data-testid="decision-error">
            <AlertTitle>
              Could not {verb.toLocaleLowerCase('en-US')} {target}
            </AlertTitle>
            {phase.message}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {finished ? (
          <Button
            onClick={onClose}
            color="primary"
            data-testid="close-decision"
          >
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={submitting}>
              Cancel
            </Button>
            <Button
              color="primary"
              variant="contained"
              disabled={commentMissing || submitting}
              onClick={() => submit(comment)}
              data-testid="confirm-decision"
            >
              {verb} {item.version}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
