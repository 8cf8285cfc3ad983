// Orders: materialises Order Completed as orders + lines, and applies refunds and cancellations exactly once.
import type { Queryable } from '../store/db.ts';
import type { NormalizedEvent } from './normalize.ts';

export interface PlacedOrder {
  customerId: string | null;
  total: number;
  placedAt: Date;
}

export interface Adjustment {
  customerId: string | null;
  amount: number; // subtracted from net revenue
  cancelsOrder: boolean; // one order fewer
}

type Owned = { event: NormalizedEvent; customerId: string | null };

/** Inserts new orders; an order id seen before (any messageId) is ignored so revenue is counted once. */
export async function placeOrders(tx: Queryable, ws: string, items: Owned[]): Promise<PlacedOrder[]> {
  const byOrder = new Map<string, Owned>();
  for (const item of items) {
    const f = item.event.commerce;
    if (f?.kind === 'order' && !byOrder.has(f.orderId)) byOrder.set(f.orderId, item);
  }
  if (byOrder.size === 0) return [];
  const list = [...byOrder.values()];
  const fact = (o: Owned) => o.event.commerce as Extract<NonNullable<NormalizedEvent['commerce']>, { kind: 'order' }>;
  const inserted = await tx.query<{ order_id: string }>(
    `INSERT INTO orders (workspace_id, order_id, customer_id, status, total, currency, placed_at, message_id)
     SELECT $1, t.order_id, t.customer_id, 'completed', t.total, t.currency, t.placed_at, t.message_id
       FROM unnest($2::text[], $3::bigint[], $4::numeric[], $5::text[], $6::timestamptz[], $7::text[])
         AS t(order_id, customer_id, total, currency, placed_at, message_id)
     ON CONFLICT DO NOTHING RETURNING order_id`,
    [
      ws,
      list.map((o) => fact(o).orderId),
      list.map((o) => o.customerId),
      list.map((o) => fact(o).total),
      list.map((o) => fact(o).currency),
      list.map((o) => o.event.timestamp.toISOString()),
      list.map((o) => o.event.messageId),
    ],
  );
  const placed = inserted.map((r) => byOrder.get(r.order_id)!);
  const lines = placed.flatMap((o) => fact(o).lines.map((l, i) => ({ orderId: fact(o).orderId, lineNo: i + 1, ...l })));
  if (lines.length > 0) {
    await tx.query(
      `INSERT INTO order_lines (workspace_id, order_id, line_no, product_id, sku, name, category, price, quantity)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[])
       ON CONFLICT DO NOTHING`,
      [
        ws,
        lines.map((l) => l.orderId),
        lines.map((l) => l.lineNo),
        lines.map((l) => l.productId),
        lines.map((l) => l.sku),
        lines.map((l) => l.name),
        lines.map((l) => l.category),
        lines.map((l) => l.price),
        lines.map((l) => l.quantity),
      ],
    );
  }
  return placed.map((o) => ({ customerId: o.customerId, total: fact(o).total, placedAt: o.event.timestamp }));
}

/**
 * Refunds subtract what was refunded (never more than what is left of the order); a cancellation subtracts what is
 * left and one order. A refund of an order we never saw (such as a returns invoice) subtracts its own amount.
 */
export async function adjustOrders(tx: Queryable, ws: string, items: Owned[]): Promise<Adjustment[]> {
  const adjusting = items.filter((i) => i.event.commerce && i.event.commerce.kind !== 'order');
  if (adjusting.length === 0) return [];
  const ids = [...new Set(adjusting.map((i) => i.event.commerce!.orderId))];
  const rows = await tx.query<{ order_id: string; customer_id: string | null; status: string; total: string; refunded: string }>(
    `SELECT order_id, customer_id::text, status, total::text, refunded::text FROM orders
      WHERE workspace_id = $1 AND order_id = ANY($2::text[]) ORDER BY order_id FOR UPDATE`,
    [ws, ids],
  );
  const orders = new Map(rows.map((r) => [r.order_id, { ...r, total: Number(r.total), refunded: Number(r.refunded), changed: false }]));
  const adjustments: Adjustment[] = [];
  const records: { messageId: string; orderId: string; customerId: string | null; kind: string; amount: number; at: string }[] = [];
  for (const { event, customerId } of adjusting) {
    const fact = event.commerce!;
    if (fact.kind === 'order') continue;
    const order = orders.get(fact.orderId);
    const owner = order ? order.customer_id : customerId;
    let amount = 0;
    let cancels = false;
    if (order && order.status === 'completed') {
      const left = Math.max(0, Math.round((order.total - order.refunded) * 100) / 100);
      if (fact.kind === 'cancel') {
        amount = left;
        cancels = true;
        order.status = 'cancelled';
      } else amount = Math.min(fact.amount ?? left, left);
      order.refunded = Math.round((order.refunded + amount) * 100) / 100;
      order.changed = true;
    } else if (!order && fact.kind === 'refund') amount = fact.amount ?? 0;
    adjustments.push({ customerId: owner, amount, cancelsOrder: cancels });
    records.push({ messageId: event.messageId, orderId: fact.orderId, customerId: owner, kind: fact.kind, amount, at: event.timestamp.toISOString() });
  }
  await tx.query(
    `INSERT INTO order_adjustments (workspace_id, message_id, order_id, customer_id, kind, amount, at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::numeric[], $7::timestamptz[]) ON CONFLICT DO NOTHING`,
    [ws, records.map((r) => r.messageId), records.map((r) => r.orderId), records.map((r) => r.customerId),
      records.map((r) => r.kind), records.map((r) => r.amount), records.map((r) => r.at)],
  );
  const changed = [...orders.values()].filter((o) => o.changed);
  if (changed.length > 0) {
    await tx.query(
      `UPDATE orders o SET status = t.status, refunded = t.refunded FROM unnest($2::text[], $3::text[], $4::numeric[]) AS t(order_id, status, refunded)
        WHERE o.workspace_id = $1 AND o.order_id = t.order_id`,
      [ws, changed.map((o) => o.order_id), changed.map((o) => o.status), changed.map((o) => o.refunded)],
    );
  }
  return adjustments;
}
