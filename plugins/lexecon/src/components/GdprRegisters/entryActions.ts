import {
  BreachRecord,
  BreachRecordBody,
  DataSubjectRequest,
  DataSubjectRequestBody,
  ProcessingRecord,
  ProcessingRecordBody,
} from '@internal/plugin-lexecon-common';
import { GdprRegisterName } from '../../api/RecordedEvidenceClient';
import {
  FieldSpec,
  formBody,
  formValues,
  localDay,
  localTime,
  PROCESSING_FORM,
} from './registerForms';

/**
 * A change to one register entry, made in a dialog. The server replaces the whole entry, so the
 * body is the stored entry's own fields (its computed ones left out: the body schema is strict)
 * with what the dialog's fields say in place of theirs.
 */
export interface EntryAction<E> {
  register: GdprRegisterName;
  /** The button's words. */
  label: string;
  /** The button's accessible name and the dialog's title, naming the entry. */
  name: (entry: E) => string;
  fields: FieldSpec[];
  /** Whether the entry offers it at all. */
  offered: (entry: E) => boolean;
  /** What the fields show when the dialog opens. */
  initial: (entry: E, now: Date) => Record<string, string>;
  body: (entry: E, values: Record<string, string>) => object;
}

/** Every field of a register's body schema: the compiler checks none is missing or extra. */
type BodyKeys<B> = Record<keyof B, true>;

const REQUEST_KEYS: BodyKeys<DataSubjectRequestBody> = {
  type: true,
  reference: true,
  receivedOn: true,
  extension: true,
  status: true,
  closedOn: true,
  note: true,
};

const BREACH_KEYS: BodyKeys<BreachRecordBody> = {
  incidentId: true,
  title: true,
  awareAt: true,
  notifiedAuthorityAt: true,
  description: true,
  delayReason: true,
};

/** The entry's body fields, without those listed in `without` (the dialog's own). */
function storedBody(
  entry: object,
  keys: object,
  without: readonly FieldSpec[] = [],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const replaced = new Set(without.map(f => f.key));
  for (const key of Object.keys(keys)) {
    const value = (entry as Record<string, unknown>)[key];
    if (value !== undefined && !replaced.has(key)) body[key] = value;
  }
  return body;
}

const COMPLETION_FIELDS: FieldSpec[] = [
  {
    key: 'closedOn',
    label: 'Completed on',
    kind: 'date',
    required: true,
    help: 'The day the answer went to the data subject',
  },
  { key: 'note', label: 'Note', kind: 'text' },
];

/** Closes an open request: its status, the day it was answered and the request's note. */
export const RECORD_COMPLETION: EntryAction<DataSubjectRequest> = {
  register: 'requests',
  label: 'Record completion',
  name: r => `Record completion of request ${r.reference}`,
  fields: COMPLETION_FIELDS,
  offered: r => r.status === 'open',
  initial: (r, now) => ({ closedOn: localDay(now), note: r.note ?? '' }),
  body: (r, values) => ({
    ...storedBody(r, REQUEST_KEYS, COMPLETION_FIELDS),
    status: 'closed',
    ...formBody(COMPLETION_FIELDS, values),
  }),
};

/** Art. 12(3): one or two further months, with the reason the data subject is given. */
export const EXTEND_REQUEST: EntryAction<DataSubjectRequest> = {
  register: 'requests',
  label: 'Extend',
  name: r => `Extend request ${r.reference}`,
  fields: [
    {
      key: 'months',
      label: 'Further months',
      kind: 'select',
      options: ['1', '2'],
      required: true,
      help: 'Art. 12(3): by up to two months',
    },
    {
      key: 'reason',
      label: 'Reason',
      kind: 'text',
      required: true,
      help: 'As told to the data subject within the first month',
    },
  ],
  offered: r => r.status === 'open',
  initial: r => ({
    months: r.extension ? String(r.extension.months) : '',
    reason: r.extension?.reason ?? '',
  }),
  body: (r, values) => ({
    ...storedBody(r, REQUEST_KEYS),
    extension: {
      months: values.months ? Number(values.months) : undefined,
      reason: (values.reason ?? '').trim(),
    },
  }),
};

const NOTIFICATION_FIELDS: FieldSpec[] = [
  {
    key: 'notifiedAuthorityAt',
    label: 'Authority notified at',
    kind: 'time',
    required: true,
  },
  {
    key: 'delayReason',
    label: 'Reason for a delay past 72 hours',
    kind: 'text',
    help: 'Art. 33(1): needed when the notification is late',
  },
];

/** Art. 33: when the supervisory authority was notified (and why late, if it was). */
export const RECORD_NOTIFICATION: EntryAction<BreachRecord> = {
  register: 'breaches',
  label: 'Record notification',
  name: b => `Record notification of breach ${b.incidentId}`,
  fields: NOTIFICATION_FIELDS,
  offered: b => !b.notifiedAuthorityAt,
  initial: (b, now) => ({
    notifiedAuthorityAt: localTime(now),
    delayReason: b.delayReason ?? '',
  }),
  body: (b, values) => ({
    ...storedBody(b, BREACH_KEYS, NOTIFICATION_FIELDS),
    ...formBody(NOTIFICATION_FIELDS, values),
  }),
};

/** The add form, prefilled: it holds every field of a record of processing. */
export const EDIT_PROCESSING_RECORD: EntryAction<ProcessingRecord> = {
  register: 'processing-records',
  label: 'Edit',
  name: p => `Edit processing record ${p.name}`,
  fields: PROCESSING_FORM.fields,
  offered: () => true,
  initial: p => formValues(PROCESSING_FORM.fields, p),
  body: (_p, values): Partial<ProcessingRecordBody> =>
    formBody(PROCESSING_FORM.fields, values),
};
