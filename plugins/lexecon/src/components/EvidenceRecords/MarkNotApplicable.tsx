import { EvidenceItem } from '@internal/plugin-lexecon-common';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import {
  serverMessage,
  useRecordedEvidenceClient,
} from '../../api/RecordedEvidenceClient';
import { RecordDialog } from './RecordDialog';

/**
 * "Mark not applicable" with the reason an auditor will read (required), or, on a marked item,
 * withdrawing the mark.
 */
export function MarkNotApplicable(props: {
  item: Pick<EvidenceItem, 'id' | 'title'>;
  marked: boolean;
  onChanged: () => void;
}) {
  const client = useRecordedEvidenceClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();

  if (props.marked) {
    return (
      <>
        <Button
          size="small"
          onClick={async () => {
            setError(undefined);
            try {
              await client.withdrawNotApplicable(props.item.id);
              props.onChanged();
            } catch (e) {
              setError(serverMessage(e));
            }
          }}
        >
          Withdraw not applicable
        </Button>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </>
    );
  }
  return (
    <RecordDialog
      open="Mark not applicable"
      title={`Not applicable: ${props.item.title}`}
      confirm="Mark not applicable"
      canConfirm={Boolean(reason.trim())}
      onSubmit={async () => {
        await client.markNotApplicable(props.item.id, reason.trim());
        props.onChanged();
      }}
    >
      <TextField
        id="not-applicable-reason"
        label="Reason"
        helperText="Why the item does not apply: auditors read it."
        required
        fullWidth
        multiline
        margin="dense"
        value={reason}
        onChange={e => setReason(e.target.value)}
      />
    </RecordDialog>
  );
}
