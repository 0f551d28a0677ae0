import { ResponseError } from '@backstage/errors';
import {
  DeploymentRecord,
  DeploymentResult,
} from '@internal/plugin-lexecon-common';

const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "2 minutes ago", "yesterday", "just now". */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return 'at an unknown time';
  const seconds = Math.round((time - now) / 1000);
  const abs = Math.abs(seconds);
  // Clock skew between browser and backend makes "in 3 seconds" common; it means "now".
  if (abs < 45) return 'just now';
  for (const [unit, size] of RELATIVE_UNITS) {
    if (abs >= size) {
      return relativeFormat.format(Math.round(seconds / size), unit);
    }
  }
  return relativeFormat.format(Math.round(seconds / 60) || -1, 'minute');
}

const absoluteFormat = new Intl.DateTimeFormat('en', {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** "Nov 23, 2025, 8:34 AM" in the viewer's time zone. */
export function formatAbsolute(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : absoluteFormat.format(time);
}

/** "42s", "4m 12s", "1h 03m". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export const RESULT_LABELS: Record<DeploymentResult, string> = {
  success: 'success',
  failed: 'failed',
  cancelled: 'cancelled',
  rolled_back: 'rolled back',
  in_progress: 'in progress',
  waiting: 'waiting',
};

/**
 * What the Result column says. Rollbacks matter more than the raw run result: a deploy Helm
 * undid automatically reads "rolled back" even though its run may say "failed".
 */
export function describeResult(
  record: Pick<DeploymentRecord, 'result' | 'rollback'>,
): { label: string; result: DeploymentResult } {
  const { rollback } = record;
  if (rollback?.kind === 'automatic') {
    return {
      label: rollback.toVersion
        ? `${RESULT_LABELS.rolled_back} to ${rollback.toVersion}`
        : RESULT_LABELS.rolled_back,
      result: 'rolled_back',
    };
  }
  if (rollback?.kind === 'manual') {
    const target =
      rollback.toVersion ??
      (rollback.toRevision !== undefined
        ? `revision ${rollback.toRevision}`
        : undefined);
    return {
      label: target ? `manual rollback to ${target}` : 'manual rollback',
      result: record.result,
    };
  }
  return { label: RESULT_LABELS[record.result], result: record.result };
}

/** The server's own explanation when there is one, not just "Request failed with 403". */
export function errorMessage(error: Error): string {
  if (error instanceof ResponseError) {
    return error.body.error?.message || error.message;
  }
  return error.message;
}

/** Like formatDuration, but in days and hours from one day on: "3d 2h". */
export function formatSpan(totalSeconds: number): string {
  const days = Math.floor(totalSeconds / 86400);
  if (days < 1) return formatDuration(totalSeconds);
  return `${days}d ${Math.floor((totalSeconds % 86400) / 3600)}h`;
}

/** Time left until `iso`: "29d 23h", "5h 12m", "12m", or "expired". */
export function formatCountdown(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return 'unknown';
  if (seconds <= 0) return 'expired';
  if (seconds >= 3600) return formatSpan(seconds);
  return `${Math.max(1, Math.floor(seconds / 60))}m`;
}
