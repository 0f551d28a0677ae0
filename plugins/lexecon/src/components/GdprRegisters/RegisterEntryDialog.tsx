import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { useId, useState } from 'react';
import {
  GdprRegisterName,
  serverMessage,
  useRecordedEvidenceClient,
} from '../../api/RecordedEvidenceClient';
import { EntryAction } from './entryActions';
import { RegisterFields } from './RegisterFields';
import { FieldSpec, formBody, RegisterForm } from './registerForms';

/**
 * A button opening a register form in a dialog: a new entry (POST) without `id`, else the whole
 * changed entry (PUT). A refusal stays in the dialog in the server's words (naming the field),
 * with what was typed kept.
 */
export function RegisterEntryDialog(props: {
  register: GdprRegisterName;
  id?: number;
  label: string;
  /** The button's accessible name and the dialog's title; `label` when absent. */
  name?: string;
  title: string;
  fields: readonly FieldSpec[];
  initial: () => Record<string, string>;
  toBody: (values: Record<string, string>) => object;
  onSaved: () => void;
}) {
  const client = useRecordedEvidenceClient();
  const idPrefix = `gdpr-${useId().replace(/:/g, '')}`;
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      const body = props.toBody(values);
      if (props.id === undefined) {
        await client.addToRegister(props.register, body);
      } else {
        await client.updateRegisterEntry(props.register, props.id, body);
      }
      setOpen(false);
      props.onSaved();
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
        aria-label={props.name}
        onClick={() => {
          setValues(props.initial());
          setError(undefined);
          setOpen(true);
        }}
      >
        {props.label}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby={`${idPrefix}-title`}
        fullWidth
      >
        <DialogTitle id={`${idPrefix}-title`}>{props.title}</DialogTitle>
        <DialogContent>
          <RegisterFields
            idPrefix={idPrefix}
            fields={props.fields}
            values={values}
            onChange={(key, value) =>
              setValues(current => ({ ...current, [key]: value }))
            }
          />
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
            disabled={sending}
            onClick={submit}
          >
            Save
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** A register's "Add …" button and dialog. */
export function AddRegisterEntry(props: {
  form: RegisterForm;
  onAdded: () => void;
}) {
  const { form } = props;
  return (
    <RegisterEntryDialog
      register={form.register}
      label={form.add}
      title={form.title}
      fields={form.fields}
      initial={() => ({})}
      toBody={values => formBody(form.fields, values)}
      onSaved={props.onAdded}
    />
  );
}

/** The changes an entry offers, one button and dialog each. */
export function EntryActions<E extends { id: number }>(props: {
  entry: E;
  actions: EntryAction<E>[];
  onSaved: () => void;
}) {
  const { entry } = props;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
      {props.actions
        .filter(action => action.offered(entry))
        .map(action => (
          <RegisterEntryDialog
            key={action.label}
            register={action.register}
            id={entry.id}
            label={action.label}
            name={action.name(entry)}
            title={action.name(entry)}
            fields={action.fields}
            initial={() => action.initial(entry, new Date())}
            toBody={values => action.body(entry, values)}
            onSaved={props.onSaved}
          />
        ))}
    </div>
  );
}
