import { BlockList, isIP } from 'node:net';

/**
 * Where an address leads: `public` (the internet), `internal` (private networks and loopback:
 * RFC 1918, fc00::/7, 127/8, ::1 and the other ranges that are not global) or `link-local`
 * (169.254/16, fe80::/10: the cloud metadata service lives there).
 */
export type AddressRange = 'public' | 'internal' | 'link-local';

const linkLocal = new BlockList();
linkLocal.addSubnet('169.254.0.0', 16, 'ipv4');
linkLocal.addSubnet('fe80::', 10, 'ipv6');

/** IANA's special-purpose ranges that are not globally reachable, besides link-local. */
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // NAT64 and 6to4 embed an IPv4 address this check would not see.
  ['64:ff9b::', 96],
  ['2002::', 16],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

/** The range of an IP address (v4 or v6); an IPv4-mapped IPv6 address counts as its IPv4. */
export function addressRange(address: string): AddressRange {
  const ip = unmapIpv4(address);
  const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
  if (linkLocal.check(ip, family)) return 'link-local';
  if (internal.check(ip, family)) return 'internal';
  return 'public';
}

/** `::ffff:127.0.0.1` and `::ffff:7f00:1` are 127.0.0.1 on the wire. */
function unmapIpv4(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return address;
  const [high, low] = [hex[1], hex[2]].map(h => parseInt(h, 16));
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
