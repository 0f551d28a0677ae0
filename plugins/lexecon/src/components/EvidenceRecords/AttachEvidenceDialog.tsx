import { EvidenceItem } from '@internal/plugin-lexecon-common';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useRecordedEvidenceClient } from '../../api/RecordedEvidenceClient';
import { RecordDialog } from './RecordDialog';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * "Attach evidence" on a recorded item: the file, the day it is evidence for, and a note. The
 * server checks the file (type by content, size, duplicates) and its refusal is shown as is.
 */
export function AttachEvidenceDialog(props: {
  item: Pick<EvidenceItem, 'id' | 'title'>;
  onAttached: () => void;
}) {
  const client = useRecordedEvidenceClient();
  const [file, setFile] = useState<File>();
  const [effectiveDate, setEffectiveDate] = useState(today());
  const [note, setNote] = useState('');

  return (
    <RecordDialog
      open="Attach evidence"
      title={`Attach evidence: ${props.item.title}`}
      confirm="Attach"
      canConfirm={Boolean(file && effectiveDate)}
      onOpen={() => setFile(undefined)}
      onSubmit={async () => {
        await client.attach(props.item.id, {
          file: file!,
          effectiveDate,
          ...(note.trim() ? { note: note.trim() } : {}),
        });
        props.onAttached();
      }}
    >
      <Typography variant="body2" gutterBottom>
        PDF, PNG, JPEG, CSV, plain text, Markdown or JSON. The portal keeps the
        file with its SHA-256, and counts it as collected on its effective date.
      </Typography>
      <TextField
        id="attach-evidence-file"
        label="File"
        type="file"
        fullWidth
        margin="dense"
        InputLabelProps={{ shrink: true }}
        inputProps={{
          accept: '.pdf,.png,.jpg,.jpeg,.csv,.txt,.md,.json',
          'data-testid': 'attach-evidence-file',
        }}
        onChange={e =>
          setFile((e.target as HTMLInputElement).files?.[0] ?? undefined)
        }
      />
      <TextField
        id="attach-evidence-date"
        label="Effective date"
        type="date"
        fullWidth
        margin="dense"
        required
        InputLabelProps={{ shrink: true }}
        value={effectiveDate}
        onChange={e => setEffectiveDate(e.target.value)}
      />
      <TextField
        id="attach-evidence-note"
        label="Note"
        fullWidth
        margin="dense"
        multiline
        value={note}
        onChange={e => setNote(e.target.value)}
      />
    </RecordDialog>
  );
}
