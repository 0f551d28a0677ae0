import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

const KEY = 'lexecon.delivery.retention';
/** A year of trends and the same month a year before. */
export const DEFAULT_CI_RUN_RETENTION: HumanDuration = { months: 13 };

/** How long stored CI runs are kept (`lexecon.delivery.retention`), in milliseconds. */
export function readCiRunRetentionMs(config: Config): number {
  const ms = durationToMilliseconds(
    config.has(KEY)
      ? readDurationFromConfig(config, { key: KEY })
      : DEFAULT_CI_RUN_RETENTION,
  );
  if (!(ms > 0)) {
    throw new Error(
      `${KEY} must be a positive duration, such as { months: 13 }`,
    );
  }
  return ms;
}
