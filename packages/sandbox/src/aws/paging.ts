import { createHash } from 'node:crypto';
import { AwsError } from './errors';

/** The request as the token remembers it: everything but the token itself. */
function digestOf(body: Record<string, unknown>): string {
  const { NextPageToken: _token, ...rest } = body;
  return createHash('sha256')
    .update(JSON.stringify(rest))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Opaque page tokens tied to the request they continue, as Cost Explorer's are: a token sent
 * with other parameters is a `RequestChangedException`, one it never issued an
 * `InvalidNextTokenException`.
 */
export function pageOffset(body: Record<string, unknown>): number {
  const token = body.NextPageToken;
  if (token === undefined) return 0;
  let decoded: { o?: unknown; d?: unknown };
  try {
    decoded = JSON.parse(
      Buffer.from(String(token), 'base64url').toString('utf8'),
    );
  } catch {
    throw new AwsError('InvalidNextTokenException', 'Invalid NextPageToken');
  }
  if (
    typeof decoded?.o !== 'number' ||
    !Number.isInteger(decoded.o) ||
    decoded.o < 1
  ) {
    throw new AwsError('InvalidNextTokenException', 'Invalid NextPageToken');
  }
  if (decoded.d !== digestOf(body)) {
    throw new AwsError(
      'RequestChangedException',
      'The request parameters changed between pages; start again without NextPageToken',
    );
  }
  return decoded.o;
}

export function nextPageToken(
  body: Record<string, unknown>,
  offset: number,
): string {
  return Buffer.from(
    JSON.stringify({ o: offset, d: digestOf(body) }),
    'utf8',
  ).toString('base64url');
}
