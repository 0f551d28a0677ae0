import { defineSource } from '../registry';
import { LEXECON_HEALTH_URL_ANNOTATION } from '@internal/plugin-lexecon-common';
import { HostAllowList } from '../http/HostAllowList';
import {
  HEALTH_ALLOWED_HOSTS_KEY,
  ServiceHealthSource,
} from './ServiceHealthSource';

const allowedHosts = (list: readonly string[]) =>
  HostAllowList.parse(list, HEALTH_ALLOWED_HOSTS_KEY);

export const serviceHealthRegistration = defineSource({
  id: 'health',
  // Fail closed: the URL is the annotation's, so without a list nothing is fetched.
  allowList: {
    key: HEALTH_ALLOWED_HOSTS_KEY,
    whenUnset: 'none',
    showList: false,
    requested: ({ health }) =>
      health
        ? [
            {
              value: health.url,
              named: URL.canParse(health.url)
                ? `${LEXECON_HEALTH_URL_ANNOTATION} host ${
                    new URL(health.url).host
                  }`
                : `${LEXECON_HEALTH_URL_ANNOTATION} ${health.url}`,
            },
          ]
        : [],
    matcher: list => {
      const hosts = allowedHosts(list);
      return url =>
        URL.canParse(url) && hosts.permittedRanges(new URL(url)) !== undefined;
    },
  },
  create: ({ config, upstream }) =>
    new ServiceHealthSource({
      timeoutMs: upstream.timeoutMs,
      allowedHosts: allowedHosts(
        config.getOptionalStringArray(HEALTH_ALLOWED_HOSTS_KEY) ?? [],
      ),
    }),
});
