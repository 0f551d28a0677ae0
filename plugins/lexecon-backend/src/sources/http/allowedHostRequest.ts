import { LookupAddress, promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { LookupFunction } from 'node:net';
import { addressRange } from './addressRanges';
import { HostAllowList } from './HostAllowList';

/** Resolves a host name to every address it has (the system resolver by default). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = hostname =>
  dns.lookup(hostname, { all: true, verbatim: true });

/**
 * The request was not made, or not followed, because of the allow-list. Its message names the
 * rule and nothing the request found out, so it can be shown to anyone.
 */
export class OutboundRefusedError extends Error {
  name = 'OutboundRefusedError' as const;
}

/** The body did not fit in the size limit. */
export class ResponseTooLargeError extends Error {
  name = 'ResponseTooLargeError' as const;
}

export interface AllowedHostRequestOptions {
  allowList: HostAllowList;
  /** The config key of the list, named in refusals. */
  allowListKey: string;
  /** Aborts connecting, redirects and reading the body alike. */
  signal: AbortSignal;
  /** Bodies longer than this are refused, without reading the rest. */
  maxBytes: number;
  /** Redirects followed on the same origin; one to another origin is refused. */
  maxRedirects: number;
  /** Only the status is needed: the body is not read. */
  statusOnly?: boolean;
  resolve?: Resolve;
}

export interface AllowedHostResponse {
  status: number;
  body: string;
}

/**
 * A GET to a host of the allow-list. The host name is resolved once, every address it has is
 * checked against what its entry permits (see HostAllowList), and the connection goes to the
 * address checked: no second resolution a rebinding DNS server could answer differently.
 * No shared connection pool, so no socket another caller opened is reused.
 */
export async function requestAllowedHost(
  url: URL,
  options: AllowedHostRequestOptions,
): Promise<AllowedHostResponse> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(current, options);
    const location = response.location;
    if (response.status < 300 || response.status >= 400 || !location) {
      return { status: response.status, body: response.body };
    }
    const next = new URL(location, current);
    if (next.origin !== current.origin) {
      throw new OutboundRefusedError(
        'refused a redirect to another host (redirects are followed on the same host only)',
      );
    }
    if (redirects >= options.maxRedirects) {
      throw new OutboundRefusedError(
        `refused more than ${options.maxRedirects} redirects`,
      );
    }
    current = next;
  }
}

function requestOnce(
  url: URL,
  options: AllowedHostRequestOptions,
): Promise<AllowedHostResponse & { location?: string }> {
  const permitted = options.allowList.permittedRanges(url);
  if (!permitted) {
    return Promise.reject(
      new OutboundRefusedError(`refused: host not in ${options.allowListKey}`),
    );
  }
  const lookup = checkedLookup(
    options.resolve ?? systemResolve,
    address => permitted.includes(addressRange(address)),
    options.allowListKey,
  );
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      url,
      {
        agent: false,
        lookup,
        signal: options.signal,
        headers: { Accept: 'application/json' },
      },
      response => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (options.statusOnly || (status >= 300 && status < 400)) {
          resolve({ status, body: '', location });
          response.destroy();
          return;
        }
        const declared = Number(response.headers['content-length']);
        if (declared > options.maxBytes) {
          reject(tooLarge(options.maxBytes));
          response.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            // Rejected before destroying: the close that follows must not decide the outcome.
            reject(tooLarge(options.maxBytes));
            response.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('close', () => {
          if (!response.complete) {
            reject(options.signal.reason ?? new Error('connection closed'));
          }
        });
      },
    );
    request.on('error', reject);
  });
}

function tooLarge(maxBytes: number) {
  return new ResponseTooLargeError(
    `answered with more than ${Math.round(maxBytes / 1024)} KiB`,
  );
}

/** dns.lookup's contract, answering only with addresses that passed `allowed`. */
function checkedLookup(
  resolve: Resolve,
  allowed: (address: string) => boolean,
  allowListKey: string,
): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      all => {
        const family = familyNumber(lookupOptions.family);
        const addresses = family
          ? all.filter(a => a.family === family)
          : [...all];
        // One unchecked address among many is enough for a rebinding attack: all must pass.
        if (all.some(a => !allowed(a.address))) {
          callback(
            new OutboundRefusedError(
              `refused: the host resolves to an address ${allowListKey} does not allow for it (internal, loopback or link-local)`,
            ),
            '',
          );
          return;
        }
        if (lookupOptions.all) callback(null, addresses);
        else if (addresses[0]) {
          callback(null, addresses[0].address, addresses[0].family);
        } else {
          callback(
            Object.assign(new Error(`no address for ${hostname}`), {
              code: 'ENOTFOUND',
            }),
            '',
          );
        }
      },
      error => callback(error as NodeJS.ErrnoException, ''),
    );
  };
}

function familyNumber(family: number | 'IPv4' | 'IPv6' | undefined) {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family ?? 0;
}
