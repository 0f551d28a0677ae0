import { useApi } from '@backstage/core-plugin-api';
import { AuditRecord } from '@internal/plugin-lexecon-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { AuditQueryOptions, lexeconApiRef } from '../../api/LexeconApi';
import { useEntityDataChanged } from '../shared/EntityDataChanged';

const PAGE_SIZE = 50;

export type AuditFilters = Pick<AuditQueryOptions, 'entityRef' | 'from' | 'to'>;

/** The audit trail for the filters, newest first, one page at a time. */
export function useAuditTrail(filters: AuditFilters) {
  const api = useApi(lexeconApiRef);
  // Moves when new records may have been written, e.g. after a decision.
  const { version } = useEntityDataChanged();
  const [items, setItems] = useState<AuditRecord[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);
  const { entityRef, from, to } = filters;

  const load = useCallback(
    (after: string | undefined, current: number) => {
      setLoading(true);
      setError(undefined);
      api
        .getAudit({ entityRef, from, to, limit: PAGE_SIZE, cursor: after })
        .then(page => {
          if (current !== generation.current) return;
          setItems(previous =>
            after ? [...previous, ...page.items] : page.items,
          );
          setCursor(page.nextCursor);
        })
        .catch((e: Error) => {
          if (current === generation.current) setError(e);
        })
        .finally(() => {
          if (current === generation.current) setLoading(false);
        });
    },
    [api, entityRef, from, to],
  );

  useEffect(() => {
    setItems([]);
    load(undefined, ++generation.current);
  }, [load, attempt, version]);

  return {
    items,
    loading,
    error,
    hasMore: Boolean(cursor),
    loadMore: () => load(cursor, generation.current),
    retry: () => setAttempt(a => a + 1),
  };
}
