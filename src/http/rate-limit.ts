// Rate limits: fixed one-minute windows counted in the database (rate_limits), so all API processes share them. Per key;
// under a public key, per client address too (one address gets a share of the key's minute, so nobody outside can use
// up the site's quota); and failed authentications per client address. Addresses are stored hashed.
import { createHash } from 'node:crypto';
import type { Queryable } from '../store/index.ts';
import type { KeyOwner } from '../workspaces/index.ts';
import { DomainError } from '../lib/index.ts';

export interface RateLimits {
  /** Requests a minute per key (0 = no limit). */
  perKey: number;
  /** Requests a minute per client address under one public key (0 = no limit of its own). */
  perAddress: number;
  /** Failed authentications a minute per client address; past them every request without a known key is refused. */
  authFailures: number;
}

/** A client address's share of a public key's minute when the operator sets none: 5% (600 of the default 12,000). */
export const defaultPerAddress = (perKey: number) => (perKey > 0 ? Math.max(1, Math.ceil(perKey / 20)) : 0);

const hashed = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');
const addressCounter = (keyHash: string, address: string) => hashed('address', keyHash, address);
const failureCounter = (address: string) => hashed('auth-failures', address);

/** Counts one hit on a counter in this window (a new window starts at 1); answers the hits so far in it. */
async function countHit(db: Queryable, counter: string, window: number): Promise<number> {
  const rows = await db.query<{ hits: number }>(
    `INSERT INTO rate_limits (key_hash, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (key_hash) DO UPDATE SET
       hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
       window_start = excluded.window_start
     RETURNING hits`,
    [counter, window],
  );
  return Number(rows[0]!.hits);
}

/** The hits on a counter in this window, without counting one. */
async function hitsSoFar(db: Queryable, counter: string, window: number): Promise<number> {
  const rows = await db.query<{ hits: number }>(
    'SELECT hits FROM rate_limits WHERE key_hash = $1 AND window_start = $2',
    [counter, window],
  );
  return rows.length ? Number(rows[0]!.hits) : 0;
}

/** Forgets the windows that ended more than a minute ago, so the table stays as small as the set of active counters. */
export async function forgetEndedWindows(db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM rate_limits WHERE window_start < $1', [Math.floor(now.getTime() / 60_000) - 1]);
}

export function rateLimiter(db: Queryable, limits: RateLimits, clock: () => number = Date.now) {
  const window = () => Math.floor(clock() / 60_000);
  const refuse = (what: string): never => {
    const retryAfter = 60 - Math.floor((clock() / 1000) % 60);
    throw new DomainError('rate_limited', 429, `${what}; retry in ${retryAfter} s.`, { details: { retryAfter } });
  };
  const tooManyFailures = () =>
    refuse(`More than ${limits.authFailures} failed authentications a minute from your address`);
  return {
    /**
     * Counts an authenticated request. Under a public key the address is counted first and, past its share, refused
     * without touching the key's count: one address cannot spend the site's quota.
     */
    async request(owner: KeyOwner, address: string): Promise<void> {
      const w = window();
      if (
        owner.kind === 'public' &&
        limits.perAddress > 0 &&
        (await countHit(db, addressCounter(owner.keyHash, address), w)) > limits.perAddress
      ) {
        refuse(`More than ${limits.perAddress} requests a minute from your address with this public key`);
      }
      if (limits.perKey > 0 && (await countHit(db, owner.keyHash, w)) > limits.perKey)
        refuse(`More than ${limits.perKey} requests a minute with this key`);
    },
    /** Refuses an address that failed authentication too often this minute (before its key is even looked up). */
    async checkAddress(address: string): Promise<void> {
      if (limits.authFailures > 0 && (await hitsSoFar(db, failureCounter(address), window())) > limits.authFailures)
        tooManyFailures();
    },
    /** Counts a failed authentication; the one past the limit is answered 429 instead of 401. */
    async failed(address: string): Promise<void> {
      if (limits.authFailures > 0 && (await countHit(db, failureCounter(address), window())) > limits.authFailures)
        tooManyFailures();
    },
  };
}

export type RateLimiter = ReturnType<typeof rateLimiter>;
