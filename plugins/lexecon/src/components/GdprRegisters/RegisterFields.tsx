import TextField from '@material-ui/core/TextField';
import { FieldSpec } from './registerForms';

const INPUT_TYPES = { date: 'date', time: 'datetime-local' } as const;

/** A register form's fields, as typed: lists one entry per line, selects from their options. */
export function RegisterFields(props: {
  /** Prefixes the inputs' ids, unique on the page. */
  idPrefix: string;
  fields: readonly FieldSpec[];
  values: Record<string, string>;
  onChange: (key: string, value: string) => void;
}) {
  return (
    <>
      {props.fields.map(field => {
        const multiline = field.kind === 'lines' || field.kind === 'transfers';
        return (
          <TextField
            key={field.key}
            id={`${props.idPrefix}-${field.key}`}
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
            value={props.values[field.key] ?? ''}
            onChange={e => props.onChange(field.key, e.target.value)}
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
    </>
  );
}
