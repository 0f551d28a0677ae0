import { EvidenceObservation } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { EvidenceStore, StoredObservation } from '../EvidenceStore';
import { RecordedEvidenceReader } from './recordedObservations';

type ObservationQuery = Parameters<EvidenceStore['observations']>[0];

const stored = (o: EvidenceObservation): StoredObservation => ({
  ...o,
  firstCollected: o.collected,
});

/**
 * The evidence store as the evidence views read it, with what owners recorded in the portal read
 * beside the stored observations: recorded items and the GDPR registers are judged when they are
 * read (a request turns overdue with time, a withdrawn mark leaves no trace), never copied into
 * the observations table. The GDPR registers are judged at the window's end (or now).
 */
export class EvidenceStoreWithRecords extends EvidenceStore {
  constructor(
    knex: Knex,
    private readonly records: RecordedEvidenceReader,
    private readonly now: () => Date = () => new Date(),
  ) {
    super(knex);
  }

  async observations(query: ObservationQuery): Promise<StoredObservation[]> {
    const now = this.now();
    const at =
      query.to && Date.parse(query.to) < now.getTime()
        ? new Date(query.to)
        : now;
    const [own, recorded, gdpr] = await Promise.all([
      super.observations(query),
      this.records.readAllRecordedEvidence(),
      this.records.readGdprEvidence(at),
    ]);
    // A document holds from its effective date until it expires, so one effective before the
    // window still counts in it (it shows as overdue once expired, not as missing).
    const added = [...recorded, ...gdpr].filter(
      o =>
        (!query.itemIds || query.itemIds.includes(o.itemId)) &&
        Date.parse(o.collected) <= at.getTime(),
    );
    return [...own, ...added.map(stored)].sort((a, b) =>
      b.collected.localeCompare(a.collected),
    );
  }
}
