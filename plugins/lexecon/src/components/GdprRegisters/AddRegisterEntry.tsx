import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { useRecordedEvidenceClient } from '../../api/RecordedEvidenceClient';
import { RecordDialog } from '../EvidenceRecords/RecordDialog';
import { formBody, RegisterForm } from './registerForms';

const INPUT_TYPES = { date: 'date', time: 'datetime-local' } as const;

/** A register's "Add …" dialog; the server's refusal (naming the field) stays in it. */
export function AddRegisterEntry(props: {
  form: RegisterForm;
  onAdded: () => void;
}) {
  const { form } = props;
  const client = useRecordedEvidenceClient();
  const [values, setValues] = useState<Record<string, string>>({});
  const set = (key: string, value: string) =>
    setValues(current => ({ ...current, [key]: value }));

  return (
    <RecordDialog
      open={form.add}
      title={form.title}
      confirm="Save"
      canConfirm
      onOpen={() => setValues({})}
      onSubmit={async () => {
        await client.addToRegister(form.register, formBody(form, values));
        props.onAdded();
      }}
    >
      {form.fields.map(field => {
        const id = `${form.register}-${field.key}`;
        const multiline = field.kind === 'lines' || field.kind === 'transfers';
        return (
          <TextField
            key={field.key}
            id={id}
            label={field.label}
            helperText={
              field.help ?? (multiline ? 'One entry per line' : undefined)
            }
            required={field.required}
            fullWidth
            margin="dense"
            multiline={multiline}
            select={field.kind === 'select'}
            SelectProps={{ native: true }}
            type={
              field.kind === 'date' || field.kind === 'time'
                ? INPUT_TYPES[field.kind]
                : 'text'
            }
            InputLabelProps={{ shrink: true }}
            value={values[field.key] ?? ''}
            onChange={e => set(field.key, e.target.value)}
          >
            {field.kind === 'select' && (
              <>
                <option value="" />
                {field.options?.map(option => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </>
            )}
          </TextField>
        );
      })}
    </RecordDialog>
  );
}
