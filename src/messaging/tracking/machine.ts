// Machine opens and clicks (pure): requests for a pixel or a link that no person made, so they must not count as
// opens or clicks. First rule that matches wins:
//   apple_privacy_proxy  Apple Mail Privacy Protection fetches every image of every message through Apple's proxies
//                        on delivery, read or not: the request comes from Apple's network (17.0.0.0/8, and its IPv6
//                        blocks) or carries the proxy's bare user agent "Mozilla/5.0". (The IP check needs the real
//                        client address: behind a reverse proxy, Fastify's trustProxy must be set; the user agent check
//                        works regardless.)
//   head_request         link checkers ask with HEAD; a person's mail client and browser never do.
//   scanner_user_agent   security gateways and HTTP libraries (Barracuda, Mimecast, Proofpoint, curl, python-requests…),
//                        declared bots, and no user agent at all.
//   too_soon             within MACHINE_WINDOW_MS of sending: a scanner opening or following every link on delivery.
// Image proxies that fetch when the person opens (Gmail's GoogleImageProxy, Yahoo) are opens and are not flagged.
import { BlockList, isIP } from 'node:net';

export type MachineReason = 'apple_privacy_proxy' | 'head_request' | 'scanner_user_agent' | 'too_soon';

/** A hit earlier than this after sending is a machine's (a person cannot get, open and read a message that fast). */
export const MACHINE_WINDOW_MS = 10_000;

export interface Hit {
  method: string;
  ip: string | null;
  userAgent: string | null;
  at: Date;
  /** When the message was handed to the provider. */
  sentAt: Date | null;
}

const APPLE = new BlockList();
APPLE.addSubnet('17.0.0.0', 8, 'ipv4');
APPLE.addSubnet('2620:149::', 32, 'ipv6');
APPLE.addSubnet('2a01:b740::', 32, 'ipv6');
APPLE.addSubnet('2403:300::', 32, 'ipv6');

/** User agents of link scanners, security gateways, HTTP libraries and declared bots. */
const SCANNERS = new RegExp(
  [
    'bot\\b',
    'crawler',
    'spider',
    'scanner',
    'barracuda',
    'mimecast',
    'proofpoint',
    'forcepoint',
    'symantec',
    'messagelabs',
    'trend ?micro',
    'sophos',
    'fortiguard',
    'fortinet',
    'zscaler',
    'ironport',
    'cisco',
    'safelinks',
    'microsoft office protection',
    'curl/',
    'wget',
    'python-requests',
    'python-urllib',
    'aiohttp',
    'go-http-client',
    'java/',
    'okhttp',
    'apache-httpclient',
    'libwww',
    'httpclient',
    'headlesschrome',
    'phantomjs',
    'node-fetch',
    'axios',
    'undici',
  ].join('|'),
  'i',
);

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:17.1.2.3), else the address as given. */
const unmapped = (ip: string) => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip);

export function isAppleProxyIp(ip: string | null): boolean {
  if (!ip) return false;
  const a = unmapped(ip);
  const v = isIP(a);
  return v !== 0 && APPLE.check(a, v === 4 ? 'ipv4' : 'ipv6');
}

/** Why this hit is a machine's, or null for a person's. */
export function machineReason(hit: Hit): MachineReason | null {
  const ua = (hit.userAgent ?? '').trim();
  if (isAppleProxyIp(hit.ip) || ua === 'Mozilla/5.0') return 'apple_privacy_proxy';
  if (hit.method.toUpperCase() === 'HEAD') return 'head_request';
  if (!ua || SCANNERS.test(ua)) return 'scanner_user_agent';
  if (hit.sentAt && hit.at.getTime() - hit.sentAt.getTime() < MACHINE_WINDOW_MS) return 'too_soon';
  return null;
}
