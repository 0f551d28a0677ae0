import {
  AuditVerification,
  EvidenceCadence,
  EvidenceObservation,
  FeatureFlagsOverview,
  FlagChange,
} from '@internal/plugin-lexecon-common';
import { DatadogSnapshot } from '../../sources/datadog/types';
import { expiresAt } from '../rules/freshness';
import { ChangeRow } from './changePopulation';

/** The item ids of the shipped catalog this source observes. */
export const DERIVED_ITEMS = {
  changePopulation: 'cc8.1-change-population',
  flagChanges: 'cc8.1-flag-changes',
  incidents: 'cc7.3-incident-log',
  sla: 'a1.2-sla',
  auditChain: [
    'cc7.2-audit-chain',
    'gdpr32-audit-chain',
    'gdpr5-retention-audit-logs',
  ],
} as const;

export interface Collection {
  entityRef?: string;
  collected: Date;
  cadence: EvidenceCadence;
  sourceUrl?: string;
}

function observe(
  itemId: string,
  at: Collection,
  verdict: Pick<EvidenceObservation, 'status' | 'reason' | 'facts'>,
): EvidenceObservation {
  return {
    itemId,
    ...(at.entityRef ? { entityRef: at.entityRef } : {}),
    ...verdict,
    collected: at.collected.toISOString(),
    expires: expiresAt(at.collected, at.cadence).toISOString(),
    ...(at.sourceUrl ? { sourceUrl: at.sourceUrl } : {}),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * CC8.1 over the population: failing with any exception, and failing closed when a deploy's
 * approver cannot be checked against its authors (its change set was never read in full).
 */
export function changePopulationObservation(
  rows: readonly ChangeRow[],
  at: Collection,
): EvidenceObservation {
  const exceptions = rows.filter(r => r.exceptions.length);
  const unverified = rows.filter(
    r => r.approver && r.approverNotAuthor === null && !r.exceptions.length,
  );
  const facts = {
    deployCount: rows.length,
    exceptionCount: exceptions.length,
    unverifiedCount: unverified.length,
    exceptionDeployIds: exceptions.map(r => r.deployId),
  };
  if (exceptions.length) {
    return observe(DERIVED_ITEMS.changePopulation, at, {
      status: 'failing',
      reason: `${exceptions.length} of ${plural(
        rows.length,
        'production deploy',
      )} are exceptions (${exceptions
        .slice(0, 3)
        .map(r => `${r.version}: ${r.exceptions[0]}`)
        .join('; ')})`,
      facts,
    });
  }
  if (unverified.length) {
    return observe(DERIVED_ITEMS.changePopulation, at, {
      status: 'failing',
      reason: `${unverified.length} of ${plural(
        rows.length,
        'production deploy',
      )} cannot be checked against their authors (${unverified
        .slice(0, 3)
        .map(
          r => `${r.version}: ${r.authorsUnknown ?? 'the authors are unknown'}`,
        )
        .join('; ')})`,
      facts,
    });
  }
  return observe(DERIVED_ITEMS.changePopulation, at, {
    status: 'passing',
    reason: `${plural(
      rows.length,
      'production deploy',
    )}, each approved before it ran by someone who wrote none of it`,
    facts,
  });
}

/**
 * CC8.1 before the deploy history it is derived from was read (a service just added, a portal
 * just started): unknown, so failing, never an empty population that passes.
 */
export function changePopulationUnreadObservation(
  unread: readonly string[],
  at: Collection,
): EvidenceObservation {
  return observe(DERIVED_ITEMS.changePopulation, at, {
    status: 'failing',
    reason: `The change population is unknown: ${unread.join(
      ' and ',
    )} not read yet`,
    facts: { unread: [...unread] },
  });
}

/** Production flag changes, each with who made it and when (from the Unleash snapshot). */
export function flagChangesObservation(
  flags: FeatureFlagsOverview | undefined,
  productionEnvironment: string,
  at: Collection,
): EvidenceObservation {
  if (!flags) {
    return observe(DERIVED_ITEMS.flagChanges, at, {
      status: 'failing',
      reason:
        'The Unleash snapshot has not been read, so flag changes are unknown',
      facts: {},
    });
  }
  const changes: FlagChange[] = flags.flags
    .flatMap(f => f.history)
    .filter(c => c.environment === productionEnvironment);
  const anonymous = changes.filter(c => !c.createdBy?.trim() || !c.createdAt);
  const facts = {
    changeCount: changes.length,
    anonymousCount: anonymous.length,
    changes: changes.map(c => ({
      id: c.id,
      flag: c.featureName,
      by: c.createdBy,
      at: c.createdAt,
      what: c.description,
    })),
  };
  return observe(
    DERIVED_ITEMS.flagChanges,
    at,
    anonymous.length
      ? {
          status: 'failing',
          reason: `${anonymous.length} of ${plural(
            changes.length,
            'production flag change',
          )} name no one or no time`,
          facts,
        }
      : {
          status: 'passing',
          reason: `${plural(
            changes.length,
            'production flag change',
          )}, each with who and when`,
          facts,
        },
  );
}

/** Incidents with their time to resolve, and the SLA month to date (from the Datadog snapshot). */
export function datadogObservations(
  datadog: DatadogSnapshot | undefined,
  at: Collection,
): EvidenceObservation[] {
  if (!datadog) {
    const unread = {
      status: 'failing' as const,
      reason:
        'The Datadog snapshot has not been read, so incidents and the SLA are unknown',
      facts: {},
    };
    return [
      observe(DERIVED_ITEMS.incidents, at, unread),
      observe(DERIVED_ITEMS.sla, at, unread),
    ];
  }
  const open = datadog.incidents.filter(i => !i.resolvedAt);
  const incidents = observe(DERIVED_ITEMS.incidents, at, {
    status: 'passing',
    reason: `${plural(datadog.incidents.length, 'incident')} recorded, ${
      open.length
    } open`,
    facts: {
      incidentCount: datadog.incidents.length,
      openCount: open.length,
      incidents: datadog.incidents.map(i => ({
        id: i.id,
        title: i.title,
        severity: i.severity,
        startedAt: i.startedAt,
        resolvedAt: i.resolvedAt ?? null,
        timeToResolveSeconds: i.timeToResolveSeconds ?? null,
        url: i.url ?? null,
      })),
    },
  });
  const { uptimePercent } = datadog.monthToDate;
  const target = datadog.slo.targetPercent;
  const met = uptimePercent >= target;
  const sla = observe(
    DERIVED_ITEMS.sla,
    { ...at, sourceUrl: datadog.slo.url ?? at.sourceUrl },
    {
      status: met ? 'passing' : 'failing',
      reason: `Uptime ${uptimePercent}% month to date against a ${target}% SLO${
        met ? '' : ': breached'
      }`,
      facts: { ...datadog.monthToDate, targetPercent: target },
    },
  );
  return [incidents, sla];
}

/** The audit trail's hash chain, verified now: one observation for each item that rests on it. */
export function auditChainObservations(
  verification: AuditVerification,
  at: Collection,
): EvidenceObservation[] {
  const verdict = verification.ok
    ? {
        status: 'passing' as const,
        reason: `${plural(verification.checked, 'audit record')} verify, head ${
          verification.headHash?.slice(0, 12) ?? 'none'
        }`,
      }
    : {
        status: 'failing' as const,
        reason: `The audit chain is broken after ${plural(
          verification.checked,
          'record',
        )}: ${verification.firstBroken?.reason ?? 'no reason given'}`,
      };
  return DERIVED_ITEMS.auditChain.map(itemId =>
    observe(itemId, at, { ...verdict, facts: { ...verification } }),
  );
}
