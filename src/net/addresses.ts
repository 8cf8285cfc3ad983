// What kind of network address an IP is (pure): the ranges that lead inside a network or to nobody — loopback,
// private, link-local, cloud metadata, shared, multicast, reserved — named, so a refusal can say what it refused.
import { BlockList, isIP } from 'node:net';

export type AddressKind =
  | 'metadata'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'unspecified'
  | 'broadcast'
  | 'multicast'
  | 'documentation'
  | 'reserved';

/** The kind in a sentence: "127.0.0.1 is <a loopback address>". */
export const KIND_PHRASE: Record<AddressKind, string> = {
  metadata: 'a cloud metadata address',
  loopback: 'a loopback address',
  private: 'a private network address',
  'link-local': 'a link-local address',
  shared: 'a shared (carrier-grade NAT) address',
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  documentation: 'a documentation address',
  reserved: 'a reserved address',
};

/** First match wins: the metadata addresses sit inside link-local and private ranges and are named before them. */
const RANGES: [AddressKind, string, number, 'ipv4' | 'ipv6'][] = [
  ['metadata', '169.254.169.254', 32, 'ipv4'], // AWS, GCP, Azure, Oracle, DigitalOcean…
  ['metadata', '169.254.170.2', 32, 'ipv4'], // AWS ECS task credentials
  ['metadata', '100.100.100.200', 32, 'ipv4'], // Alibaba Cloud
  ['metadata', 'fd00:ec2::254', 128, 'ipv6'], // AWS over IPv6
  ['broadcast', '255.255.255.255', 32, 'ipv4'],
  ['unspecified', '0.0.0.0', 8, 'ipv4'], // "this network"; 0.0.0.0 reaches the local host
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['shared', '100.64.0.0', 10, 'ipv4'],
  ['documentation', '192.0.2.0', 24, 'ipv4'],
  ['documentation', '198.51.100.0', 24, 'ipv4'],
  ['documentation', '203.0.113.0', 24, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['reserved', '192.88.99.0', 24, 'ipv4'], // 6to4 relays
  ['reserved', '198.18.0.0', 15, 'ipv4'], // benchmarking
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'], // unique local
  ['private', 'fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  ['documentation', '2001:db8::', 32, 'ipv6'],
  ['documentation', '3fff::', 20, 'ipv6'],
  ['reserved', '::', 96, 'ipv6'], // IPv4-compatible (deprecated)
  ['reserved', '100::', 64, 'ipv6'], // discard
  ['reserved', '2001::', 23, 'ipv6'], // IETF protocol assignments: Teredo, ORCHID, benchmarking
];

const LISTS = RANGES.map(([kind, network, prefix, family]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { kind, list, family };
});

/** The 16 bytes of an IPv6 address (with or without a trailing dotted IPv4), or null when it is not one. */
export function ipv6Bytes(text: string): number[] | null {
  if (isIP(text) !== 6) return null;
  let s = text.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const parts = (p: string | undefined) => (p ? p.split(':') : []);
  const groups =
    tail === undefined
      ? parts(head)
      : [...parts(head), ...Array(8 - parts(head).length - parts(tail).length).fill('0'), ...parts(tail)];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/**
 * IPv6 forms that carry an IPv4 address the packet really goes to: IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96
 * and the local-use 64:ff9b:1::/48) and 6to4 (2002:AABB:CCDD::/16). Answers that IPv4 address, or null.
 */
export function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => b.slice(at, at + 4).join('.');
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && (zero(4, 12) || (b[4] === 0 && b[5] === 1)))
    return v4(12);
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2);
  return null;
}

/**
 * The kind of an IP address that an outgoing request must not reach on its own, or null for an ordinary public
 * address. An IPv6 address carrying an IPv4 one is judged by the IPv4 address. Not an IP address: null.
 */
export function addressKind(address: string): AddressKind | null {
  const family = isIP(address);
  if (family === 0) return null;
  const inner = family === 6 ? embeddedIpv4(address) : null;
  if (inner) return addressKind(inner);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return LISTS.find((l) => l.family === type && l.list.check(address, type))?.kind ?? null;
}

/** A URL's host without the brackets of an IPv6 literal and without a trailing dot, lower case. */
export function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** Names that stand for an inside address wherever they are resolved; answers the address they stand for. */
export function specialName(host: string): { kind: AddressKind; address: string } | null {
  const h = bareHost(host);
  if (h === 'localhost' || h.endsWith('.localhost')) return { kind: 'loopback', address: '127.0.0.1' };
  if (h === 'metadata.google.internal' || h === 'metadata.goog' || h === 'metadata')
    return { kind: 'metadata', address: '169.254.169.254' };
  return null;
}
