import { Config } from '@backstage/config';

export interface UnleashConfig {
  baseUrl: string;
  /** Where people open a flag: the Unleash UI (by default the same host as the API). */
  webUrl: string;
  apiToken: string;
  /** Days of flag change events kept in the snapshot. */
  eventsDays: number;
}

export interface DatadogConfig {
  baseUrl: string;
  /** Where people open monitors, incidents and SLOs, e.g. https://app.datadoghq.eu. */
  appUrl: string;
  apiKey: string;
  applicationKey: string;
}

export interface ReliabilityConfig {
  unleash?: UnleashConfig;
  datadog?: DatadogConfig;
  /** Deploys and flag changes this long before an incident count as "preceding" it. */
  changeWindowMinutes: number;
}

/** `datadoghq.eu` → `https://api.datadoghq.eu`; a full `baseUrl` wins. */
function datadogBaseUrl(config: Config): string {
  const baseUrl = config.getOptionalString('baseUrl');
  if (baseUrl) return baseUrl.replace(/\/+$/, '');
  const site = config.getOptionalString('site') ?? 'datadoghq.com';
  if (!/^[a-z0-9.-]+$/i.test(site)) {
    throw new Error(
      `lexecon.datadog.site must be a Datadog site such as datadoghq.eu, not "${site}"`,
    );
  }
  return `https://api.${site}`;
}

/** `datadoghq.eu` → `https://app.datadoghq.eu`; `appUrl` wins, then `baseUrl` (a proxy or the sandbox). */
function datadogAppUrl(config: Config): string {
  const appUrl =
    config.getOptionalString('appUrl') ?? config.getOptionalString('baseUrl');
  if (appUrl) return appUrl.replace(/\/+$/, '');
  return `https://app.${config.getOptionalString('site') ?? 'datadoghq.com'}`;
}

/** Reads `lexecon.unleash`; without it the Unleash source is switched off. */
export function readUnleashConfig(root: Config): UnleashConfig | undefined {
  const unleash = root.getOptionalConfig('lexecon.unleash');
  if (!unleash) return undefined;
  return {
    baseUrl: unleash.getString('baseUrl').replace(/\/+$/, ''),
    webUrl: (
      unleash.getOptionalString('webUrl') ?? unleash.getString('baseUrl')
    ).replace(/\/+$/, ''),
    apiToken: unleash.getString('apiToken'),
    eventsDays: unleash.getOptionalNumber('eventsDays') ?? 90,
  };
}

/** Reads `lexecon.datadog`; without it the Datadog source is switched off. */
export function readDatadogConfig(root: Config): DatadogConfig | undefined {
  const datadog = root.getOptionalConfig('lexecon.datadog');
  if (!datadog) return undefined;
  return {
    baseUrl: datadogBaseUrl(datadog),
    appUrl: datadogAppUrl(datadog),
    apiKey: datadog.getString('apiKey'),
    applicationKey: datadog.getString('applicationKey'),
  };
}

/** Reads `lexecon.unleash`, `lexecon.datadog` and `lexecon.sla`; absent blocks switch a source off. */
export function readReliabilityConfig(root: Config): ReliabilityConfig {
  const changeWindowMinutes =
    root.getOptionalNumber('lexecon.sla.changeWindowMinutes') ?? 120;
  if (changeWindowMinutes <= 0 || changeWindowMinutes > 7 * 24 * 60) {
    throw new Error(
      'lexecon.sla.changeWindowMinutes must be between 1 and 10080',
    );
  }
  return {
    unleash: readUnleashConfig(root),
    datadog: readDatadogConfig(root),
    changeWindowMinutes,
  };
}
