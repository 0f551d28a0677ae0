import { ConflictError } from '@backstage/errors';
import {
  EvidenceAttachment,
  EvidenceNotApplicable,
  EvidenceUploadType,
} from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { auditedWrite } from './auditedWrite';

const ATTACHMENTS = 'lexecon_evidence_attachments';
const NOT_APPLICABLE = 'lexecon_evidence_not_applicable';

/** Every column but the bytes. */
const LISTED = [
  'id',
  'item_id',
  'file_name',
  'media_type',
  'size_bytes',
  'sha256',
  'effective_date',
  'note',
  'uploaded_by',
  'uploaded_at',
];

export interface NewAttachment {
  itemId: string;
  fileName: string;
  mediaType: EvidenceUploadType;
  content: Buffer;
  sha256: string;
  effectiveDate: string;
  note?: string;
  by: string;
}

function attachmentOf(row: Record<string, unknown>): EvidenceAttachment {
  return {
    id: Number(row.id),
    itemId: row.item_id as string,
    fileName: row.file_name as string,
    mediaType: row.media_type as EvidenceUploadType,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256 as string,
    effectiveDate: row.effective_date as string,
    ...(row.note ? { note: row.note as string } : {}),
    uploadedBy: row.uploaded_by as string,
    uploadedAt: row.uploaded_at as string,
  };
}

/** The (item, SHA-256) index refused a row, as SQLite and PostgreSQL word it. */
const isDuplicateFile = (error: unknown) =>
  /unique|duplicate/i.test(String(error)) &&
  /lexecon_evidence_attachments/.test(String(error));

/**
 * Documents and records owners attach to evidence items, and items marked not applicable. Each
 * write stores its audit record in the same transaction (auditedWrite): nothing is stored unless
 * it is audited. Checks of the upload itself happen before: this store only refuses a duplicate.
 */
export class RecordedEvidenceStore {
  private readonly now: () => Date;

  constructor(
    private readonly knex: Knex,
    private readonly audit: { hmacKey: string; now?: () => Date },
  ) {
    this.now = audit.now ?? (() => new Date());
  }

  async attach(input: NewAttachment): Promise<EvidenceAttachment> {
    const duplicate = () =>
      new ConflictError(
        `This file (SHA-256 ${input.sha256}) is already attached to ${input.itemId}`,
      );
    try {
      return await auditedWrite(this.knex, this.audit, async tx => {
        const seen = await tx(ATTACHMENTS)
          .where({ item_id: input.itemId, sha256: input.sha256 })
          .first('id');
        if (seen) throw duplicate();
        const row = {
          item_id: input.itemId,
          file_name: input.fileName,
          media_type: input.mediaType,
          size_bytes: input.content.length,
          sha256: input.sha256,
          content: input.content,
          effective_date: input.effectiveDate,
          note: input.note || null,
          uploaded_by: input.by,
          uploaded_at: this.now().toISOString(),
        };
        const [inserted] = await tx(ATTACHMENTS).insert(row).returning('id');
        const id =
          typeof inserted === 'object' ? Number(inserted.id) : Number(inserted);
        const attachment = attachmentOf({ ...row, id });
        const { itemId, uploadedBy, uploadedAt, ...details } = attachment;
        return {
          result: attachment,
          event: {
            action: 'evidence-attached',
            actor: uploadedBy,
            subject: `evidence item ${itemId}`,
            at: uploadedAt,
            details: { itemId, ...details },
          },
        };
      });
    } catch (error) {
      // Two uploads of one file at once: the loser meets the unique index, not the check.
      if (isDuplicateFile(error)) throw duplicate();
      throw error;
    }
  }

  async list(itemId: string): Promise<EvidenceAttachment[]> {
    const rows = await this.knex(ATTACHMENTS)
      .select(LISTED)
      .where({ item_id: itemId })
      .orderBy('effective_date', 'desc')
      .orderBy('id', 'desc');
    return rows.map(attachmentOf);
  }

  /** The newest attachment by effective date of each item given. */
  async newest(itemIds: readonly string[]): Promise<EvidenceAttachment[]> {
    const rows = await this.knex(ATTACHMENTS)
      .select(LISTED)
      .whereIn('item_id', [...itemIds])
      .orderBy('effective_date', 'desc')
      .orderBy('id', 'desc');
    const seen = new Set<string>();
    return rows.map(attachmentOf).filter(a => {
      if (seen.has(a.itemId)) return false;
      seen.add(a.itemId);
      return true;
    });
  }

  /**
   * The attachments that were evidence during [from, to): those effective in the window, and
   * for each item the newest effective before it (in force when the window began); without
   * their bytes, oldest first.
   */
  async inWindow(from: string, to: string): Promise<EvidenceAttachment[]> {
    const rows = await this.knex(ATTACHMENTS)
      .select(LISTED)
      .where('effective_date', '<', to.slice(0, 10))
      .orderBy('effective_date', 'desc')
      .orderBy('id', 'desc');
    const firstDay = from.slice(0, 10);
    const inForceAtStart = new Set<string>();
    return rows
      .map(attachmentOf)
      .filter(a => {
        if (a.effectiveDate >= firstDay) return true;
        if (inForceAtStart.has(a.itemId)) return false;
        inForceAtStart.add(a.itemId);
        return true;
      })
      .reverse();
  }

  async download(
    itemId: string,
    id: number,
  ): Promise<{ attachment: EvidenceAttachment; content: Buffer } | undefined> {
    const row = await this.knex(ATTACHMENTS)
      .where({ item_id: itemId, id })
      .first();
    if (!row) return undefined;
    return { attachment: attachmentOf(row), content: Buffer.from(row.content) };
  }

  async notApplicable(
    itemIds: readonly string[],
  ): Promise<EvidenceNotApplicable[]> {
    const rows = await this.knex(NOT_APPLICABLE).whereIn('item_id', [
      ...itemIds,
    ]);
    return rows.map((r: Record<string, string>) => ({
      itemId: r.item_id,
      reason: r.reason,
      by: r.marked_by,
      at: r.marked_at,
    }));
  }

  /** Marks an item not applicable, or replaces the reason of its mark. */
  async markNotApplicable(
    itemId: string,
    reason: string,
    by: string,
  ): Promise<EvidenceNotApplicable> {
    const mark = { itemId, reason, by, at: this.now().toISOString() };
    return auditedWrite(this.knex, this.audit, async tx => {
      await tx(NOT_APPLICABLE)
        .insert({
          item_id: itemId,
          reason,
          marked_by: by,
          marked_at: mark.at,
        })
        .onConflict('item_id')
        .merge();
      return {
        result: mark,
        event: {
          action: 'evidence-marked-not-applicable',
          actor: by,
          subject: `evidence item ${itemId}`,
          at: mark.at,
          details: { itemId, reason },
        },
      };
    });
  }

  /** Withdraws the mark; false when the item was not marked (nothing is audited then). */
  async withdrawNotApplicable(itemId: string, by: string): Promise<boolean> {
    const [mark] = await this.notApplicable([itemId]);
    if (!mark) return false;
    return auditedWrite(this.knex, this.audit, async tx => {
      const deleted = await tx(NOT_APPLICABLE)
        .where({ item_id: itemId })
        .delete();
      return {
        result: deleted > 0,
        event: {
          action: 'evidence-not-applicable-withdrawn',
          actor: by,
          subject: `evidence item ${itemId}`,
          at: this.now().toISOString(),
          details: { itemId, withdrawnReason: mark.reason },
        },
      };
    });
  }
}
