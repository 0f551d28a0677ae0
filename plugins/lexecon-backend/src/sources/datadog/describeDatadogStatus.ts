import { errorDetail } from '../http/JsonHttpClient';

/** A Datadog answer other than 2xx, in words a person can act on. */
export function describeDatadogStatus(
  status: number,
  what: string,
  body: string,
) {
  const detail = errorDetail(body);
  if (status === 403 || status === 401) {
    return `Datadog rejected the API or application key (${status}) while reading ${what}: check lexecon.datadog.apiKey, lexecon.datadog.applicationKey and lexecon.datadog.site`;
  }
  if (status === 429) {
    return `Datadog rate limit reached while reading ${what} (429)${
      detail ? `: ${detail}` : ''
    }`;
  }
  return `Datadog answered ${status} for ${what}${detail ? `: ${detail}` : ''}`;
}
