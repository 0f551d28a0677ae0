import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  ApprovalsInbox,
  LIVE_APPROVALS_CHANNEL,
  LiveApprovalsMessage,
} from '@internal/plugin-lexecon-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { useLiveRefetch } from '../shared/useLiveRefetch';

export interface ApprovalsInboxState {
  inbox?: ApprovalsInbox;
  /** True while nothing is on screen yet; reloads keep the previous inbox visible. */
  loading: boolean;
  reloading: boolean;
  error?: Error;
  reload: () => void;
}

/**
 * The runs waiting for approval: of one entity, or portal-wide without an entity. Loaded again
 * when the backend signals a new waiting run or a decision (of that entity).
 */
export function useApprovalsInbox(
  entityRef?: CompoundEntityRef,
): ApprovalsInboxState {
  const api = useApi(lexeconApiRef);
  const [inbox, setInbox] = useState<ApprovalsInbox>();
  const [pending, setPending] = useState(true);
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);
  const kind = entityRef?.kind;
  const namespace = entityRef?.namespace;
  const name = entityRef?.name;

  useEffect(() => {
    const current = ++generation.current;
    setPending(true);
    const request =
      kind && namespace && name
        ? api.getEntityApprovals({ kind, namespace, name })
        : api.getApprovalsInbox();
    request
      .then(value => {
        if (current !== generation.current) return;
        setInbox(value);
        setError(undefined);
      })
      .catch((e: Error) => {
        if (current !== generation.current) return;
        setInbox(undefined);
        setError(e);
      })
      .finally(() => {
        if (current === generation.current) setPending(false);
      });
  }, [api, kind, namespace, name, attempt]);

  const reload = useCallback(() => setAttempt(a => a + 1), []);
  useLiveRefetch<LiveApprovalsMessage>(
    LIVE_APPROVALS_CHANNEL,
    reload,
    message =>
      !(kind && namespace && name) ||
      message.entityRef === stringifyEntityRef({ kind, namespace, name }),
  );

  return {
    inbox,
    loading: pending && !inbox,
    reloading: pending && Boolean(inbox),
    error: pending ? undefined : error,
    reload,
  };
}
