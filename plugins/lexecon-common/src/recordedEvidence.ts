import { z } from 'zod';

/**
 * Evidence recorded in the portal (issue 16): documents and records an owner attaches to an
 * evidence item (training completions, restore and DR tests, penetration test, DPIA, vendor risk
 * assessments, access reviews), and items marked not applicable with a reason.
 */

/** The media types an attachment may have, each with the file name extensions that say it. */
export const EVIDENCE_UPLOAD_TYPES = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'text/csv': ['.csv'],
  'text/plain': ['.txt', '.log'],
  'text/markdown': ['.md', '.markdown'],
  'application/json': ['.json'],
} as const;

export type EvidenceUploadType = keyof typeof EVIDENCE_UPLOAD_TYPES;

export const EVIDENCE_UPLOAD_MEDIA_TYPES = Object.keys(
  EVIDENCE_UPLOAD_TYPES,
) as EvidenceUploadType[];

/** The multipart field that carries the file. */
export const EVIDENCE_UPLOAD_FIELD = 'file';

/** One document or record attached to an evidence item, as stored (its bytes are downloaded). */
export interface EvidenceAttachment {
  id: number;
  itemId: string;
  fileName: string;
  mediaType: EvidenceUploadType;
  sizeBytes: number;
  /** Hex SHA-256 of the stored bytes. */
  sha256: string;
  /** The day the evidence is about (a test run, a review), `YYYY-MM-DD`: it is collected then. */
  effectiveDate: string;
  note?: string;
  /** Entity ref of the signed-in person who attached it. */
  uploadedBy: string;
  uploadedAt: string;
}

/** An item its owners declared not applicable, and why. */
export interface EvidenceNotApplicable {
  itemId: string;
  reason: string;
  by: string;
  at: string;
}

/** `GET /v1/evidence/items/:itemId/attachments`. */
export interface EvidenceAttachmentList {
  itemId: string;
  attachments: EvidenceAttachment[];
  notApplicable?: EvidenceNotApplicable;
}

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(
    day => new Date(`${day}T00:00:00Z`).toISOString().startsWith(day),
    'is not a calendar date',
  );

/** The form fields sent beside the file. */
export const evidenceAttachmentFieldsSchema = z
  .object({
    effectiveDate: isoDay,
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

/** `POST /v1/evidence/items/:itemId/not-applicable`. */
export const evidenceNotApplicableBodySchema = z
  .object({
    reason: z
      .string({
        required_error: 'is required: say why the item does not apply',
      })
      .trim()
      .min(1, 'is required: say why the item does not apply')
      .max(2000),
  })
  .strict();

export { isoDay as isoDaySchema };
