// Provider rate limits that hold across every worker: sends per window counted in provider_rate_windows, one UPSERT per send.
import type { Queryable } from '../store/index.ts';

export type Slot = { ok: true } | { ok: false; waitMs: number };

/** One-second windows; below one send per second, a window as long as one send's share (0.2/s: 5 s, one send). */
export function windowOf(perSecond: number): { ms: number; limit: number } {
  if (perSecond >= 1) return { ms: 1000, limit: Math.floor(perSecond) };
  return { ms: Math.ceil(1000 / perSecond), limit: 1 };
}

/**
 * Takes one send from the channel's current window. The count only goes up while under the limit (the UPDATE's WHERE),
 * and the row lock serialises concurrent takers, so N processes never exceed the limit together. The first take of a
 * window deletes the channel's older windows.
 */
export async function takeSlot(
  db: Queryable,
  ws: string,
  channel: string,
  perSecond: number,
  now: Date | number,
): Promise<Slot> {
  const at = typeof now === 'number' ? now : now.getTime();
  const { ms, limit } = windowOf(perSecond);
  const start = Math.floor(at / ms) * ms;
  const rows = await db.query<{ sent: number }>(
    `INSERT INTO provider_rate_windows (workspace_id, channel, window_start, sent) VALUES ($1, $2, $3, 1)
     ON CONFLICT (workspace_id, channel, window_start) DO UPDATE SET sent = provider_rate_windows.sent + 1
       WHERE provider_rate_windows.sent < $4
     RETURNING sent`,
    [ws, channel, start, limit],
  );
  if (rows.length === 0) return { ok: false, waitMs: start + ms - at };
  if (rows[0]!.sent === 1) {
    await db.query('DELETE FROM provider_rate_windows WHERE workspace_id = $1 AND channel = $2 AND window_start < $3', [
      ws,
      channel,
      start,
    ]);
  }
  return { ok: true };
}

/** The slowest limit allowed (one send per 1000 s), so that every window is shorter than what purgeRateWindows keeps. */
export const MIN_PER_SECOND = 0.001;

/** Deletes the windows that began more than an hour before `now` (left by channels that stopped sending). */
export async function purgeRateWindows(db: Queryable, now: Date | number): Promise<number> {
  const at = typeof now === 'number' ? now : now.getTime();
  const rows = await db.query('DELETE FROM provider_rate_windows WHERE window_start < $1 RETURNING 1', [
    at - 3_600_000,
  ]);
  return rows.length;
}
