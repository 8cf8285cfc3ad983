// Overview figures for the dashboard: totals, events per day over the last year of data, and the latest events.
import type { Db } from '../store/db.ts';
import { eventView, type EventRow } from './view.ts';

export async function overviewStats(db: Db, ws: string) {
  const [totals] = await db.query<{ customers: string; orders: string; revenue: string | null; events: string }>(
    `SELECT (SELECT count(*) FROM customers WHERE workspace_id = $1) AS customers,
            (SELECT count(*) FROM orders WHERE workspace_id = $1 AND status = 'completed') AS orders,
            (SELECT sum(total - refunded) FROM orders WHERE workspace_id = $1) AS revenue,
            (SELECT count(*) FROM events WHERE workspace_id = $1) AS events`,
    [ws],
  );
  const perDay = await db.query<{ day: string; count: string }>(
    `SELECT to_char(date_trunc('day', timestamp AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*) AS count
       FROM events WHERE workspace_id = $1
        AND timestamp > (SELECT max(timestamp) FROM events WHERE workspace_id = $1) - interval '365 days'
      GROUP BY 1 ORDER BY 1`,
    [ws],
  );
  const latest = await db.query<EventRow>(
    `SELECT message_id, customer_id, type, name, user_id, anonymous_id, properties, timestamp, received_at
       FROM events WHERE workspace_id = $1 ORDER BY received_at DESC, timestamp DESC LIMIT 20`,
    [ws],
  );
  return {
    customers: Number(totals!.customers),
    events: Number(totals!.events),
    orders: Number(totals!.orders),
    revenue: Number(totals!.revenue ?? 0),
    eventsPerDay: perDay.map((r) => ({ day: r.day, count: Number(r.count) })),
    latestEvents: latest.map(eventView),
  };
}
