import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  DEFAULT_PAGE_SIZE,
  DeploymentRecord,
  DeploymentResult,
} from '@internal/plugin-lexecon-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { lexeconApiRef } from '../../api/LexeconApi';

export interface HistoryFilters {
  environment?: string;
  result?: DeploymentResult;
}

export interface DeploymentHistoryState {
  items: DeploymentRecord[];
  totalCount: number;
  /** True while the rows on screen don't belong to the current filters yet. */
  loading: boolean;
  loadingMore: boolean;
  error?: Error;
  hasMore: boolean;
  loadMore: () => void;
  retry: () => void;
}

/**
 * Server-side paged deploy history. `initial` (the overview's first page) is shown while the
 * unfiltered first page loads, so the table doesn't flash empty on every visit.
 */
export function useDeploymentHistory(
  entityRef: CompoundEntityRef,
  filters: HistoryFilters,
  initial: { items: DeploymentRecord[]; totalCount: number },
  /** Changes when the overview was re-fetched, to reload the history with it. */
  reloadKey?: string,
): DeploymentHistoryState {
  const api = useApi(lexeconApiRef);
  const unfiltered = !filters.environment && !filters.result;
  const [items, setItems] = useState<DeploymentRecord[]>(
    unfiltered ? initial.items : [],
  );
  const [totalCount, setTotalCount] = useState(
    unfiltered ? initial.totalCount : 0,
  );
  const [nextCursor, setNextCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const filterKey = `${filters.environment ?? ''}|${filters.result ?? ''}`;
  // Which filters the rows on screen belong to: a reload of the same rows happens quietly,
  // rows for other filters are shown as loading.
  const [itemsFor, setItemsFor] = useState<string | undefined>(
    unfiltered ? filterKey : undefined,
  );
  // Responses for filters the user has since changed must not land in the table.
  const generation = useRef(0);

  const { kind, namespace, name } = entityRef;
  const { environment, result } = filters;

  useEffect(() => {
    const current = ++generation.current;
    setLoading(true);
    setLoadingMore(false);
    setError(undefined);
    setNextCursor(undefined);
    api
      .getDeployments(
        { kind, namespace, name },
        { environment, result, limit: DEFAULT_PAGE_SIZE },
      )
      .then(page => {
        if (current !== generation.current) return;
        setItems(page.items);
        setItemsFor(filterKey);
        setTotalCount(page.totalCount);
        setNextCursor(page.nextCursor);
      })
      .catch((e: Error) => {
        if (current !== generation.current) return;
        setItems([]);
        setItemsFor(filterKey);
        setTotalCount(0);
        setError(e);
      })
      .finally(() => {
        if (current === generation.current) setLoading(false);
      });
  }, [
    api,
    kind,
    namespace,
    name,
    environment,
    result,
    filterKey,
    attempt,
    reloadKey,
  ]);

  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore) return;
    const current = generation.current;
    setLoadingMore(true);
    setError(undefined);
    api
      .getDeployments(
        { kind, namespace, name },
        { environment, result, limit: DEFAULT_PAGE_SIZE, cursor: nextCursor },
      )
      .then(page => {
        if (current !== generation.current) return;
        // New deploys can shift pages between requests; never show a deploy twice.
        setItems(previous => {
          const seen = new Set(previous.map(d => d.id));
          return [...previous, ...page.items.filter(d => !seen.has(d.id))];
        });
        setTotalCount(page.totalCount);
        setNextCursor(page.nextCursor);
      })
      .catch((e: Error) => {
        if (current === generation.current) setError(e);
      })
      .finally(() => {
        if (current === generation.current) setLoadingMore(false);
      });
  }, [
    api,
    kind,
    namespace,
    name,
    environment,
    result,
    nextCursor,
    loadingMore,
  ]);

  const retry = useCallback(() => setAttempt(a => a + 1), []);

  return {
    items,
    totalCount,
    loading: loading && itemsFor !== filterKey,
    loadingMore,
    error,
    hasMore: Boolean(nextCursor),
    loadMore,
    retry,
  };
}
