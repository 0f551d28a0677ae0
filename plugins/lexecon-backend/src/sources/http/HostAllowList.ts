import { isIP } from 'node:net';
import { AddressRange } from './addressRanges';

/**
 * How an entry names its hosts, which decides the addresses they may resolve to: an `address`
 * entry is that address, whatever range it is in; a `name` entry (exact host name) may resolve
 * to internal addresses but not link-local ones; a `wildcard` entry (`*.example.com`) only to
 * public ones.
 */
type EntryKind = 'address' | 'name' | 'wildcard';

interface HostEntry {
  kind: EntryKind;
  /** Lower case, as `URL.hostname` has it (IPv6 in brackets); for a wildcard the parent domain. */
  host: string;
  /** Unset: the scheme's default port only. */
  port?: number;
}

const PERMITTED: Record<EntryKind, readonly AddressRange[]> = {
  address: ['public', 'internal', 'link-local'],
  name: ['public', 'internal'],
  wildcard: ['public'],
};

const ENTRY = /^(\*\.)?(\[[0-9A-Fa-f:.]+\]|[^:[\]/*@?#\s]+)(?::(\d{1,5}))?$/;

/**
 * The hosts an outbound URL may point at, from entries like `status.example.com`,
 * `*.example.com:8443`, `10.0.4.7:7104` or `[fd00::7]`. A URL matches an entry by host and port;
 * which addresses its name may then resolve to depends on the entry (see `EntryKind`).
 */
export class HostAllowList {
  private constructor(private readonly entries: readonly HostEntry[]) {}

  /** Throws on an entry that is not a host pattern, naming it and the config key. */
  static parse(patterns: readonly string[], key: string): HostAllowList {
    return new HostAllowList(
      patterns.map(pattern => {
        const entry = parseEntry(pattern.trim());
        if (!entry) {
          throw new Error(
            `${key}: "${pattern}" is not a host, host:port or *.domain[:port]`,
          );
        }
        return entry;
      }),
    );
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** The address ranges the URL's host may resolve to, or undefined when no entry has it. */
  permittedRanges(url: URL): readonly AddressRange[] | undefined {
    const defaultPort = url.protocol === 'https:' ? 443 : 80;
    const port = url.port ? Number(url.port) : defaultPort;
    const host = url.hostname.toLowerCase();
    const matching = this.entries.filter(
      entry =>
        (entry.port ?? defaultPort) === port &&
        (entry.kind === 'wildcard'
          ? host.endsWith(`.${entry.host}`) && !isIpLiteral(host)
          : entry.host === host),
    );
    const best = matching.find(e => e.kind !== 'wildcard') ?? matching[0];
    return best && PERMITTED[best.kind];
  }
}

function parseEntry(pattern: string): HostEntry | undefined {
  const match = ENTRY.exec(pattern);
  if (!match) return undefined;
  const [, wildcard, rawHost, rawPort] = match;
  let host: string;
  try {
    host = new URL(`http://${rawHost}`).hostname;
  } catch {
    return undefined;
  }
  const port = rawPort === undefined ? undefined : Number(rawPort);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  if (wildcard) {
    return isIpLiteral(host) ? undefined : { kind: 'wildcard', host, port };
  }
  return { kind: isIpLiteral(host) ? 'address' : 'name', host, port };
}

function isIpLiteral(hostname: string): boolean {
  return isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
}
