import { z } from 'zod';
import { isoDaySchema } from './recordedEvidence';

/**
 * The GDPR registers kept in the portal (issue 16): records of processing (Art. 30), data subject
 * requests with their deadline (Art. 12(3)) and personal data breaches with the 72-hour clock
 * (Art. 33).
 */

/**
 * How a request's one month is counted: `calendar-month` (the same day of the next month, or that
 * month's last day when it is shorter: 31 January gives 28/29 February) or `days-30`. Stored with
 * each request when it is received, so a later change of the setting moves no deadline.
 */
export type DsrDeadlineRule = 'calendar-month' | 'days-30';
export const DSR_DEADLINE_RULES: readonly DsrDeadlineRule[] = [
  'calendar-month',
  'days-30',
];

export type DsrType =
  | 'access'
  | 'rectification'
  | 'erasure'
  | 'portability'
  | 'objection';
export const DSR_TYPES: readonly DsrType[] = [
  'access',
  'rectification',
  'erasure',
  'portability',
  'objection',
];

export type DsrStatus = 'open' | 'closed';

const text = (max: number) => z.string().trim().min(1, 'is required').max(max);
const list = z.array(text(500)).min(1, 'needs at least one entry').max(100);
const isoInstant = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 time' });

/** Art. 30(1) fields of one processing activity. */
export const processingRecordBodySchema = z
  .object({
    name: text(200),
    controller: text(500),
    purposes: list,
    dataSubjectCategories: list,
    personalDataCategories: list,
    recipients: z.array(text(500)).max(100),
    thirdCountryTransfers: z
      .array(z.object({ country: text(100), safeguards: text(1000) }).strict())
      .max(100),
    retention: text(1000),
    securityMeasures: list,
    /** When the record was last reviewed: the register is as current as its oldest review. */
    reviewedOn: isoDaySchema,
  })
  .strict();
export type ProcessingRecordBody = z.infer<typeof processingRecordBodySchema>;

export interface ProcessingRecord extends ProcessingRecordBody {
  id: number;
  updatedBy: string;
  updatedAt: string;
}

export const dsrExtensionSchema = z
  .object({
    /** Art. 12(3): by up to two further months. */
    months: z.union([z.literal(1), z.literal(2)]),
    reason: text(2000),
  })
  .strict();

/** A data subject request as an owner records it. The subject is a reference, not their data. */
export const dataSubjectRequestBodySchema = z
  .object({
    type: z.enum(DSR_TYPES as [DsrType, ...DsrType[]]),
    /** A ticket or case number that identifies the subject elsewhere. */
    reference: text(200),
    receivedOn: isoDaySchema,
    extension: dsrExtensionSchema.optional(),
    status: z.enum(['open', 'closed']).default('open'),
    closedOn: isoDaySchema.optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine(b => b.status !== 'closed' || b.closedOn, {
    message: 'is required when the status is closed',
    path: ['closedOn'],
  })
  .refine(b => b.status !== 'open' || !b.closedOn, {
    message: 'must be empty while the request is open',
    path: ['closedOn'],
  })
  .refine(b => !b.closedOn || b.closedOn >= b.receivedOn, {
    message: 'must not be before receivedOn',
    path: ['closedOn'],
  });
export type DataSubjectRequestBody = z.infer<
  typeof dataSubjectRequestBodySchema
>;

export interface DataSubjectRequest extends DataSubjectRequestBody {
  id: number;
  /** The counting rule in force when the request was received. */
  deadlineRule: DsrDeadlineRule;
  /** Last day to answer (`YYYY-MM-DD`), the extension included. */
  deadline: string;
  /** Open past its deadline, or closed after it. */
  overdue: boolean;
  updatedBy: string;
  updatedAt: string;
}

/** A personal data breach, from the incident it came from. */
export const breachRecordBodySchema = z
  .object({
    /** The id of the incident (Datadog or the on-call tool) the breach was found in. */
    incidentId: text(200),
    title: text(300),
    /** When the controller became aware of the breach: the 72 hours run from here. */
    awareAt: isoInstant,
    notifiedAuthorityAt: isoInstant.optional(),
    description: z.string().trim().max(4000).optional(),
    /** Art. 33(1): why the notification came after 72 hours. */
    delayReason: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine(
    b =>
      !b.notifiedAuthorityAt ||
      Date.parse(b.notifiedAuthorityAt) >= Date.parse(b.awareAt),
    { message: 'must not be before awareAt', path: ['notifiedAuthorityAt'] },
  );
export type BreachRecordBody = z.infer<typeof breachRecordBodySchema>;

export interface BreachRecord extends BreachRecordBody {
  id: number;
  /** awareAt plus 72 hours. */
  notifyBy: string;
  /** Notified after notifyBy, or not notified and notifyBy has passed. */
  late: boolean;
  updatedBy: string;
  updatedAt: string;
}

/** `GET /v1/evidence/gdpr`: the three registers. */
export interface GdprRegisters {
  generatedAt: string;
  /** The rule new requests get (`lexecon.evidence.gdpr.deadlineRule`). */
  deadlineRule: DsrDeadlineRule;
  canWrite: boolean;
  processingRecords: ProcessingRecord[];
  requests: DataSubjectRequest[];
  breaches: BreachRecord[];
}
