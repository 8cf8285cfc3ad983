// Authentication: Segment-style basic auth (the key as user name) or a Bearer token; what each kind of key may call.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../store/index.ts';
import { findKey, type KeyOwner, keyAllows, type KeyNeed } from '../workspaces/index.ts';
import { DomainError } from '../lib/index.ts';
import type { RateLimiter } from './rate-limit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    key?: KeyOwner;
  }
}

/** Extracts the presented key from Authorization (Basic user:password with the key as user, or Bearer). */
export function presentedKey(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return null;
  if (scheme!.toLowerCase() === 'bearer') return value.trim();
  if (scheme!.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return (colon >= 0 ? decoded.slice(0, colon) : decoded) || null;
  }
  return null;
}

/** A short cache of key lookups: keys change rarely; revocation takes effect within CACHE_MS. */
const CACHE_MS = 10_000;

const UNKNOWN_KEY =
  'This key is not known (or was revoked). Use a key printed by `retain workspace create` or made with POST /api/v1/keys.';

/**
 * Who presents the request's key; 401 without a known key. Failed attempts are counted per client address: past the
 * limit the address is answered 429 before its key is even looked up (a key found a moment ago is still let through).
 */
export function keyAuthenticator(db: Db, limits: Pick<RateLimiter, 'checkAddress' | 'failed'>) {
  const cache = new Map<string, { owner: KeyOwner | null; until: number }>();
  const refuse = async (address: string, message: string): Promise<never> => {
    await limits.failed(address);
    throw new DomainError('unauthorized', 401, message);
  };
  return async function authenticate(req: FastifyRequest): Promise<KeyOwner> {
    const key = presentedKey(req.headers.authorization);
    let hit = key === null ? undefined : cache.get(key);
    if (hit?.owner && hit.until >= Date.now()) return hit.owner;
    await limits.checkAddress(req.ip);
    if (!key)
      return refuse(req.ip, 'Send your key: Authorization: Bearer <key>, or basic auth with the key as user name.');
    if (!hit || hit.until < Date.now()) {
      hit = { owner: await findKey(db, key), until: Date.now() + CACHE_MS };
      if (cache.size > 10_000) cache.clear();
      cache.set(key, hit);
    }
    return hit.owner ?? refuse(req.ip, UNKNOWN_KEY);
  };
}

const FORBIDDEN: Record<Exclude<KeyNeed, 'public'>, string> = {
  server:
    'The public key may only do what a web page does (events, a sign-up under double opt-in, a push subscription): use the server key, from your backend, for this route.',
  admin: 'This key may only send events: use the admin key for this route.',
};

/** 403 unless a key of this kind may call a route that needs `need`. */
export function requireKind(owner: KeyOwner, need: KeyNeed): KeyOwner {
  if (!keyAllows(owner.kind, need))
    throw new DomainError('forbidden', 403, FORBIDDEN[need as Exclude<KeyNeed, 'public'>]);
  return owner;
}
