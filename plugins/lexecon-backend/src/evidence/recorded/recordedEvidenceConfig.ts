import { Config } from '@backstage/config';
import {
  DSR_DEADLINE_RULES,
  DsrDeadlineRule,
} from '@internal/plugin-lexecon-common';

export interface RecordedEvidenceSettings {
  /** `lexecon.evidence.uploads.maxBytes`: the largest attachment accepted. */
  maxUploadBytes: number;
  /** `lexecon.evidence.gdpr.deadlineRule`: how new data subject requests count their month. */
  deadlineRule: DsrDeadlineRule;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Reads and checks the settings; a bad value stops the backend with the key and the value. */
export function readRecordedEvidenceSettings(
  config: Config,
): RecordedEvidenceSettings {
  const maxKey = 'lexecon.evidence.uploads.maxBytes';
  const maxUploadBytes =
    config.getOptionalNumber(maxKey) ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (!Number.isInteger(maxUploadBytes) || maxUploadBytes < 1) {
    throw new Error(
      `${maxKey} must be a whole number of bytes above 0, not ${maxUploadBytes}`,
    );
  }
  const ruleKey = 'lexecon.evidence.gdpr.deadlineRule';
  const rule = config.getOptionalString(ruleKey) ?? 'calendar-month';
  if (!DSR_DEADLINE_RULES.includes(rule as DsrDeadlineRule)) {
    throw new Error(
      `${ruleKey} must be one of ${DSR_DEADLINE_RULES.join(
        ', ',
      )}, not '${rule}'`,
    );
  }
  return { maxUploadBytes, deadlineRule: rule as DsrDeadlineRule };
}
