import {
  ChangelogCommit,
  DeployFact,
  DeploymentRecord,
  IncidentFact,
  ReadinessFact,
  ReadinessScore,
  SlaIncident,
} from '@internal/plugin-lexecon-common';

const OUTCOMES: Partial<
  Record<DeploymentRecord['result'], DeployFact['result']>
> = {
  success: 'success',
  failed: 'failure',
  rolled_back: 'rolled-back',
};

/**
 * A deploy of the merged history as the metrics see it, with the commits of its change set
 * (absent or empty when unknown). Cancelled, waiting and running deploys changed nothing yet and
 * are no facts.
 */
/**
 * `commits` undefined: the deploy's change set was not read (not the same as none);
 * `changeSetUnknown` then says why, when GitHub was asked and could not say.
 */
export function deployFact(
  record: DeploymentRecord,
  commits?: Array<ChangelogCommit | { sha: string; authoredAt?: string }>,
  changeSetUnknown?: string,
): DeployFact | undefined {
  const result = OUTCOMES[record.result];
  if (!result) return undefined;
  const { rollback } = record;
  return {
    id: record.id,
    environment: record.environment,
    version: record.version,
    sha: record.sha,
    startedAt: record.startedAt,
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    result,
    ...(rollback?.kind === 'manual' ? { kind: 'rollback' as const } : {}),
    ...(rollback?.kind === 'automatic' && rollback.at
      ? { rolledBackAt: rollback.at }
      : {}),
    // A manual rollback ships no change: known to have no commits.
    ...(rollback?.kind === 'manual'
      ? { commits: [] }
      : commits && {
          commits: commits.map(c => ({ sha: c.sha, authoredAt: c.authoredAt })),
        }),
    ...(rollback?.kind !== 'manual' && !commits && changeSetUnknown
      ? { changeSetUnknown }
      : {}),
  };
}

export function incidentFact(incident: SlaIncident): IncidentFact {
  return {
    id: incident.id,
    title: incident.title,
    startedAt: incident.startedAt,
    ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
    ...(incident.url ? { url: incident.url } : {}),
  };
}

/** A commit's readiness score when it was measured; coverage when the commit reported it. */
export function readinessFact(
  sha: string,
  measuredAt: string,
  readiness: ReadinessScore,
): ReadinessFact {
  const coverage = readiness.inputs.find(i => i.key === 'coverage')?.score;
  return {
    sha,
    measuredAt,
    score: readiness.score,
    gate: readiness.gate,
    ...(coverage === undefined ? {} : { coveragePercent: coverage }),
  };
}
