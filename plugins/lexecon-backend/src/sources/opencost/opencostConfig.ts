import { Config } from '@backstage/config';

export interface OpenCostConfig {
  /** OpenCost's API, e.g. `http://opencost.opencost:9003`. */
  baseUrl: string;
  /** The currency OpenCost's prices are configured in. */
  currency: string;
}

/**
 * Reads `lexecon.opencost`; without `baseUrl` the source is off. The URL is the operator's, as
 * Datadog's and Cost Explorer's are: no entity can point the portal elsewhere.
 */
export function readOpenCostConfig(root: Config): OpenCostConfig | undefined {
  const config = root.getOptionalConfig('lexecon.opencost');
  const baseUrl = config?.getOptionalString('baseUrl');
  if (!config || !baseUrl) return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`lexecon.opencost.baseUrl must be a URL, got "${baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error('lexecon.opencost.baseUrl must be an http(s) URL');
  }
  return {
    baseUrl,
    currency: config.getOptionalString('currency') ?? 'USD',
  };
}
