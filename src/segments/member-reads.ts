// Reads about a segment's members for the API and the dashboard: how many there are now, and who entered and left per day.
import type { Queryable } from '../store/index.ts';
import { DAY_MS } from '../time/index.ts';

export interface SegmentDay {
  day: string;
  entered: number;
  exited: number;
}

/** The number of current members of a segment. */
export async function memberCount(db: Queryable, ws: string, id: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM segment_members WHERE workspace_id = $1 AND segment_id = $2',
    [ws, id],
  );
  return Number(row!.n);
}

/**
 * Entries and exits per UTC day over the `days` days up to `now` (oldest first, days without any as zeros), from the
 * Segment Entered / Segment Exited events of the log (on the events_time index).
 */
export async function segmentActivity(
  db: Queryable,
  ws: string,
  id: string,
  now: Date,
  days: number,
): Promise<SegmentDay[]> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = today - (days - 1) * DAY_MS;
  const rows = await db.query<SegmentDay>(
    `SELECT to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
            count(*) FILTER (WHERE name = 'Segment Entered')::int AS entered,
            count(*) FILTER (WHERE name = 'Segment Exited')::int AS exited
     FROM events
     WHERE workspace_id = $1 AND timestamp >= $2::timestamptz AND timestamp < $3::timestamptz
       AND type = 'track' AND name IN ('Segment Entered', 'Segment Exited') AND properties ->> 'segmentId' = $4
     GROUP BY 1`,
    [ws, new Date(from).toISOString(), new Date(today + DAY_MS).toISOString(), id],
  );
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: SegmentDay[] = [];
  for (let t = from; t <= today; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const r = byDay.get(day);
    out.push({ day, entered: Number(r?.entered ?? 0), exited: Number(r?.exited ?? 0) });
  }
  return out;
}
