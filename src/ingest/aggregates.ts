// Per-customer aggregates: pure deltas from a batch's new events and orders, applied in one statement each.
import { type Queryable, bulkRows } from '../store/index.ts';
import type { NormalizedEvent } from './normalize.ts';
import type { Adjustment, PlacedOrder } from './orders.ts';
import type { TraitState } from './traits.ts';
import { ConcurrentWrite } from './concurrent-write.ts';
import { storedState, type StoredProfile } from './profile.ts';

/** A point in time with its ISO text, formatted once (an event, an order). */
export interface Moment {
  timestamp: Date;
  at: string;
}

export interface CustomerDelta {
  firstSeen: Moment | null;
  lastSeen: Moment | null;
  firstOrderAt: Moment | null;
  lastOrderAt: Moment | null;
  orders: number;
  revenueTotal: number;
  revenueNet: number;
}

const min = <T extends Moment>(a: T | null, b: T) => (a && a.timestamp <= b.timestamp ? a : b);
const max = <T extends Moment>(a: T | null, b: T) => (a && a.timestamp >= b.timestamp ? a : b);
export const iso = (m: Moment | null) => m?.at ?? null;
const cents = (n: number) => Math.round(n * 100) / 100;

export function customerDeltas(
  events: { event: NormalizedEvent; customerId: string | null }[],
  orders: PlacedOrder[],
  adjustments: Adjustment[],
): Map<string, CustomerDelta> {
  const deltas = new Map<string, CustomerDelta>();
  const delta = (id: string): CustomerDelta => {
    let d = deltas.get(id);
    if (!d)
      deltas.set(
        id,
        (d = {
          firstSeen: null,
          lastSeen: null,
          firstOrderAt: null,
          lastOrderAt: null,
          orders: 0,
          revenueTotal: 0,
          revenueNet: 0,
        }),
      );
    return d;
  };
  for (const { event, customerId } of events) {
    if (!customerId) continue;
    const d = delta(customerId);
    d.firstSeen = min(d.firstSeen, event);
    d.lastSeen = max(d.lastSeen, event);
  }
  for (const o of orders) {
    if (!o.customerId) continue;
    const d = delta(o.customerId);
    d.firstOrderAt = min(d.firstOrderAt, o);
    d.lastOrderAt = max(d.lastOrderAt, o);
    d.orders += 1;
    d.revenueTotal = cents(d.revenueTotal + o.total);
    d.revenueNet = cents(d.revenueNet + o.total);
  }
  for (const a of adjustments) {
    if (!a.customerId) continue;
    const d = delta(a.customerId);
    d.revenueNet = cents(d.revenueNet - a.amount);
    if (a.cancelledOrder) d.orders -= 1;
  }
  return deltas;
}

/** The UTC calendar day of a purchase: distinct purchase days are counted on it. */
export const purchaseDay = (m: Moment) => m.at.slice(0, 10);

/**
 * Takes out the purchase day of each cancelled order when no completed order of its customer is left on that UTC day
 * (the orders' statuses are saved already); returns, per customer, how many days went.
 */
export async function removeCancelledDays(
  tx: Queryable,
  ws: string,
  adjustments: Adjustment[],
): Promise<Map<string, number>> {
  const removed = new Map<string, number>();
  const orderIds = [...new Set(adjustments.flatMap((a) => (a.cancelledOrder ? [a.cancelledOrder] : [])))];
  if (orderIds.length === 0) return removed;
  const rows = await tx.query<{ customer_id: string }>(
    `WITH cancelled AS (
       SELECT DISTINCT o.customer_id, (o.placed_at AT TIME ZONE 'UTC')::date AS day FROM orders o
        WHERE o.workspace_id = $1 AND o.order_id = ANY($2::text[]) AND o.customer_id IS NOT NULL
     )
     DELETE FROM customer_purchase_days d USING cancelled c
      WHERE d.workspace_id = $1 AND d.customer_id = c.customer_id AND d.day = c.day
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.workspace_id = $1 AND o.customer_id = c.customer_id AND o.status = 'completed'
              AND o.placed_at >= c.day::timestamp AT TIME ZONE 'UTC' AND o.placed_at < (c.day + 1)::timestamp AT TIME ZONE 'UTC')
     RETURNING d.customer_id::text`,
    [ws, orderIds],
  );
  for (const r of rows) removed.set(r.customer_id, (removed.get(r.customer_id) ?? 0) + 1);
  return removed;
}

/** Records the purchase days of the batch's orders; returns, per customer, how many of them are new days. */
export async function recordPurchaseDays(
  tx: Queryable,
  ws: string,
  orders: PlacedOrder[],
): Promise<Map<string, number>> {
  const days = orders.filter((o) => o.customerId);
  const newDays = new Map<string, number>();
  if (days.length === 0) return newDays;
  const t = bulkRows(
    { customer_id: 'bigint', day: 'date' },
    days.map((o) => ({ customer_id: o.customerId, day: purchaseDay(o) })),
    { at: 2 },
  );
  const rows = await tx.query<{ customer_id: string }>(
    `INSERT INTO customer_purchase_days (workspace_id, ${t.columns}) SELECT DISTINCT $1, ${t.columns} FROM ${t.from}
     ON CONFLICT DO NOTHING RETURNING customer_id::text`,
    [ws, ...t.params],
  );
  for (const r of rows) newDays.set(r.customer_id, (newDays.get(r.customer_id) ?? 0) + 1);
  return newDays;
}

/** A delta that changes nothing: a customer created by a batch that brought none of its events (merged, say). */
export const NO_DELTA: CustomerDelta = {
  firstSeen: null,
  lastSeen: null,
  firstOrderAt: null,
  lastOrderAt: null,
  orders: 0,
  revenueTotal: 0,
  revenueNet: 0,
};

/**
 * Adds the deltas to customers stored before, in one UPDATE (ids in order, so concurrent batches lock them in one
 * order); for the customers in `wantProfile` it returns their traits (the row is locked by the UPDATE already, so the
 * profile merge needs no second read).
 */
export async function addToKnownCustomers(
  tx: Queryable,
  ws: string,
  ids: string[],
  deltas: Map<string, CustomerDelta>,
  newDays: Map<string, number>,
  wantProfile: Set<string>,
): Promise<Map<string, TraitState>> {
  if (ids.length === 0) return new Map();
  const t = bulkRows(
    {
      id: 'bigint',
      first_seen: 'timestamptz',
      last_seen: 'timestamptz',
      first_order_at: 'timestamptz',
      last_order_at: 'timestamptz',
      orders: 'int',
      days: 'int',
      revenue_total: 'numeric',
      revenue_net: 'numeric',
      want: 'boolean',
    },
    ids.map((id) => {
      const d = deltas.get(id) ?? NO_DELTA;
      return {
        id,
        first_seen: iso(d.firstSeen),
        last_seen: iso(d.lastSeen),
        first_order_at: iso(d.firstOrderAt),
        last_order_at: iso(d.lastOrderAt),
        orders: d.orders,
        days: newDays.get(id) ?? 0,
        revenue_total: d.revenueTotal,
        revenue_net: d.revenueNet,
        want: wantProfile.has(id),
      };
    }),
    { at: 2 },
  );
  const profiles = await tx.query<{ id: string } & StoredProfile>(
    `UPDATE customers c SET
       first_seen = LEAST(c.first_seen, t.first_seen), last_seen = GREATEST(c.last_seen, t.last_seen),
       first_order_at = LEAST(c.first_order_at, t.first_order_at), last_order_at = GREATEST(c.last_order_at, t.last_order_at),
       orders_count = c.orders_count + t.orders, purchase_days = c.purchase_days + t.days,
       revenue_total = c.revenue_total + t.revenue_total, revenue_net = c.revenue_net + t.revenue_net
     FROM ${t.from}
     WHERE c.workspace_id = $1 AND c.id = t.id
     RETURNING CASE WHEN t.want THEN c.id::text END AS id, CASE WHEN t.want THEN c.traits END AS traits,
       CASE WHEN t.want THEN c.trait_times END AS trait_times, CASE WHEN t.want THEN c.timezone END AS timezone,
       CASE WHEN t.want THEN c.locale END AS locale, CASE WHEN t.want THEN c.email END AS email, CASE WHEN t.want THEN c.phone END AS phone`,
    [ws, ...t.params],
  );
  // Every customer the batch read must still be there: one merged away or erased by a concurrent transaction since
  // the batch's first read means the batch worked on a stale picture, and it is retried from the start.
  if (profiles.length !== ids.length)
    throw new ConcurrentWrite(
      `${ids.length - profiles.length} customer(s) of the batch were merged or erased concurrently`,
    );
  return new Map(profiles.filter((p) => p.id !== null).map((p) => [p.id, storedState(p)]));
}

/** Counter name of an event: the event name for track, the message type otherwise (page, identify, …). */
export const counterName = (e: NormalizedEvent) => (e.type === 'track' ? e.name! : e.type);

export async function bumpCounters(
  tx: Queryable,
  ws: string,
  events: { event: NormalizedEvent; customerId: string | null }[],
): Promise<void> {
  const groups = new Map<string, { id: string; name: string; count: number; first: Moment; last: Moment }>();
  for (const { event, customerId } of events) {
    if (!customerId) continue;
    const name = counterName(event);
    const key = `${customerId}\u0000${name}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { id: customerId, name, count: 1, first: event, last: event });
    else {
      g.count += 1;
      g.first = min(g.first, event);
      g.last = max(g.last, event);
    }
  }
  if (groups.size === 0) return;
  const list = [...groups.values()].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)) || (a.name < b.name ? -1 : 1));
  const t = bulkRows(
    { customer_id: 'bigint', name: 'text', count: 'bigint', first_at: 'timestamptz', last_at: 'timestamptz' },
    list.map((g) => ({ customer_id: g.id, name: g.name, count: g.count, first_at: g.first.at, last_at: g.last.at })),
    { at: 2 },
  );
  await tx.query(
    `INSERT INTO customer_event_counters (workspace_id, ${t.columns}) SELECT $1, ${t.columns} FROM ${t.from}
     ON CONFLICT (workspace_id, customer_id, name) DO UPDATE SET count = customer_event_counters.count + excluded.count,
       first_at = LEAST(customer_event_counters.first_at, excluded.first_at),
       last_at = GREATEST(customer_event_counters.last_at, excluded.last_at)`,
    [ws, ...t.params],
  );
}
