// Outgoing HTTP(S) requests to addresses a workspace configured: the address is checked when the connection is made —
// the name is resolved, and only allowed addresses are handed to the socket, so DNS cannot change between check and
// connect — and again on every redirect, which is followed by hand (307/308 only: they keep the method and the body).
import { Agent as PlainAgent, request as plainRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as TlsAgent, request as tlsRequest } from 'node:https';
import { lookup as systemLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { loadConfig } from '../config.ts';
import { addressAllowed, hostAllowed, parseAllowList, resolvedRefusal, urlRefusal, type AllowList } from './policy.ts';

export interface OutboundPolicy {
  allow: AllowList;
  /** Resolves a host name to its addresses; default: the system resolver, as a connection would. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** For the whole call, redirects included. */
  timeoutMs: number;
  /** Default: the operator's (RETAIN_ALLOW_PRIVATE_HOSTS). */
  policy?: OutboundPolicy;
}

export interface OutboundAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most MAX_ANSWER_BYTES: the rest of a longer answer is not read. */
  body: Buffer;
}

/** Refused before the request went out: the address is not allowed, or the URL or a redirect cannot be followed. */
export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
}

/** The network failed; `sent`: the whole request had been handed to the network before (the receiver may have acted). */
export class OutboundLost extends Error {
  override readonly name = 'OutboundLost';
  constructor(
    override readonly cause: unknown,
    readonly sent: boolean,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }
}

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const MAX_REDIRECTS = 3;
const FOLLOWED = new Set([307, 308]);
export const MAX_ANSWER_BYTES = 1 << 20;
/** Credentials that must not follow a redirect to another origin. */
const PRIVATE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

let operator: { key: string; policy: OutboundPolicy } | null = null;

/** The operator's policy: RETAIN_ALLOW_PRIVATE_HOSTS as it is now (read again when it changes). Throws on a bad entry. */
export function defaultOutboundPolicy(): OutboundPolicy {
  const entries = loadConfig().allowPrivateHosts;
  const key = entries.join(',');
  if (operator?.key !== key) operator = { key, policy: { allow: parseAllowList(entries) } };
  return operator.policy;
}

/** Connections are pooled per policy, so that a socket opened under one allow list is never reused under another. */
const agents = new WeakMap<OutboundPolicy, { plain: PlainAgent; tls: TlsAgent }>();
function agentsOf(policy: OutboundPolicy) {
  let a = agents.get(policy);
  if (!a)
    agents.set(policy, (a = { plain: new PlainAgent({ keepAlive: true }), tls: new TlsAgent({ keepAlive: true }) }));
  return a;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup for the socket: resolves, keeps the allowed addresses, refuses when none is left. */
function guardedLookup(policy: OutboundPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    const resolve = policy.resolve ?? ((host: string) => systemLookup(host, { all: true, verbatim: true }));
    resolve(hostname).then(
      (found) => {
        const family =
          options.family === 4 || options.family === 'IPv4'
            ? 4
            : options.family === 6 || options.family === 'IPv6'
              ? 6
              : 0;
        const usable = found.filter((a) => !family || a.family === family);
        const allowed = hostAllowed(hostname, policy.allow)
          ? usable
          : usable.filter((a) => addressAllowed(a.address, policy.allow));
        if (!allowed.length) {
          const err = usable.length
            ? new OutboundRefused(`blocked_address: ${resolvedRefusal(hostname, usable[0]!.address)}`)
            : Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          callback(err, options.all ? [] : '');
        } else if (options.all) callback(null, allowed);
        else callback(null, allowed[0]!.address, allowed[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, options.all ? [] : ''),
    );
  };
}

function parseTarget(url: string | URL, base?: URL): URL {
  let target: URL;
  try {
    target = new URL(url, base);
  } catch {
    throw new OutboundRefused(
      base ? `bad_redirect: the redirect goes to an unreadable address` : `not a URL: ${String(url).slice(0, 200)}`,
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new OutboundRefused(
      base
        ? `bad_redirect: the redirect goes to a ${target.protocol} address`
        : `not an http(s) URL: ${target.protocol}`,
    );
  }
  return target;
}

/** One request, no redirects: the host checked (an IP literal here, a name when the socket resolves it). */
function once(
  target: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  timeoutMs: number,
  policy: OutboundPolicy,
): Promise<OutboundAnswer> {
  const refused = urlRefusal(target.href, policy.allow);
  if (refused) return Promise.reject(new OutboundRefused(`blocked_address: ${refused}`));
  const tls = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    let sent = false;
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      fn();
    };
    const fail = (err: unknown) =>
      finish(() => reject(err instanceof OutboundRefused ? err : new OutboundLost(err, sent)));
    const options = {
      method,
      headers,
      agent: tls ? agentsOf(policy).tls : agentsOf(policy).plain,
      lookup: guardedLookup(policy),
    };
    const call = (tls ? tlsRequest : plainRequest)(target, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = () =>
        finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('data', (c: Buffer) => {
        const room = MAX_ANSWER_BYTES - size;
        chunks.push(c.length > room ? c.subarray(0, room) : c);
        size += Math.min(c.length, room);
        // Enough: the rest of an endless answer is not read.
        if (size >= MAX_ANSWER_BYTES) {
          answer();
          res.destroy();
        }
      });
      res.on('end', answer);
      res.on('error', fail);
      res.on('aborted', () => fail(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' })));
    });
    // 'finish': the whole request has been handed to the network; from here on the receiver may have acted on it.
    call.on('finish', () => (sent = true));
    call.on('error', fail);
    const timer = setTimeout(
      () => call.destroy(new TimeoutError(`no answer within ${timeoutMs} ms`)),
      Math.max(1, timeoutMs),
    );
    call.end(body);
  });
}

/**
 * Sends a request to a configured address, following up to MAX_REDIRECTS 307/308 redirects (each target checked like
 * the first; never from https to http; credentials dropped when the origin changes). Other redirects come back as
 * they are. Throws OutboundRefused (nothing was sent) or OutboundLost (the network failed).
 */
export async function outboundRequest(url: string, req: OutboundRequest): Promise<OutboundAnswer> {
  const policy = req.policy ?? defaultOutboundPolicy();
  const method = req.method ?? 'POST';
  const deadline = Date.now() + req.timeoutMs;
  let headers: Record<string, string> = { accept: '*/*', ...req.headers };
  if (req.body) headers['content-length'] = String(req.body.length);
  let target = parseTarget(url);
  for (let hop = 0; ; hop++) {
    const left = deadline - Date.now();
    if (left <= 0) throw new OutboundLost(new TimeoutError(`no answer within ${req.timeoutMs} ms`), false);
    const answer = await once(target, method, headers, req.body, left, policy);
    const location = answer.headers.location;
    if (!FOLLOWED.has(answer.status) || !location) return answer;
    if (hop === MAX_REDIRECTS)
      throw new OutboundRefused(
        `bad_redirect: more than ${MAX_REDIRECTS} redirects; configure the address they end at`,
      );
    const next = parseTarget(location, target);
    if (target.protocol === 'https:' && next.protocol === 'http:')
      throw new OutboundRefused('bad_redirect: the redirect goes from https to plain http');
    if (next.origin !== target.origin)
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !PRIVATE_HEADERS.has(k.toLowerCase())));
    target = next;
  }
}
