// Which hosts an outgoing request may reach (pure): every public address, and inside addresses only when the operator
// allows them (RETAIN_ALLOW_PRIVATE_HOSTS: host names, IP addresses or CIDR ranges); a cloud metadata address only when
// it is listed itself, never through a range.
import { BlockList, isIP } from 'node:net';
import { addressKind, bareHost, KIND_PHRASE, specialName } from './addresses.ts';

export const ALLOW_SETTING = 'RETAIN_ALLOW_PRIVATE_HOSTS';

export interface AllowList {
  /** Host names allowed whatever they resolve to: "sms.internal", or "*.corp.example" for its subdomains. */
  hosts: string[];
  /** Addresses and ranges allowed. */
  ranges: BlockList;
  /** Addresses listed one by one (a metadata address must be). */
  exact: BlockList;
}

const HOST_NAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** Reads the allow list; throws naming the entry that is neither a host name, an IP address nor a CIDR range. */
export function parseAllowList(entries: readonly string[]): AllowList {
  const list: AllowList = { hosts: [], ranges: new BlockList(), exact: new BlockList() };
  for (const raw of entries) {
    const entry = bareHost(raw.trim());
    if (!entry) continue;
    const [address, prefixText, extra] = entry.split('/');
    const family = isIP(address!);
    if (family && extra === undefined) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      const max = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
      if (!(prefix >= 0 && prefix <= max))
        throw new Error(
          `${ALLOW_SETTING}: "${raw.trim()}" has a bad prefix length: use 0 to ${max}, e.g. ${address}/${family === 4 ? 24 : 64}`,
        );
      list.ranges.addSubnet(address!, prefix, type);
      if (prefix === max) list.exact.addAddress(address!, type);
    } else if (prefixText === undefined && HOST_NAME.test(entry)) {
      list.hosts.push(entry);
    } else {
      throw new Error(
        `${ALLOW_SETTING}: "${raw.trim()}" is not a host name, an IP address or a CIDR range (e.g. sms.internal, 10.0.0.5, 10.0.0.0/24)`,
      );
    }
  }
  return list;
}

/** No exceptions: only public addresses. */
export const NOTHING_ALLOWED: AllowList = parseAllowList([]);

/** Whether the operator allows this host name, whatever it resolves to. */
export function hostAllowed(host: string, allow: AllowList): boolean {
  const h = bareHost(host);
  return allow.hosts.some((entry) => (entry.startsWith('*.') ? h.endsWith(entry.slice(1)) : h === entry));
}

/** Whether a connection to this IP address may be made: a public one, or an inside one the operator allows. */
export function addressAllowed(address: string, allow: AllowList): boolean {
  const kind = addressKind(address);
  if (!kind) return true;
  const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  return (kind === 'metadata' ? allow.exact : allow.ranges).check(address, type);
}

const advice = `; allow it with ${ALLOW_SETTING}`;

/** Why a connection to this IP address is refused ("10.0.0.1 is a private network address; …"), or null. */
export function addressRefusal(address: string, allow: AllowList): string | null {
  if (addressAllowed(address, allow)) return null;
  return `${address} is ${KIND_PHRASE[addressKind(address)!]}${advice}`;
}

/** Why a host name is refused before it is even resolved ("localhost", "metadata.google.internal"), or null. */
export function nameRefusal(host: string, allow: AllowList): string | null {
  const special = specialName(host);
  if (!special || hostAllowed(host, allow) || addressAllowed(special.address, allow)) return null;
  return `${bareHost(host)} is ${KIND_PHRASE[special.kind]}${advice}`;
}

/** Why none of a host name's addresses may be reached (without saying which they are: they may be someone's inside). */
export function resolvedRefusal(host: string, refused: string): string {
  return `${bareHost(host)} resolves to ${KIND_PHRASE[addressKind(refused) ?? 'reserved']}${advice}`;
}

/**
 * Why a URL is refused by its host alone, or null: an IP literal in any of the forms URLs accept (the URL parser turns
 * 0x7f.1, 2130706433 and [::ffff:127.0.0.1] into their plain forms) or a name that always means an inside address.
 * Other names are judged after DNS, when connecting. A text that is not a URL is not judged here.
 */
export function urlRefusal(url: string, allow: AllowList): string | null {
  let host: string;
  try {
    host = bareHost(new URL(url).hostname);
  } catch {
    return null;
  }
  if (!host) return null;
  if (isIP(host)) return addressRefusal(host, allow);
  if (hostAllowed(host, allow)) return null;
  return nameRefusal(host, allow);
}
