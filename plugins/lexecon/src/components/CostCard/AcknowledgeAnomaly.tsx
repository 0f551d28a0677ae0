import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CostAcknowledgementReason,
  CostAcknowledgementResult,
  CostAnomaly,
  lexeconCostAcknowledgePermission,
} from '@internal/plugin-lexecon-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { lexeconApiRef } from '../../api/LexeconApi';

const REASONS: Array<[CostAcknowledgementReason, string]> = [
  ['expected', 'Expected'],
  ['seasonal', 'Seasonal'],
  ['migration', 'Migration'],
  ['resolved', 'Resolved'],
  ['not-applicable', 'Not applicable'],
];

/** What happened to AWS's copy of the answer, in words. */
export function describeForwarding(result: CostAcknowledgementResult): string {
  const { forwarding } = result;
  if (forwarding.to === 'none') return 'Acknowledged.';
  if (forwarding.outcome === 'sent') {
    return `Acknowledged, and AWS was told (${forwarding.feedback}).`;
  }
  if (forwarding.outcome === 'failed') {
    return `Acknowledged here; AWS could not be told: ${forwarding.message}`;
  }
  return 'Acknowledged here; AWS has not answered yet.';
}

/** Whether the signed-in person may acknowledge the entity's anomalies. */
export function useMayAcknowledge(entityRef: CompoundEntityRef): boolean {
  const permission = usePermission({
    permission: lexeconCostAcknowledgePermission,
    resourceRef: stringifyEntityRef(entityRef),
  });
  return !permission.loading && permission.allowed;
}

/**
 * "Acknowledge" on an open anomaly, shown to people holding `lexecon.cost.acknowledge` on the
 * entity (see useMayAcknowledge): a reason and a comment, stored and audited, and forwarded to
 * AWS when AWS reported it.
 */
export function AcknowledgeAnomaly(props: {
  entityRef: CompoundEntityRef;
  anomaly: CostAnomaly;
  onAcknowledged: (result: CostAcknowledgementResult) => void;
}) {
  const { entityRef, anomaly, onAcknowledged } = props;
  const api = useApi(lexeconApiRef);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<CostAcknowledgementReason>('expected');
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error>();

  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      const result = await api.acknowledgeCostAnomaly(entityRef, anomaly.id, {
        reason,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setOpen(false);
      onAcknowledged(result);
    } catch (e) {
      setError(e as Error);
    } finally {
      setSending(false);
    }
  };
  const titleId = `acknowledge-${anomaly.id}`;
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        onClick={() => setOpen(true)}
        aria-label={`Acknowledge the ${anomaly.component} anomaly from ${anomaly.start}`}
        data-testid="cost-anomaly-acknowledge"
      >
        Acknowledge
      </Button>
      <Dialog
        open={open}
        onClose={() => !sending && setOpen(false)}
        aria-labelledby={titleId}
      >
        <DialogTitle id={titleId}>
          Acknowledge the {anomaly.component} anomaly from {anomaly.start}
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2" paragraph>
            It stops counting as open; the acknowledgement is audited
            {anomaly.source === 'aws'
              ? ', and AWS Cost Anomaly Detection is told'
              : ''}
            .
          </Typography>
          <TextField
            select
            id={`${titleId}-reason`}
            fullWidth
            margin="dense"
            label="Reason"
            value={reason}
            onChange={e =>
              setReason(e.target.value as CostAcknowledgementReason)
            }
            SelectProps={{ native: true }}
            inputProps={{ 'data-testid': 'cost-acknowledge-reason' }}
          >
            {REASONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </TextField>
          <TextField
            fullWidth
            multiline
            id={`${titleId}-comment`}
            margin="dense"
            label="Comment (optional)"
            value={comment}
            onChange={e => setComment(e.target.value)}
            inputProps={{
              maxLength: 1000,
              'data-testid': 'cost-acknowledge-comment',
            }}
          />
          {error && <ResponseErrorPanel error={error} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={sending}>
            Cancel
          </Button>
          <Button
            color="primary"
            variant="contained"
            onClick={submit}
            disabled={sending}
            data-testid="cost-acknowledge-submit"
          >
            Acknowledge
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
