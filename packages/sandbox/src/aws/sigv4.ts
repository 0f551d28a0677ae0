import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './errors';

/** The portal's IAM user in the sandbox's AWS account. */
export const AWS_ACCESS_KEY_ID = 'AKIASANDBOXLEXECON01';
export const AWS_SECRET_ACCESS_KEY = 'sandbox-aws-secret-access-key';
export const AWS_REGION = 'us-east-1';
export const COST_EXPLORER_SERVICE = 'ce';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export interface SignedRequest {
  method: string;
  /** Path and query as sent, e.g. `/`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function headerValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : value ?? '';
  return joined.trim().replace(/\s+/g, ' ');
}

/** SigV4 orders by code point, not by locale. */
function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .map(pair => {
      const [k, v = ''] = pair.split('=');
      const enc = (s: string) =>
        encodeURIComponent(decodeURIComponent(s)).replace(
          /[!'()*]/g,
          c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        );
      return [enc(k), enc(v)] as const;
    })
    .sort(([a, x], [b, y]) => byCodePoint(a, b) || byCodePoint(x, y))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * The signature SigV4 gives a request: the canonical request (method, path, query, the signed
 * headers, the body's hash), hashed into the string to sign with the date and scope, signed with
 * a key derived from the secret, date, region and service.
 */
export function sigV4Signature(
  req: SignedRequest,
  opts: {
    secretAccessKey: string;
    amzDate: string;
    region: string;
    service: string;
    signedHeaders: string[];
  },
): string {
  const [path, query = ''] = req.url.split('?');
  const canonicalRequest = [
    req.method.toUpperCase(),
    path || '/',
    canonicalQuery(query),
    opts.signedHeaders
      .map(h => `${h}:${headerValue(req.headers[h])}\n`)
      .join(''),
    opts.signedHeaders.join(';'),
    sha256Hex(req.body),
  ].join('\n');
  const date = opts.amzDate.slice(0, 8);
  const scope = `${date}/${opts.region}/${opts.service}/aws4_request`;
  const stringToSign = [
    ALGORITHM,
    opts.amzDate,
    scope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const key = [date, opts.region, opts.service, 'aws4_request'].reduce<
    Buffer | string
  >((k, part) => hmac(k, part), `AWS4${opts.secretAccessKey}`);
  return hmac(key, stringToSign).toString('hex');
}

/**
 * Checks a request as AWS does before reading it: an `Authorization` header of SigV4's shape,
 * a known access key, a credential scope of us-east-1 and `ce` dated as `X-Amz-Date`, and a
 * signature that matches the one computed with the sandbox's secret key.
 */
export function verifySigV4(
  req: SignedRequest,
  credentials: Record<string, string>,
): void {
  const authorization = headerValue(req.headers.authorization);
  if (!authorization) {
    throw new AwsError(
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
      403,
    );
  }
  const m = AUTHORIZATION.exec(authorization);
  if (!m) {
    throw new AwsError(
      'IncompleteSignatureException',
      `Authorization header requires '${ALGORITHM} Credential=<access key>/<yyyymmdd>/<region>/<service>/aws4_request, SignedHeaders=<headers>, Signature=<64 hex digits>'`,
    );
  }
  const [, accessKeyId, date, region, service, signedList, signature] = m;
  const secret = credentials[accessKeyId];
  if (secret === undefined) {
    throw new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      403,
    );
  }
  if (region !== AWS_REGION || service !== COST_EXPLORER_SERVICE) {
    throw new AwsError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region and service: expected ${AWS_REGION}/${COST_EXPLORER_SERVICE}, got ${region}/${service}.`,
      403,
    );
  }
  const amzDate = headerValue(req.headers['x-amz-date']);
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date) {
    throw new AwsError(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(
        0,
        8,
      )}', from '${amzDate}'.`,
      403,
    );
  }
  const signedHeaders = signedList.split(';');
  if (!signedHeaders.includes('host')) {
    throw new AwsError(
      'InvalidSignatureException',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
      403,
    );
  }
  const expected = sigV4Signature(req, {
    secretAccessKey: secret,
    amzDate,
    region,
    service,
    signedHeaders,
  });
  if (
    !timingSafeEqual(
      Buffer.from(expected, 'hex'),
      Buffer.from(signature, 'hex'),
    )
  ) {
    throw new AwsError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      403,
    );
  }
}
