import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useState } from 'react';
import { serverMessage } from '../../api/RecordedEvidenceClient';

/**
 * A button opening a form in a dialog. Confirming runs `onSubmit`; a refusal stays in the dialog
 * in the server's own words (what was wrong with the file, the field, the permission), with what
 * the person entered kept.
 */
export function RecordDialog(props: {
  open: string;
  title: string;
  confirm: string;
  canConfirm: boolean;
  onSubmit: () => Promise<void>;
  onOpen?: () => void;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      await props.onSubmit();
      setOpen(false);
    } catch (e) {
      setError(serverMessage(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        onClick={() => {
          setError(undefined);
          props.onOpen?.();
          setOpen(true);
        }}
      >
        {props.open}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby="record-dialog-title"
        fullWidth
      >
        <DialogTitle id="record-dialog-title">{props.title}</DialogTitle>
        <DialogContent>
          {props.children}
          {error && (
            <Alert severity="error" role="alert" style={{ marginTop: 16 }}>
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={!props.canConfirm || sending}
            onClick={submit}
          >
            {props.confirm}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
