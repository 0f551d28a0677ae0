import {
  ComponentDailyCosts,
  CostProvider,
  EntityCosts,
  SourceId,
  sourceLabel,
  SourceState,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { summariseSection } from '../snapshots/SnapshotReader';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { SnapshotStore, StoredSnapshot } from '../snapshots/SnapshotStore';
import { CostCoverage, CostFactStore } from './CostFactStore';
import { costWindow, dayOf } from './planCostFetch';
import { RequestBudget } from './RequestBudget';

/** The registered sources that store daily cost facts, and the provider each bills for. */
export const COST_SOURCES: ReadonlyArray<{
  source: SourceId;
  provider: CostProvider;
}> = [
  { source: 'aws-cost', provider: 'aws' },
  { source: 'gcp-billing', provider: 'gcp' },
  { source: 'opencost', provider: 'opencost' },
];

/** Read daily, so costs read more than two days ago have missed a run. */
const STALE_AFTER_MS = 2 * 86_400_000;

export interface EntityCostDeps {
  facts: CostFactStore;
  budget: RequestBudget;
  snapshots: SnapshotStore;
  refresher: SnapshotRefresher;
  /** The configured daily request cap of the providers that bill requests. */
  requestCaps: Partial<Record<CostProvider, number>>;
  now?: () => Date;
}

function stateOf(
  deps: EntityCostDeps,
  target: EntityTarget,
  source: SourceId,
  run: StoredSnapshot | undefined,
  coverage: CostCoverage | undefined,
  now: Date,
): SourceState {
  const reason = deps.refresher.notConfiguredReason(target, source);
  if (reason) {
    return {
      source,
      status: 'not-configured',
      message: reason.message,
      missingAnnotations: reason.missingAnnotations,
    };
  }
  const label = sourceLabel(source);
  const times = {
    source,
    fetchedAt: coverage?.dataAsOf?.toISOString(),
    attemptedAt: run?.attemptedAt.toISOString(),
  };
  if (!times.fetchedAt) {
    return {
      ...times,
      status: 'error',
      message:
        run?.error ??
        `${label} has not been read for this entity yet: its scheduled refresh reads it`,
    };
  }
  if (run?.error) {
    return {
      ...times,
      status: 'stale',
      message: `Showing the costs read by ${times.fetchedAt}: ${run.error}`,
    };
  }
  if (now.getTime() - coverage!.dataAsOf!.getTime() > STALE_AFTER_MS) {
    return {
      ...times,
      status: 'stale',
      message: `${label} costs have not been read since ${times.fetchedAt}`,
    };
  }
  return { ...times, status: 'ok' };
}

function byComponent(
  facts: Awaited<ReturnType<CostFactStore['facts']>>,
): ComponentDailyCosts[] {
  const groups = new Map<string, ComponentDailyCosts>();
  for (const f of facts) {
    const key = `${f.provider}|${f.component}|${f.currency}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        component: f.component,
        provider: f.provider,
        currency: f.currency,
        days: [],
      };
      groups.set(key, group);
    }
    group.days.push({
      day: f.day,
      amount: f.amount,
      estimated: f.estimated,
      ...(f.credits !== undefined && { credits: f.credits }),
    });
  }
  return [...groups.values()];
}

/**
 * The entity's stored daily costs for the card: from the store and the sources' run records
 * only, never from a provider, so a page view costs no billed request.
 */
export async function readEntityCosts(
  deps: EntityCostDeps,
  target: EntityTarget,
): Promise<EntityCosts> {
  const now = deps.now?.() ?? new Date();
  const today = dayOf(now.getTime());
  const { from } = costWindow(today);
  const [runs, coverage, facts] = await Promise.all([
    Promise.all(
      COST_SOURCES.map(s => deps.snapshots.get(target.entityRef, s.source)),
    ),
    deps.facts.coverage(target.entityRef),
    deps.facts.facts(target.entityRef, from),
  ]);
  const states = COST_SOURCES.map((s, i) =>
    stateOf(
      deps,
      target,
      s.source,
      runs[i],
      coverage.find(c => c.provider === s.provider),
      now,
    ),
  );
  const summary = summariseSection(states);
  const configured = COST_SOURCES.filter(
    (_s, i) => states[i].status !== 'not-configured',
  );
  if (!configured.length) return { entityRef: target.entityRef, ...summary };
  const providers = await Promise.all(
    configured.map(async ({ provider }) => {
      const held = coverage.find(c => c.provider === provider);
      const cap = deps.requestCaps[provider];
      return {
        provider,
        lastCompleteDay: held?.lastCompleteDay,
        dataAsOf: held?.dataAsOf?.toISOString(),
        estimatedDays: held?.estimatedDays.filter(d => d >= from) ?? [],
        requestBudget:
          cap === undefined
            ? undefined
            : await deps.budget.state(provider, today, cap),
      };
    }),
  );
  return {
    entityRef: target.entityRef,
    ...summary,
    data: {
      from,
      providers,
      components: byComponent(
        facts.filter(f => configured.some(s => s.provider === f.provider)),
      ),
    },
  };
}
