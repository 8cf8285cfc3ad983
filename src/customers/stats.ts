// Overview figures for the dashboard: totals, net revenue per currency and in the base currency, events per day over
// the last year of data, and the latest events.
import type { Db } from '../store/index.ts';
import { byCurrency, moneyNote, toBase, currencyInForce, orderCurrencySql } from '../money/index.ts';
import { eventView, type EventRow } from './view.ts';

export async function overviewStats(db: Db, ws: string) {
  const currency = await currencyInForce(db, ws);
  const [totals] = await db.query<{
    customers: string;
    orders: string;
    revenue: { currency: string; amount: number }[] | null;
    events: string;
  }>(
    `SELECT (SELECT count(*) FROM customers WHERE workspace_id = $1) AS customers,
            (SELECT count(*) FROM orders WHERE workspace_id = $1 AND status = 'completed') AS orders,
            (SELECT json_agg(json_build_object('currency', r.currency, 'amount', r.amount)) FROM (
               SELECT ${orderCurrencySql('currency', '$2')} AS currency, sum(total - refunded)::float8 AS amount
               FROM orders WHERE workspace_id = $1 GROUP BY 1) r) AS revenue,
            (SELECT count(*) FROM events WHERE workspace_id = $1) AS events`,
    [ws, currency.base],
  );
  const revenue = byCurrency((totals!.revenue ?? []).map((r) => [r.currency, r.amount]));
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
    // Net revenue (orders less refunds) in money.currency; revenueByCurrency has every currency as sent.
    revenue: toBase(revenue, currency),
    revenueByCurrency: revenue,
    money: moneyNote([revenue], currency),
    eventsPerDay: perDay.map((r) => ({ day: r.day, count: Number(r.count) })),
    latestEvents: latest.map(eventView),
  };
}
