// Authentication: Segment-style basic auth (write key as user name) or a Bearer token; admin routes need the admin key.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../store/db.ts';
import { findKey, type KeyOwner } from '../workspaces/workspaces.ts';
import { HttpError } from './errors.ts';

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

export function keyAuthenticator(db: Db) {
  const cache = new Map<string, { owner: KeyOwner | null; until: number }>();
  return async function authenticate(req: FastifyRequest, need: 'write' | 'admin'): Promise<KeyOwner> {
    const key = presentedKey(req.headers.authorization);
    if (!key) throw new HttpError(401, 'unauthorized', 'Send your key: Authorization: Bearer <key>, or basic auth with the write key as user name.');
    let hit = cache.get(key);
    if (!hit || hit.until < Date.now()) {
      hit = { owner: await findKey(db, key), until: Date.now() + CACHE_MS };
      if (cache.size > 10_000) cache.clear();
      cache.set(key, hit);
    }
    if (!hit.owner) throw new HttpError(401, 'unauthorized', 'This key is not known (or was revoked). Use a key printed by `retain workspace create`.');
    if (need === 'admin' && hit.owner.kind !== 'admin') {
      throw new HttpError(403, 'forbidden', 'A write key can only send events; use the admin key for this route.');
    }
    req.key = hit.owner;
    return hit.owner;
  };
}

export type Authenticate = ReturnType<typeof keyAuthenticator>;
export type Reply = FastifyReply;
