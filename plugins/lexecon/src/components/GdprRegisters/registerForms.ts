import { DSR_TYPES } from '@internal/plugin-lexecon-common';
import { GdprRegisterName } from '../../api/RecordedEvidenceClient';

/** How a form field is entered and sent. */
export type FieldKind =
  | 'text'
  | 'date'
  | 'time'
  /** One entry per line, sent as an array. */
  | 'lines'
  /** `Country: safeguards` per line. */
  | 'transfers'
  | 'select';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  options?: readonly string[];
  help?: string;
}

export interface RegisterForm {
  register: GdprRegisterName;
  add: string;
  title: string;
  fields: FieldSpec[];
}

export const REQUEST_FORM: RegisterForm = {
  register: 'requests',
  add: 'Add request',
  title: 'Data subject request',
  fields: [
    {
      key: 'type',
      label: 'Type',
      kind: 'select',
      options: DSR_TYPES,
      required: true,
    },
    {
      key: 'reference',
      label: 'Reference',
      kind: 'text',
      required: true,
      help: 'A case number, not the person’s data',
    },
    { key: 'receivedOn', label: 'Received on', kind: 'date', required: true },
    { key: 'note', label: 'Note', kind: 'text' },
  ],
};

export const BREACH_FORM: RegisterForm = {
  register: 'breaches',
  add: 'Add breach',
  title: 'Personal data breach',
  fields: [
    {
      key: 'incidentId',
      label: 'Incident',
      kind: 'text',
      required: true,
      help: 'The incident it came from',
    },
    { key: 'title', label: 'Title', kind: 'text', required: true },
    {
      key: 'awareAt',
      label: 'Aware at',
      kind: 'time',
      required: true,
      help: 'The 72 hours run from here',
    },
    {
      key: 'notifiedAuthorityAt',
      label: 'Authority notified at',
      kind: 'time',
    },
    {
      key: 'delayReason',
      label: 'Reason for a delay past 72 hours',
      kind: 'text',
    },
    { key: 'description', label: 'Description', kind: 'text' },
  ],
};

export const PROCESSING_FORM: RegisterForm = {
  register: 'processing-records',
  add: 'Add processing record',
  title: 'Record of processing (Art. 30)',
  fields: [
    { key: 'name', label: 'Processing activity', kind: 'text', required: true },
    {
      key: 'controller',
      label: 'Controller and contact',
      kind: 'text',
      required: true,
    },
    { key: 'purposes', label: 'Purposes', kind: 'lines', required: true },
    {
      key: 'dataSubjectCategories',
      label: 'Categories of data subjects',
      kind: 'lines',
      required: true,
    },
    {
      key: 'personalDataCategories',
      label: 'Categories of personal data',
      kind: 'lines',
      required: true,
    },
    { key: 'recipients', label: 'Recipients', kind: 'lines' },
    {
      key: 'thirdCountryTransfers',
      label: 'Transfers to third countries',
      kind: 'transfers',
      help: 'One per line: Country: safeguards',
    },
    { key: 'retention', label: 'Retention', kind: 'text', required: true },
    {
      key: 'securityMeasures',
      label: 'Security measures',
      kind: 'lines',
      required: true,
    },
    { key: 'reviewedOn', label: 'Reviewed on', kind: 'date', required: true },
  ],
};

const lines = (value: string) =>
  value
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);

/**
 * The request body from what was typed: lists split by line, times as ISO 8601, empty optional
 * fields left out. Validation is the server's: its refusal names the field.
 */
export function formBody(
  fields: readonly FieldSpec[],
  values: Record<string, string>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim();
    if (field.kind === 'lines') body[field.key] = lines(value);
    else if (field.kind === 'transfers') {
      body[field.key] = lines(value).map(line => {
        const [country, ...safeguards] = line.split(':');
        return {
          country: country.trim(),
          safeguards: safeguards.join(':').trim(),
        };
      });
    } else if (!value) continue;
    else if (field.kind === 'time') {
      const time = new Date(value);
      body[field.key] = Number.isNaN(time.getTime())
        ? value
        : time.toISOString();
    } else body[field.key] = value;
  }
  return body;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A day as a date input holds it (`YYYY-MM-DD`), in the browser's time zone. */
export const localDay = (date: Date) =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** A time as a datetime-local input holds it, in the browser's time zone, to the minute. */
export const localTime = (date: Date) =>
  `${localDay(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;

/** What the fields show for a stored entry: the reverse of `formBody`, to edit it. */
export function formValues(
  fields: readonly FieldSpec[],
  entry: object,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value: unknown = (entry as Record<string, unknown>)[field.key];
    if (value === undefined || value === null) continue;
    if (field.kind === 'lines')
      values[field.key] = (value as string[]).join('\n');
    else if (field.kind === 'transfers') {
      values[field.key] = (
        value as Array<{ country: string; safeguards: string }>
      )
        .map(t => `${t.country}: ${t.safeguards}`)
        .join('\n');
    } else if (field.kind === 'time') {
      const time = new Date(String(value));
      values[field.key] = Number.isNaN(time.getTime())
        ? String(value)
        : localTime(time);
    } else values[field.key] = String(value);
  }
  return values;
}
