import { Config } from '@backstage/config';
import { CostExplorerOptions } from './CostExplorerClient';

/** Cost Explorer requests a day when `maxRequestsPerDay` is unset: $1 a day at most. */
export const DEFAULT_MAX_REQUESTS_PER_DAY = 100;

export interface AwsCostConfig {
  client: CostExplorerOptions;
  /** Billed requests all replicas together may make per UTC day. */
  maxRequestsPerDay: number;
}

/**
 * Reads `lexecon.aws.costExplorer`; absent, the source is off. Without `credentials` the SDK's
 * default provider chain (environment, profile, web identity, instance role) signs.
 */
export function readAwsCostConfig(root: Config): AwsCostConfig | undefined {
  const config = root.getOptionalConfig('lexecon.aws.costExplorer');
  if (!config) return undefined;
  const maxRequestsPerDay =
    config.getOptionalNumber('maxRequestsPerDay') ??
    DEFAULT_MAX_REQUESTS_PER_DAY;
  if (!Number.isInteger(maxRequestsPerDay) || maxRequestsPerDay < 0) {
    throw new Error(
      'lexecon.aws.costExplorer.maxRequestsPerDay must be a whole number of requests, 0 or more',
    );
  }
  const credentials = config.getOptionalConfig('credentials');
  return {
    maxRequestsPerDay,
    client: {
      region: config.getOptionalString('region'),
      endpoint: config.getOptionalString('endpoint'),
      credentials: credentials && {
        accessKeyId: credentials.getString('accessKeyId'),
        secretAccessKey: credentials.getString('secretAccessKey'),
      },
      tags: {
        service: config.getOptionalString('tags.service') ?? 'service',
        component: config.getOptionalString('tags.component') ?? 'component',
      },
    },
  };
}
