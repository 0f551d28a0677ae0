import {
  ApprovalDecision,
  ConflictDetails,
  OVERRIDE_REASON_MIN_LENGTH,
  PendingApproval,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useId, useState } from 'react';
import { formatRelative } from '../shared/format';
import { ConnectGithub } from './ConnectGithub';
import { useDecidedElsewhere } from './useDecidedElsewhere';
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
    case 'below-readiness-gate':
      return 'The release does not pass the readiness gate.';
    default:
      return `The run is no longer waiting for approval${
        conflict.runStatus
          ? ` (it is ${conflict.runStatus.replace(/_/g, ' ')})`
          : ''
      }.`;
  }
}

/**
 * A release below the readiness gate (or with an input missing): what fails, and for a member of
 * an override group the written reason and the explicit confirmation the override needs.
 */
function ReadinessGateOverride(props: {
  item: PendingApproval;
  reason: string;
  onReason: (reason: string) => void;
  confirmed: boolean;
  onConfirmed: (confirmed: boolean) => void;
  disabled: boolean;
}) {
  const { item, reason, confirmed, disabled } = props;
  const { readiness, gate } = item;
  const failing =
    readiness?.inputs.filter(i => readiness.failing.includes(i.key)) ?? [];
  const short = reason.trim().length < OVERRIDE_REASON_MIN_LENGTH;
  return (
    <Box mb={2}>
      <Alert severity="warning" data-testid="readiness-gate-failing">
        <AlertTitle>
          {readiness
            ? `Below the readiness gate: ${readiness.score} against ${readiness.gate}`
            : 'The readiness of this release is unknown'}
        </AlertTitle>
        {failing.length > 0 && (
          <ul>
            {failing.map(input => (
              <li key={input.key}>
                {input.label}:{' '}
                {input.score === undefined ? 'missing' : input.score} (
                {input.detail})
              </li>
            ))}
          </ul>
        )}
        {!gate.viewerCanOverride &&
          `Only members of ${
            gate.overrideGroups.join(', ') || 'an override group'
          } may approve a release below the readiness gate.`}
      </Alert>
      {gate.viewerCanOverride && (
        <>
          <TextField
            label="Reason for overriding the readiness gate"
            required
            fullWidth
            multiline
            minRows={2}
            margin="normal"
            variant="outlined"
            value={reason}
            onChange={e => props.onReason(e.target.value)}
            disabled={disabled}
            error={reason.length > 0 && short}
            helperText={`At least ${OVERRIDE_REASON_MIN_LENGTH} characters. It is recorded as an exception in the audit trail and shown on the deploy.`}
            data-testid="override-reason"
            inputProps={{
              maxLength: 1000,
              'aria-label': 'Reason for overriding the readiness gate',
            }}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={confirmed}
                onChange={e => props.onConfirmed(e.target.checked)}
                disabled={disabled}
                data-testid="override-confirm"
              />
            }
            label="Override the readiness gate"
          />
        </>
      )}
    </Box>
  );
}

export interface DecisionDialogProps {
  item: PendingApproval;
  decision: ApprovalDecision;
  onClose: () => void;
  /** The inbox (and deploy history) should be loaded again. */
  onChanged: () => void;
}

/** What the person is told when the run was decided while the dialog was open. */
function DecidedElsewhere(props: {
  item: PendingApproval;
  outcome: ApprovalDecision | 'no-longer-waiting';
}) {
  const { item, outcome } = props;
  const what = `${item.version} for ${item.environment}`;
  return (
    <Alert severity="warning" data-testid="decided-elsewhere">
      <AlertTitle>Decided elsewhere</AlertTitle>
      {outcome === 'no-longer-waiting'
        ? `${what} is no longer waiting for approval: it was decided or cancelled elsewhere while this dialog was open.`
        : `Someone else ${outcome} ${what} while this dialog was open.`}{' '}
      Nothing was sent; your comment is kept below.
    </Alert>
  );
}

/** Confirms an approval or rejection with a required comment, then shows the outcome. */
export function DecisionDialog(props: DecisionDialogProps) {
  const { item, decision, onClose, onChanged } = props;
  const titleId = useId();
  const [comment, setComment] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [overrideConfirmed, setOverrideConfirmed] = useState(false);
  const { phase, submit, githubConnected } = useDecision({
    item,
    decision,
    onChanged,
  });
  const { verb } = VERB[decision];
  const target = `${item.version} for ${item.environment}`;
  const commentMissing = comment.trim().length === 0;
  const submitting = phase.state === 'submitting';
  const finished = phase.state === 'decided' || phase.state === 'conflict';
  const decidedElsewhere = useDecidedElsewhere(item, !submitting && !finished);
  // Rejecting never needs an override.
  const belowGate = decision === 'approved' && item.gate.overrideRequired;
  const overrideReady =
    !belowGate ||
    (item.gate.viewerCanOverride &&
      overrideConfirmed &&
      overrideReason.trim().length >= OVERRIDE_REASON_MIN_LENGTH);
  const send = (signIn?: boolean) =>
    submit(comment, {
      signIn,
      overrideReason: belowGate ? overrideReason : undefined,
    });

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
        {decidedElsewhere && !finished && (
          <DecidedElsewhere item={item} outcome={decidedElsewhere} />
        )}
        <Typography variant="body2" gutterBottom data-testid="decision-summary">
          {item.entityTitle ?? item.repository.slug}: {item.version} (
          {item.shortSha}
          {item.commitTitle ? `, ${item.commitTitle}` : ''}) to{' '}
          <strong>{item.environment}</strong>
          {item.requestedBy && `, requested by ${item.requestedBy.login}`}.
        </Typography>
        {belowGate && !finished && (
          <ReadinessGateOverride
            item={item}
            reason={overrideReason}
            onReason={setOverrideReason}
            confirmed={overrideConfirmed}
            onConfirmed={setOverrideConfirmed}
            disabled={submitting}
          />
        )}
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
        {phase.state === 'editing' && githubConnected === false && (
          <ConnectGithub verb={verb} environment={item.environment} />
        )}
        {phase.state === 'needs-github' && !decidedElsewhere && (
          <ConnectGithub
            verb={verb}
            environment={item.environment}
            detail={phase.message}
            onConnect={() => send(true)}
          />
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
              disabled={
                commentMissing ||
                submitting ||
                !overrideReady ||
                Boolean(decidedElsewhere)
              }
              onClick={() => send()}
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
