import { CompoundEntityRef } from '@backstage/catalog-model';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { Overview } from '@internal/plugin-lexecon-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import useMountedState from 'react-use/esm/useMountedState';
import { lexeconApiRef } from '../../api/LexeconApi';
import { useEntityDataChanged } from '../shared/EntityDataChanged';
import { errorMessage } from '../shared/format';

/** The newest fetch attempt anywhere in the overview, to tell when a refresh has landed. */
function latestAttempt(overview: Overview | undefined): number {
  if (!overview) return 0;
  let latest = 0;
  for (const section of Object.values(overview.sections)) {
    for (const source of section.sources) {
      for (const time of [source.attemptedAt, source.fetchedAt]) {
        const parsed = time ? Date.parse(time) : NaN;
        if (!Number.isNaN(parsed)) latest = Math.max(latest, parsed);
      }
    }
  }
  return latest;
}

/** The oldest fetch time across sections: the page is only as fresh as its stalest part. */
export function dataAsOf(overview: Overview | undefined): string | undefined {
  if (!overview) return undefined;
  return Object.values(overview.sections)
    .map(section => section.fetchedAt)
    .filter((t): t is string => Boolean(t))
    .sort()[0];
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export interface OverviewState {
  overview?: Overview;
  loading: boolean;
  error?: Error;
  retry: () => void;
  refresh: () => Promise<void>;
  refreshing: boolean;
}

export function useOverview(
  entityRef: CompoundEntityRef,
  options: { pollIntervalMs: number; maxPolls: number },
): OverviewState {
  const api = useApi(lexeconApiRef);
  const alertApi = useApi(alertApiRef);
  const isMounted = useMountedState();
  const [overview, setOverview] = useState<Overview>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  const overviewRef = useRef<Overview>();
  overviewRef.current = overview;

  const { kind, namespace, name } = entityRef;
  const { version } = useEntityDataChanged();

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(undefined);
    api
      .getOverview({ kind, namespace, name })
      .then(value => {
        if (!cancelled) setOverview(value);
      })
      .catch((e: Error) => {
        if (cancelled) return;
        setOverview(undefined);
        setError(e);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [api, kind, namespace, name, attempt, version]);

  const retry = useCallback(() => setAttempt(a => a + 1), []);

  const refresh = useCallback(async () => {
    const ref = { kind, namespace, name };
    const before = latestAttempt(overviewRef.current);
    setRefreshing(true);
    try {
      await api.refresh(ref);
      // The backend refreshes in the background; poll until it has tried again.
      let latest: Overview | undefined;
      for (let poll = 0; poll < options.maxPolls && isMounted(); poll++) {
        await sleep(options.pollIntervalMs);
        latest = await api.getOverview(ref);
        if (latestAttempt(latest) > before) break;
      }
      if (!isMounted()) return;
      if (latest) {
        setOverview(latest);
        setError(undefined);
      }
      if (!latest || latestAttempt(latest) <= before) {
        alertApi.post({
          message:
            'Refresh requested; the new data is not in yet. Check back in a minute.',
          severity: 'info',
          display: 'transient',
        });
      }
    } catch (e) {
      if (isMounted()) {
        alertApi.post({
          message: `Could not refresh: ${errorMessage(e as Error)}`,
          severity: 'error',
        });
      }
    } finally {
      if (isMounted()) setRefreshing(false);
    }
  }, [
    api,
    alertApi,
    isMounted,
    kind,
    namespace,
    name,
    options.maxPolls,
    options.pollIntervalMs,
  ]);

  return { overview, loading, error, retry, refresh, refreshing };
}
