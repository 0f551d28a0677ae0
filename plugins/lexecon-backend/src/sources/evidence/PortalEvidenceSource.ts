import {
  AuditRecord,
  FeatureFlagsOverview,
} from '@internal/plugin-lexecon-common';
import { computeReadiness } from '../../approvals/readiness';
import { AuditLog } from '../../audit/AuditLog';
import { EntityTarget } from '../../EntityTarget';
import {
  changeSetKey,
  DeployChangeSetStore,
} from '../../delivery/DeployChangeSetStore';
import { CommitReadingStore } from '../../delivery/CommitReadingStore';
import {
  authorsOfStoredChangeSet,
  changePopulation,
  PortalDecision,
  RunContext,
} from '../../evidence/derived/changePopulation';
import {
  auditChainObservations,
  changePopulationObservation,
  changePopulationUnreadObservation,
  datadogObservations,
  DERIVED_ITEMS,
  flagChangesObservation,
} from '../../evidence/derived/derivedObservations';
import { EvidenceStore } from '../../evidence/EvidenceStore';
import {
  mergeDeploymentHistory,
  withExceptions,
} from '../../service/mergeDeploymentHistory';
import { SnapshotStore } from '../../snapshots/SnapshotStore';
import { DatadogSnapshot } from '../datadog/types';
import { GithubApprovalsSnapshot, GithubDeploySnapshot } from '../github/types';
import { commitPeople } from '../github/commitPeople';
import { HelmHistorySnapshot } from '../kubernetes/types';
import { NotConfigured, SnapshotSource } from '../types';

const isPortalApproval = (r: AuditRecord) =>
  (r.action === 'decision' || r.action === 'decision-reconciled') &&
  r.decision === 'approved' &&
  r.runId !== undefined &&
  Boolean(r.environment);

/** What one read derived; the evidence itself is in the EvidenceStore. */
export interface PortalEvidenceSummary {
  collected: string;
  productionEnvironment: string;
  deploys: number;
  exceptions: number;
  observations: number;
}

const AUDIT_PAGE = 500;
/** The audit chain is portal-wide: verified at most this often, whichever service asks. */
const AUDIT_CHAIN_EVERY_MS = 3_600_000;

/**
 * Evidence derived from what the portal already stores, never from upstream: the production
 * change population (merged deploy history, the audit trail's gate exceptions and portal
 * approvals, the context of runs seen waiting), production flag changes, incidents and the SLA,
 * and the audit chain's verification. Runs after the sources it reads, on their snapshots.
 */
export class PortalEvidenceSource
  implements SnapshotSource<PortalEvidenceSummary>
{
  readonly id = 'portal-evidence' as const;
  readonly scheduledOnly = true;

  constructor(
    private readonly options: {
      evidence: EvidenceStore;
      snapshots: SnapshotStore;
      audit: AuditLog;
      /** Each deploy's change set, read after it ran (the authors of deploys never seen waiting). */
      deployChangeSets: DeployChangeSetStore;
      /** Each released commit's readiness inputs, as they stood at release. */
      commitReadings: CommitReadingStore;
      readinessGate: number;
      now?: () => Date;
    },
  ) {}

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (
      target.github ||
      target.kubernetes ||
      target.datadog ||
      target.unleash
    ) {
      return undefined;
    }
    return {
      message:
        'The portal derives evidence from deploys, flags and incidents: add the annotation of GitHub, Helm, Unleash or Datadog',
      missingAnnotations: [],
    };
  }

  async fetch(target: EntityTarget): Promise<PortalEvidenceSummary> {
    const { evidence, snapshots, audit } = this.options;
    const collected = this.options.now?.() ?? new Date();
    const { entityRef } = target;
    const data = async <T>(source: Parameters<SnapshotStore['get']>[1]) =>
      (await snapshots.get<T>(entityRef, source))?.data;
    const [github, helm, approvals, unleash, datadog] = await Promise.all([
      data<GithubDeploySnapshot>('github'),
      data<HelmHistorySnapshot>('kubernetes'),
      data<GithubApprovalsSnapshot>('github-approvals'),
      data<FeatureFlagsOverview>('unleash'),
      data<DatadogSnapshot>('datadog'),
    ]);
    const production = target.environments[target.environments.length - 1];

    await evidence.saveRunContexts(
      entityRef,
      (approvals?.pending ?? [])
        .filter(run => run.environment === production)
        .map(run => this.contextOf(run)),
    );
    // A deploy history never read is unknown: the population stays as it was stored, and CC8.1
    // fails for this service until it is read.
    const unread = [
      ...(target.github && !github ? ['GitHub’s deploy history'] : []),
      ...(target.kubernetes && !helm ? ['Helm’s release history'] : []),
    ];
    let rows: ReturnType<typeof changePopulation> = [];
    if (!unread.length) {
      const history = mergeDeploymentHistory(target.environments, github, helm);
      const records = withExceptions(
        history.records.filter(r => r.environment === production),
        await audit.gateExceptions(entityRef),
      );
      rows = changePopulation(
        entityRef,
        records,
        await this.runContexts(entityRef, production, records),
        await this.portalApprovals(entityRef),
      );
      await evidence.replaceChanges(entityRef, rows);
    }

    const at = { entityRef, collected, cadence: 'continuous' as const };
    const populationAt = {
      ...at,
      sourceUrl: github?.repository.htmlUrl
        ? `${github.repository.htmlUrl}/deployments`
        : undefined,
    };
    const observations = [
      unread.length
        ? changePopulationUnreadObservation(unread, populationAt)
        : changePopulationObservation(rows, populationAt),
      ...(target.unleash
        ? [flagChangesObservation(unleash, production, at)]
        : []),
      ...(target.datadog ? datadogObservations(datadog, at) : []),
      ...(await this.auditChain(collected)),
    ];
    await evidence.record(observations);
    return {
      collected: collected.toISOString(),
      productionEnvironment: production,
      deploys: rows.length,
      exceptions: rows.filter(r => r.exceptions.length).length,
      observations: observations.length,
    };
  }

  /**
   * What the population knows of each production deploy's run: what the portal saw while it
   * waited (the fullest reading of who had a hand in it, pull requests included), else the
   * deploy's change set read afterwards and the readiness inputs of its commit at release.
   */
  private async runContexts(
    entityRef: string,
    production: string,
    records: ReadonlyArray<{ runId?: number; sha: string }>,
  ): Promise<Map<number, RunContext>> {
    const [waiting, changeSets, readings] = await Promise.all([
      this.options.evidence.runContexts(entityRef),
      this.options.deployChangeSets.readChangeSets(entityRef),
      this.options.commitReadings.readReadings(entityRef, {
        from: '0000-01-01T00:00:00.000Z',
        to: '9999-12-31T23:59:59.999Z',
      }),
    ]);
    const readingOf = new Map(readings.map(r => [r.sha, r.facts]));
    const contexts = new Map<number, RunContext>();
    for (const { runId, sha } of records) {
      if (runId === undefined) continue;
      const seen = waiting.get(runId);
      if (seen?.authors) {
        contexts.set(runId, { ...seen, authorsSource: 'waiting-run' });
        continue;
      }
      const stored = changeSets.get(changeSetKey(production, runId));
      const afterwards = stored
        ? authorsOfStoredChangeSet(stored)
        : { authorsUnknown: 'the portal has not read its change set yet' };
      const facts = readingOf.get(sha);
      const readiness = facts
        ? computeReadiness(facts, this.options.readinessGate)
        : undefined;
      contexts.set(runId, {
        runId,
        ...(readiness
          ? { readinessScore: readiness.score, readinessGate: readiness.gate }
          : {}),
        ...seen,
        commitCount: seen?.commitCount ?? afterwards.commitCount,
        ...(afterwards.authors
          ? { authors: afterwards.authors, authorsSource: 'deploy-change-set' }
          : {
              authorsUnknown: seen?.authorsUnknown ?? afterwards.authorsUnknown,
            }),
      });
    }
    return contexts;
  }

  /** What the portal saw of a waiting run: who had a hand in it, its CI and readiness. */
  private contextOf(
    run: GithubApprovalsSnapshot['pending'][number],
  ): RunContext {
    const readiness = computeReadiness(
      run.readiness,
      this.options.readinessGate,
    );
    return {
      runId: run.runId,
      ...authorsOfWaitingRun(run),
      commitCount: run.changeSet?.totalCommits,
      ciConclusion: run.ci?.conclusion,
      readinessScore: readiness.score,
      readinessGate: readiness.gate,
    };
  }

  /** The approvals the portal sent, from the audit trail (their time is the decision's). */
  private async portalApprovals(entityRef: string): Promise<PortalDecision[]> {
    const decisions: PortalDecision[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = await this.options.audit.list({
        entityRef,
        limit: AUDIT_PAGE,
        beforeId,
      });
      decisions.push(
        ...page.items.filter(isPortalApproval).map(r => ({
          runId: r.runId!,
          environment: r.environment!,
          githubLogin: r.githubLogin,
          actor: r.actor,
          at: r.at,
        })),
      );
      if (!page.nextCursor) return decisions;
      beforeId = Number(page.nextCursor);
    }
  }

  /** The chain's verification, unless one was collected within the hour. */
  private async auditChain(collected: Date) {
    const [newest] = await this.options.evidence.observations({
      itemIds: [DERIVED_ITEMS.auditChain[0]],
    });
    if (
      newest &&
      collected.getTime() - Date.parse(newest.collected) < AUDIT_CHAIN_EVERY_MS
    ) {
      return [];
    }
    return auditChainObservations(await this.options.audit.verify(), {
      collected,
      cadence: 'daily',
    });
  }
}

/**
 * Everyone with a hand in a waiting run's change set, or why that is not known in full (never
 * read, read in part, or someone GitHub links to no account).
 */
function authorsOfWaitingRun(
  run: GithubApprovalsSnapshot['pending'][number],
): Pick<RunContext, 'authors' | 'authorsUnknown'> {
  const { changeSet } = run;
  if (!changeSet) {
    return {
      authorsUnknown: `its change set was not read while it waited: ${
        run.changeSetUnknown ?? 'unknown reason'
      }`,
    };
  }
  if (changeSet.incomplete) return { authorsUnknown: changeSet.incomplete };
  const unlinked = changeSet.commits.flatMap(c =>
    commitPeople(c).unlinked.map(who => `${who} of ${c.shortSha}`),
  );
  if (unlinked.length) {
    return {
      authorsUnknown: `no GitHub account is linked to ${unlinked
        .slice(0, 3)
        .join(', ')}${
        unlinked.length > 3 ? ` and ${unlinked.length - 3} more` : ''
      }`,
    };
  }
  return { authors: changeSet.authors };
}
