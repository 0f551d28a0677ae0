import { parseEntityRef } from '@backstage/catalog-model';
import { githubAuthApiRef, useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApprovalDecision,
  ConflictDetails,
  DecisionResult,
  PendingApproval,
} from '@internal/plugin-lexecon-common';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useMountedState from 'react-use/esm/useMountedState';
import { lexeconApiRef } from '../../api/LexeconApi';
import { errorMessage } from '../shared/format';

export type DecisionPhase =
  | { state: 'editing' }
  | { state: 'submitting' }
  /** The GitHub token could not be had; the user has to sign in with GitHub. */
  | { state: 'needs-github'; message: string }
  | { state: 'decided'; result: DecisionResult }
  | { state: 'conflict'; message: string; conflict: ConflictDetails }
  | { state: 'failed'; message: string };

/** The details of a 409 answer, if the error is one. */
export function conflictOf(error: unknown): ConflictDetails | undefined {
  if (!(error instanceof ResponseError) || error.statusCode !== 409) {
    return undefined;
  }
  const body = error.body as typeof error.body & { conflict?: ConflictDetails };
  return body.conflict ?? { reason: 'no-longer-waiting' };
}

/**
 * Sends one decision. In `github-reviewers` mode the user's GitHub token is asked for right
 * before the request and lives only in this function call.
 */
export function useDecision(options: {
  item: PendingApproval;
  decision: ApprovalDecision;
  /** Called after a decision landed or a conflict showed the inbox is out of date. */
  onChanged: () => void;
}) {
  const { item, decision, onChanged } = options;
  const api = useApi(lexeconApiRef);
  const githubAuth = useApi(githubAuthApiRef);
  const isMounted = useMountedState();
  const [phase, setPhase] = useState<DecisionPhase>({ state: 'editing' });
  // Someone who signed in with their company account has no GitHub session until they connect
  // it; knowing that up front, the dialog says so and confirming opens GitHub's consent.
  const { value: githubConnected } = useAsync(async () => {
    if (!item.viewer.needsGithubToken) return undefined;
    try {
      return Boolean(
        await githubAuth.getAccessToken(['repo'], { optional: true }),
      );
    } catch {
      return false;
    }
  }, [githubAuth, item.viewer.needsGithubToken]);

  /** `overrideReason`: approving past the readiness gate, with why. */
  const submit = useCallback(
    async (
      comment: string,
      send: { signIn?: boolean; overrideReason?: string } = {},
    ) => {
      const { signIn = false, overrideReason } = send;
      setPhase({ state: 'submitting' });
      let githubToken: string | undefined;
      if (item.viewer.needsGithubToken) {
        try {
          githubToken = await githubAuth.getAccessToken(
            ['repo'],
            signIn || githubConnected === false
              ? { instantPopup: true }
              : undefined,
          );
        } catch (e) {
          if (isMounted()) {
            setPhase({
              state: 'needs-github',
              message: errorMessage(e as Error),
            });
          }
          return;
        }
        if (!githubToken) {
          if (isMounted()) {
            setPhase({ state: 'needs-github', message: 'No GitHub session' });
          }
          return;
        }
      }
      try {
        const result = await api.decide({
          entityRef: parseEntityRef(item.entityRef),
          runId: item.runId,
          environment: item.environment,
          body: {
            decision,
            comment: comment.trim(),
            expectedSha: item.sha,
            ...(overrideReason
              ? { override: { reason: overrideReason.trim() } }
              : {}),
          },
          githubToken,
        });
        if (isMounted()) setPhase({ state: 'decided', result });
        onChanged();
      } catch (e) {
        const conflict = conflictOf(e);
        if (conflict) {
          if (isMounted()) {
            setPhase({
              state: 'conflict',
              message: errorMessage(e as Error),
              conflict,
            });
          }
          onChanged();
        } else if (isMounted()) {
          setPhase({ state: 'failed', message: errorMessage(e as Error) });
        }
      }
    },
    [api, githubAuth, githubConnected, isMounted, item, decision, onChanged],
  );

  return { phase, submit, githubConnected };
}
