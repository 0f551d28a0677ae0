import { Config } from '@backstage/config';
import { BillingExportOptions } from './BillingExportClient';

/**
 * Bytes one billing query may bill when `maximumBytesBilled` is unset: 10 GiB, about $0.06 at
 * on-demand prices; a partition-filtered daily read of a service scans far less.
 */
export const DEFAULT_MAXIMUM_BYTES_BILLED = 10 * 1024 ** 3;

/**
 * Reads `lexecon.gcp.billing`; absent or without `projectId`, the source is off. Without `accessToken` the client signs
 * with Application Default Credentials (Workload Identity, a service account key file named by
 * GOOGLE_APPLICATION_CREDENTIALS, or gcloud's user credentials).
 */
export function readGcpBillingConfig(
  root: Config,
): BillingExportOptions | undefined {
  const config = root.getOptionalConfig('lexecon.gcp.billing');
  // Without a project (e.g. its variable unset in production), the source is off.
  if (!config?.getOptionalString('projectId')) return undefined;
  const maximumBytesBilled =
    config.getOptionalNumber('maximumBytesBilled') ??
    DEFAULT_MAXIMUM_BYTES_BILLED;
  if (!Number.isInteger(maximumBytesBilled) || maximumBytesBilled < 1) {
    throw new Error(
      'lexecon.gcp.billing.maximumBytesBilled must be a whole number of bytes, 1 or more',
    );
  }
  const projectId = config.getString('projectId');
  return {
    projectId,
    table: `${config.getString('dataset')}.${config.getString('table')}`,
    location: config.getOptionalString('location'),
    maximumBytesBilled,
    componentLabel: config.getOptionalString('componentLabel') ?? 'component',
    apiEndpoint: config.getOptionalString('apiEndpoint'),
    accessToken: config.getOptionalString('accessToken'),
  };
}
