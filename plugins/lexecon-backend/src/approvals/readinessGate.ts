import { NotAllowedError } from '@backstage/errors';
import {
  DecisionBody,
  GateExceptionKind,
  ReadinessGateStatus,
  ReadinessScore,
} from '@internal/plugin-lexecon-common';
import { conflict } from './errors';

/** What a gate-exception record holds besides who, when and its own id. */
export interface GateExceptionDetails {
  kind: GateExceptionKind;
  message: string;
  reason?: string;
  score?: number;
  gate?: number;
  failingInputs?: ReadinessScore['failing'];
}

/** Entity refs compare case-insensitively, as the catalog does. */
const isMember = (groups: string[], overrideGroups: string[]) =>
  groups.some(g =>
    overrideGroups.some(o => o.toLowerCase() === g.toLowerCase()),
  );

/** The readiness gate as it applies to one run and one viewer. */
export function readinessGateStatus(
  readiness: ReadinessScore,
  overrideGroups: string[],
  viewerGroups: string[],
): ReadinessGateStatus {
  return {
    passes: readiness.passesGate,
    overrideRequired: !readiness.passesGate,
    viewerCanOverride: isMember(viewerGroups, overrideGroups),
    overrideGroups,
  };
}

/** e.g. "CI pass rate 80, Test coverage missing". */
export function describeFailing(readiness: ReadinessScore): string {
  return readiness.inputs
    .filter(input => readiness.failing.includes(input.key))
    .map(
      input =>
        `${input.label} ${
          input.score === undefined ? 'missing' : String(input.score)
        }`,
    )
    .join(', ');
}

function standing(readiness: ReadinessScore, version: string): string {
  return `${version} scores ${readiness.score} against the readiness gate of ${
    readiness.gate
  } (failing: ${describeFailing(readiness)})`;
}

/**
 * Whether an approval may go ahead against the readiness gate. Below the gate (or with an input
 * missing) it needs `override.reason` from a member of an override group; the answer is then the
 * exception to record once GitHub accepted the approval. Rejecting never needs an override.
 */
export function checkReadinessGate(args: {
  readiness: ReadinessScore;
  body: DecisionBody;
  version: string;
  overrideGroups: string[];
  viewerGroups: string[];
}): GateExceptionDetails | undefined {
  const { readiness, body, version, overrideGroups } = args;
  if (body.decision !== 'approved' || readiness.passesGate) return undefined;
  const groups = overrideGroups.join(', ') || 'no group (none is configured)';
  if (!body.override) {
    throw conflict(
      `${standing(
        readiness,
        version,
      )}: approving it needs an override of the readiness gate with a written reason, which members of ${groups} may give`,
      {
        reason: 'below-readiness-gate',
        readiness: {
          score: readiness.score,
          gate: readiness.gate,
          failing: readiness.failing,
        },
      },
    );
  }
  if (!isMember(args.viewerGroups, overrideGroups)) {
    throw new NotAllowedError(
      `${standing(
        readiness,
        version,
      )}: only members of ${groups} may override the readiness gate`,
    );
  }
  return {
    kind: 'readiness-override',
    message: `Readiness gate overridden: ${standing(readiness, version)}`,
    reason: body.override.reason,
    score: readiness.score,
    gate: readiness.gate,
    failingInputs: readiness.failing,
  };
}
