/** BigQuery's `status` per HTTP status, as Google APIs name them. */
const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * A failure as BigQuery's REST API answers it: `{"error": {code, message, errors: [{message,
 * domain, reason}], status}}`, where `reason` is what clients act on (`invalidQuery`,
 * `bytesBilledLimitExceeded`, `notFound`, `rateLimitExceeded`, ...).
 */
export class BigQueryError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly location?: { location: string; locationType: string },
  ) {
    super(message);
  }

  body() {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [
          {
            message: this.message,
            domain: 'global',
            reason: this.reason,
            ...this.location,
          },
        ],
        status: STATUS[this.status] ?? 'UNKNOWN',
      },
    };
  }
}

export const invalidQuery = (message: string) =>
  new BigQueryError(400, 'invalidQuery', message);

export const invalid = (message: string) =>
  new BigQueryError(400, 'invalid', message);
