import {
  BreachRecord,
  DataSubjectRequest,
  EvidenceObservation,
  ProcessingRecord,
} from '@internal/plugin-lexecon-common';
import { expiresAt } from '../rules/freshness';

/** The catalog's items that the GDPR registers are evidence for. */
export const GDPR_REGISTER_ITEMS = {
  requests: 'gdpr12-dsr-deadlines',
  processing: 'gdpr30-records-of-processing',
  breaches: 'gdpr33-breach-register',
} as const;

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;

function continuous(
  itemId: string,
  now: Date,
  verdict: Pick<EvidenceObservation, 'status' | 'reason' | 'facts'>,
): EvidenceObservation {
  return {
    itemId,
    ...verdict,
    collected: now.toISOString(),
    expires: expiresAt(now, 'continuous').toISOString(),
  };
}

/** Art. 12/15/17/20: failing while any request is (or was answered) past its deadline. */
export function requestsObservation(
  requests: readonly DataSubjectRequest[],
  now: Date,
): EvidenceObservation {
  const overdue = requests.filter(r => r.overdue);
  const open = requests.filter(r => r.status === 'open');
  const facts = {
    requestCount: requests.length,
    openCount: open.length,
    overdueCount: overdue.length,
    overdue: overdue.map(r => ({
      id: r.id,
      type: r.type,
      reference: r.reference,
      receivedOn: r.receivedOn,
      deadline: r.deadline,
      deadlineRule: r.deadlineRule,
      ...(r.closedOn ? { closedOn: r.closedOn } : {}),
    })),
  };
  if (overdue.length) {
    return continuous(GDPR_REGISTER_ITEMS.requests, now, {
      status: 'failing',
      reason: `${overdue.length} of ${plural(
        requests.length,
        'data subject request',
      )} past the deadline (${overdue
        .slice(0, 3)
        .map(
          r =>
            `${r.type} ${r.reference} due ${r.deadline}${
              r.closedOn ? `, answered ${r.closedOn}` : ', still open'
            }`,
        )
        .join('; ')})`,
      facts,
    });
  }
  return continuous(GDPR_REGISTER_ITEMS.requests, now, {
    status: 'passing',
    reason: `${plural(
      requests.length,
      'data subject request',
    )} recorded, each answered or open within its deadline (${
      open.length
    } open)`,
    facts,
  });
}

/**
 * Art. 30: missing without a record (nothing to observe); otherwise collected when the least
 * recently reviewed record was reviewed, so the register expires a year after its oldest review.
 */
export function processingObservation(
  records: readonly ProcessingRecord[],
): EvidenceObservation | undefined {
  if (!records.length) return undefined;
  const oldest = [...records].sort((a, b) =>
    a.reviewedOn.localeCompare(b.reviewedOn),
  )[0];
  const collected = new Date(`${oldest.reviewedOn}T00:00:00.000Z`);
  return {
    itemId: GDPR_REGISTER_ITEMS.processing,
    status: 'passing',
    reason: `${plural(
      records.length,
      'processing activity',
      'processing activities',
    )} recorded with the Art. 30 fields; least recently reviewed: ${
      oldest.name
    } on ${oldest.reviewedOn}`,
    collected: collected.toISOString(),
    expires: expiresAt(collected, 'annual').toISOString(),
    facts: {
      recordCount: records.length,
      records: records.map(r => ({
        id: r.id,
        name: r.name,
        reviewedOn: r.reviewedOn,
      })),
    },
  };
}

/** Art. 33: failing while any breach was (or still is not) notified within its 72 hours. */
export function breachesObservation(
  breaches: readonly BreachRecord[],
  now: Date,
): EvidenceObservation {
  const late = breaches.filter(b => b.late);
  const facts = {
    breachCount: breaches.length,
    lateCount: late.length,
    late: late.map(b => ({
      id: b.id,
      incidentId: b.incidentId,
      awareAt: b.awareAt,
      notifyBy: b.notifyBy,
      notifiedAuthorityAt: b.notifiedAuthorityAt ?? null,
      delayReason: b.delayReason ?? null,
    })),
  };
  if (late.length) {
    return continuous(GDPR_REGISTER_ITEMS.breaches, now, {
      status: 'failing',
      reason: `${late.length} of ${plural(
        breaches.length,
        'breach',
        'breaches',
      )} not notified within 72 hours (${late
        .slice(0, 3)
        .map(
          b =>
            `incident ${b.incidentId}: ${
              b.notifiedAuthorityAt
                ? `notified ${b.notifiedAuthorityAt}`
                : 'not notified'
            }, due ${b.notifyBy}`,
        )
        .join('; ')})`,
      facts,
    });
  }
  return continuous(GDPR_REGISTER_ITEMS.breaches, now, {
    status: 'passing',
    reason: `${plural(
      breaches.length,
      'breach',
      'breaches',
    )} recorded, each notified within 72 hours or still inside them`,
    facts,
  });
}
