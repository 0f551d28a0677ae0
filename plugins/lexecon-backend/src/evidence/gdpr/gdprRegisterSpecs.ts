import {
  BreachRecord,
  BreachRecordBody,
  breachRecordBodySchema,
  DataSubjectRequest,
  DataSubjectRequestBody,
  dataSubjectRequestBodySchema,
  DsrDeadlineRule,
  ProcessingRecord,
  ProcessingRecordBody,
  processingRecordBodySchema,
} from '@internal/plugin-lexecon-common';
import { z } from 'zod';
import {
  breachLate,
  breachNotifyBy,
  dsrDeadline,
  dsrOverdue,
} from './gdprClock';

/** A stored entry: what the owner entered, its own columns, and who changed it last. */
export interface StoredEntry<B> {
  id: number;
  data: B;
  columns: Record<string, string>;
  updatedBy: string;
  updatedAt: string;
}

export interface ReadContext {
  now: Date;
}

/**
 * One register: its table, the body schema, the columns stored beside the JSON (`create` for a
 * new entry, `update` for a changed one: a request's counting rule is fixed when it is created)
 * and how an entry is shown at a given time.
 */
export interface RegisterSpec<B, V> {
  /** The path segment and the name in audit records. */
  name: 'processing-records' | 'requests' | 'breaches';
  table: string;
  schema: z.ZodType<B, z.ZodTypeDef, unknown>;
  orderBy: string;
  columns: (
    body: B,
    settings: { deadlineRule: DsrDeadlineRule },
    existing?: Record<string, string>,
  ) => Record<string, string>;
  view: (entry: StoredEntry<B>, context: ReadContext) => V;
}

const meta = (entry: StoredEntry<unknown>) => ({
  id: entry.id,
  updatedBy: entry.updatedBy,
  updatedAt: entry.updatedAt,
});

export const PROCESSING_RECORDS: RegisterSpec<
  ProcessingRecordBody,
  ProcessingRecord
> = {
  name: 'processing-records',
  table: 'lexecon_gdpr_processing_records',
  schema: processingRecordBodySchema,
  orderBy: 'id',
  columns: () => ({}),
  view: entry => ({ ...entry.data, ...meta(entry) }),
};

export const REQUESTS: RegisterSpec<
  DataSubjectRequestBody,
  DataSubjectRequest
> = {
  name: 'requests',
  table: 'lexecon_gdpr_requests',
  schema: dataSubjectRequestBodySchema,
  orderBy: 'received_on',
  columns: (body, settings, existing) => ({
    received_on: body.receivedOn,
    deadline_rule: existing?.deadline_rule ?? settings.deadlineRule,
  }),
  view: (entry, { now }) => {
    const deadlineRule = entry.columns.deadline_rule as DsrDeadlineRule;
    const deadline = dsrDeadline(
      entry.data.receivedOn,
      deadlineRule,
      entry.data.extension?.months,
    );
    return {
      ...entry.data,
      ...meta(entry),
      deadlineRule,
      deadline,
      overdue: dsrOverdue(entry.data, deadline, now),
    };
  },
};

export const BREACHES: RegisterSpec<BreachRecordBody, BreachRecord> = {
  name: 'breaches',
  table: 'lexecon_gdpr_breaches',
  schema: breachRecordBodySchema,
  orderBy: 'aware_at',
  columns: body => ({
    incident_id: body.incidentId,
    aware_at: new Date(body.awareAt).toISOString(),
  }),
  view: (entry, { now }) => ({
    ...entry.data,
    ...meta(entry),
    notifyBy: breachNotifyBy(entry.data.awareAt),
    late: breachLate(entry.data, now),
  }),
};
