import {
  Control,
  EvidenceAttachment,
  EvidenceItem,
  EvidenceNotApplicable,
  EvidenceObservation,
} from '@internal/plugin-lexecon-common';
import {
  BREACHES,
  PROCESSING_RECORDS,
  REQUESTS,
} from '../gdpr/gdprRegisterSpecs';
import {
  breachesObservation,
  processingObservation,
  requestsObservation,
} from '../gdpr/gdprObservations';
import { GdprRegisterStore } from '../gdpr/GdprRegisterStore';
import { expiresAt } from '../rules/freshness';
import { RecordedEvidenceStore } from './RecordedEvidenceStore';

/** Items whose evidence owners attach in the portal. */
export const RECORDED_SOURCE = 'upload';

/**
 * A recorded item's observation: not applicable while marked so (with the reason); else its
 * newest attachment by effective date, collected on that day and expiring one cadence later, so
 * the rules judge its freshness; none when nothing was attached (the item is missing).
 */
export function recordedObservation(
  item: EvidenceItem,
  newest: EvidenceAttachment | undefined,
  mark: EvidenceNotApplicable | undefined,
): EvidenceObservation | undefined {
  if (mark) {
    const at = new Date(mark.at);
    return {
      itemId: item.id,
      status: 'not-applicable',
      reason: mark.reason,
      collected: mark.at,
      expires: expiresAt(at, item.cadence).toISOString(),
      facts: { markedBy: mark.by, markedAt: mark.at },
    };
  }
  if (!newest) return undefined;
  const collected = new Date(`${newest.effectiveDate}T00:00:00.000Z`);
  const { itemId, ...facts } = newest;
  return {
    itemId: item.id,
    status: 'passing',
    reason: `${newest.fileName} (effective ${
      newest.effectiveDate
    }, SHA-256 ${newest.sha256.slice(0, 12)}…) attached by ${
      newest.uploadedBy
    }`,
    collected: collected.toISOString(),
    expires: expiresAt(collected, item.cadence).toISOString(),
    facts,
  };
}

/**
 * What the portal's own records say, for the evidence views: the attachments and marks of the
 * catalog's recorded items, and the GDPR registers. Read on demand, never stored twice.
 */
export class RecordedEvidenceReader {
  constructor(
    private readonly options: {
      recorded: RecordedEvidenceStore;
      gdpr: GdprRegisterStore;
      catalog: readonly Control[];
      now?: () => Date;
    },
  ) {}

  private item(itemId: string): EvidenceItem | undefined {
    return this.options.catalog
      .flatMap(c => c.items)
      .find(i => i.id === itemId);
  }

  /** The catalog's items an owner records evidence for. */
  recordedItems(): EvidenceItem[] {
    return this.options.catalog
      .flatMap(c => c.items)
      .filter(i => i.source === RECORDED_SOURCE);
  }

  /** One recorded item's observation, or none (never collected, or not a recorded item). */
  async readRecordedEvidence(
    itemId: string,
  ): Promise<EvidenceObservation | undefined> {
    const item = this.item(itemId);
    if (!item || item.source !== RECORDED_SOURCE) return undefined;
    const [[newest], [mark]] = await Promise.all([
      this.options.recorded.newest([itemId]),
      this.options.recorded.notApplicable([itemId]),
    ]);
    return recordedObservation(item, newest, mark);
  }

  /** Every recorded item's observation at once. */
  async readAllRecordedEvidence(): Promise<EvidenceObservation[]> {
    const items = this.recordedItems();
    const ids = items.map(i => i.id);
    const [newest, marks] = await Promise.all([
      this.options.recorded.newest(ids),
      this.options.recorded.notApplicable(ids),
    ]);
    return items.flatMap(item => {
      const observation = recordedObservation(
        item,
        newest.find(a => a.itemId === item.id),
        marks.find(m => m.itemId === item.id),
      );
      return observation ? [observation] : [];
    });
  }

  /** Art. 12/15/17/20, Art. 30 (none without a record: missing) and Art. 33, judged at `now`. */
  async readGdprEvidence(
    now = this.options.now?.() ?? new Date(),
  ): Promise<EvidenceObservation[]> {
    const { gdpr } = this.options;
    const [records, requests, breaches] = await Promise.all([
      gdpr.list(PROCESSING_RECORDS, now),
      gdpr.list(REQUESTS, now),
      gdpr.list(BREACHES, now),
    ]);
    const processing = processingObservation(records);
    return [
      requestsObservation(requests, now),
      ...(processing ? [processing] : []),
      breachesObservation(breaches, now),
    ];
  }
}
