// Rate limit per key: a fixed one-minute window counted in the database, so all API processes share it.
import type { Db } from '../store/db.ts';
import { HttpError } from './errors.ts';

export function rateLimiter(db: Db, perMinute: number, clock: () => number = Date.now) {
  return async function hit(keyHash: string): Promise<void> {
    if (perMinute <= 0) return;
    const window = Math.floor(clock() / 60_000);
    const rows = await db.query<{ hits: number }>(
      `INSERT INTO rate_limits (key_hash, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (key_hash) DO UPDATE SET
         hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
         window_start = excluded.window_start
       RETURNING hits`,
      [keyHash, window],
    );
    if (Number(rows[0]!.hits) > perMinute) {
      const retryAfter = 60 - Math.floor((clock() / 1000) % 60);
      throw new HttpError(429, 'rate_limited', `More than ${perMinute} requests a minute with this key; retry in ${retryAfter} s.`, { retryAfter });
    }
  };
}
