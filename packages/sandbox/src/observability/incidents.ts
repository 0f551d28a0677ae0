import { MINUTE, uuidFrom } from '../random';
import { DowntimeWindow, IncidentRecord } from './types';

/** The first millisecond of the UTC month `offset` months after the one `now` is in. */
export function monthStart(now: number, offset = 0): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

/**
 * A service's incidents and the downtime their customer impact adds to its availability SLO.
 * `idSeed` keeps incident ids of services with equal titles and times apart.
 */
export class IncidentLog {
  readonly incidents: IncidentRecord[] = [];
  readonly downtime: DowntimeWindow[] = [];

  constructor(private readonly service: string, private readonly idSeed = '') {}

  /** A resolved incident; its customer impact (if any) is downtime. */
  add(
    title: string,
    severity: IncidentRecord['severity'],
    start: number,
    impactMinutes: number,
    resolveMinutes: number,
    declaredBy: string,
  ): IncidentRecord {
    const record: IncidentRecord = {
      id: uuidFrom(`incident:${this.idSeed}${title}:${start}`),
      publicId: 0,
      title,
      severity,
      state: 'resolved',
      service: this.service,
      created: start + 2 * MINUTE,
      detected: start + MINUTE,
      resolved: start + resolveMinutes * MINUTE,
      customerImpactStart: impactMinutes > 0 ? start : undefined,
      customerImpactEnd:
        impactMinutes > 0 ? start + impactMinutes * MINUTE : undefined,
      declaredBy,
    };
    this.incidents.push(record);
    if (impactMinutes > 0) {
      this.downtime.push({ start, end: start + impactMinutes * MINUTE });
    }
    return record;
  }

  /**
   * An incident still open; with `impactUntil`, customers are still affected (the downtime runs
   * to then, the incident has no end of impact yet).
   */
  open(
    title: string,
    severity: IncidentRecord['severity'],
    start: number,
    declaredBy: string,
    impactUntil?: number,
  ): IncidentRecord {
    const record = this.add(title, severity, start, 0, 0, declaredBy);
    record.state = 'active';
    delete record.resolved;
    if (impactUntil !== undefined) {
      record.customerImpactStart = start;
      this.downtime.push({ start, end: impactUntil });
    }
    return record;
  }

  /**
   * Sorts incidents and downtime oldest first; numbers incidents from `firstPublicId` when given
   * (else whoever holds several services' incidents numbers them).
   */
  finish(firstPublicId?: number): void {
    this.incidents.sort((a, b) => a.created - b.created);
    if (firstPublicId !== undefined) {
      this.incidents.forEach((incident, i) => {
        incident.publicId = firstPublicId + i;
      });
    }
    this.downtime.sort((a, b) => a.start - b.start);
  }
}
