// Orders: materialises Order Completed as orders + lines (with the cart it closes), and applies refunds and cancellations exactly once.
import { type Queryable, bulkRows, type BulkRow, lockOrderIds } from '../store/index.ts';
import type { NormalizedEvent } from './normalize.ts';

export interface PlacedOrder {
  customerId: string | null;
  total: number;
  /** When it was placed (the event's time), as a Date and as ISO text. */
  timestamp: Date;
  at: string;
}

export interface Adjustment {
  customerId: string | null;
  amount: number; // subtracted from net revenue
  /** The order it cancels (one order fewer, and maybe one purchase day), or null. */
  cancelledOrder: string | null;
}

type Owned = { event: NormalizedEvent; customerId: string | null };

/** Inserts new orders; an order id seen before (any messageId) is ignored so revenue is counted once. */
export async function placeOrders(
  tx: Queryable,
  ws: string,
  items: Owned[],
): Promise<{ placed: PlacedOrder[]; orderIds: string[] }> {
  const byOrder = new Map<string, Owned>();
  for (const item of items) {
    const f = item.event.commerce;
    if (f?.kind === 'order' && !byOrder.has(f.orderId)) byOrder.set(f.orderId, item);
  }
  if (byOrder.size === 0) return { placed: [], orderIds: [] };
  const list = [...byOrder.values()];
  const fact = (o: Owned) => o.event.commerce as Extract<NonNullable<NormalizedEvent['commerce']>, { kind: 'order' }>;
  const orders = bulkRows(
    {
      order_id: 'text',
      customer_id: 'bigint',
      total: 'numeric',
      currency: 'text',
      placed_at: 'timestamptz',
      message_id: 'text',
      cart_id: 'text',
    },
    list.map((o) => ({
      order_id: fact(o).orderId,
      customer_id: o.customerId,
      total: fact(o).total,
      currency: fact(o).currency,
      placed_at: o.event.at,
      message_id: o.event.messageId,
      cart_id: fact(o).cartId,
    })),
    { at: 2 },
  );
  const inserted = await tx.query<{ order_id: string }>(
    `INSERT INTO orders (workspace_id, status, ${orders.columns}) SELECT $1, 'completed', ${orders.columns} FROM ${orders.from}
     ON CONFLICT DO NOTHING RETURNING order_id`,
    [ws, ...orders.params],
  );
  const placed = inserted.map((r) => byOrder.get(r.order_id)!);
  const lines = placed.flatMap((o) => fact(o).lines.map((l, i) => ({ orderId: fact(o).orderId, lineNo: i + 1, ...l })));
  if (lines.length > 0) {
    const t = bulkRows(
      {
        order_id: 'text',
        line_no: 'int',
        product_id: 'text',
        sku: 'text',
        name: 'text',
        category: 'text',
        price: 'numeric',
        quantity: 'numeric',
      },
      lines.map((l) => ({
        order_id: l.orderId,
        line_no: l.lineNo,
        product_id: l.productId,
        sku: l.sku,
        name: l.name,
        category: l.category,
        price: l.price,
        quantity: l.quantity,
      })),
      { at: 2 },
    );
    await tx.query(
      `INSERT INTO order_lines (workspace_id, ${t.columns}) SELECT $1, ${t.columns} FROM ${t.from} ON CONFLICT DO NOTHING`,
      [ws, ...t.params],
    );
  }
  return {
    placed: placed.map((o) => ({
      customerId: o.customerId,
      total: fact(o).total,
      timestamp: o.event.timestamp,
      at: o.event.at,
    })),
    orderIds: placed.map((o) => fact(o).orderId),
  };
}

/** Serialises batches that touch the same order ids (placing, refunding, cancelling), in id order to avoid deadlocks. */
export async function lockOrders(tx: Queryable, ws: string, items: Owned[]): Promise<void> {
  const ids = [...new Set(items.flatMap((i) => (i.event.commerce ? [i.event.commerce.orderId] : [])))];
  if (ids.length === 0) return;
  await lockOrderIds(tx, ws, ids);
}

type OrderState = {
  order_id: string;
  customer_id: string | null;
  status: string;
  total: number;
  refunded: number;
  changed: boolean;
};
type Fact = { kind: 'refund'; amount: number | null } | { kind: 'cancel' };

const round = (n: number) => Math.round(n * 100) / 100;

/** What one refund or cancellation does to a known, completed order (mutates the order's state). */
function applyToOrder(order: OrderState, fact: Fact): { amount: number; cancels: boolean } {
  if (order.status !== 'completed') return { amount: 0, cancels: false };
  const left = Math.max(0, round(order.total - order.refunded));
  const amount = fact.kind === 'cancel' ? left : Math.min(fact.amount ?? left, left);
  if (fact.kind === 'cancel') order.status = 'cancelled';
  order.refunded = round(order.refunded + amount);
  order.changed = true;
  return { amount, cancels: fact.kind === 'cancel' };
}

async function saveOrderStates(tx: Queryable, ws: string, orders: Iterable<OrderState>): Promise<void> {
  const changed = [...orders].filter((o) => o.changed);
  if (changed.length === 0) return;
  const t = bulkRows({ order_id: 'text', status: 'text', refunded: 'numeric' }, changed, { at: 2 });
  await tx.query(
    `UPDATE orders o SET status = t.status, refunded = t.refunded FROM ${t.from} WHERE o.workspace_id = $1 AND o.order_id = t.order_id`,
    [ws, ...t.params],
  );
}

/**
 * Adjustments recorded before their order arrived, applied to the orders placed now: a refund with an amount was
 * subtracted already and now counts as refunded on the order; a full refund or a cancellation is applied now.
 */
export async function settleEarlyAdjustments(
  tx: Queryable,
  ws: string,
  placed: PlacedOrder[],
  orderIds: string[],
): Promise<Adjustment[]> {
  if (orderIds.length === 0) return [];
  const early = await tx.query<{
    message_id: string;
    order_id: string;
    kind: 'refund' | 'cancel';
    amount: string;
    pending: boolean;
  }>(
    `SELECT message_id, order_id, kind, amount::text, pending FROM order_adjustments
      WHERE workspace_id = $1 AND order_id = ANY($2::text[]) ORDER BY at, message_id`,
    [ws, orderIds],
  );
  if (early.length === 0) return [];
  const orders = new Map<string, OrderState>(
    orderIds.map((id, i) => [
      id,
      {
        order_id: id,
        customer_id: placed[i]!.customerId,
        status: 'completed',
        total: placed[i]!.total,
        refunded: 0,
        changed: false,
      },
    ]),
  );
  const adjustments: Adjustment[] = [];
  const settled: { messageId: string; amount: number }[] = [];
  for (const a of early) {
    const order = orders.get(a.order_id)!;
    if (!a.pending) {
      order.refunded = round(Math.min(order.total, order.refunded + Number(a.amount)));
      order.changed = true;
      continue;
    }
    const { amount, cancels } = applyToOrder(
      order,
      a.kind === 'cancel' ? { kind: 'cancel' } : { kind: 'refund', amount: null },
    );
    adjustments.push({ customerId: order.customer_id, amount, cancelledOrder: cancels ? order.order_id : null });
    settled.push({ messageId: a.message_id, amount });
  }
  await saveOrderStates(tx, ws, orders.values());
  if (settled.length > 0) {
    const t = bulkRows(
      { message_id: 'text', amount: 'numeric' },
      settled.map((x) => ({ message_id: x.messageId, amount: x.amount })),
      { at: 2 },
    );
    await tx.query(
      `UPDATE order_adjustments a SET pending = false, amount = t.amount FROM ${t.from} WHERE a.workspace_id = $1 AND a.message_id = t.message_id`,
      [ws, ...t.params],
    );
  }
  return adjustments;
}

/** A refund or cancellation as recorded (order_adjustments), applied or pending its order. */
const ADJUSTMENT_COLUMNS = {
  message_id: 'text',
  order_id: 'text',
  customer_id: 'bigint',
  kind: 'text',
  amount: 'numeric',
  pending: 'boolean',
  at: 'timestamptz',
} as const;

/**
 * Refunds subtract what was refunded (never more than what is left of the order); a cancellation subtracts what is
 * left and one order. For an order not seen yet: a refund with an amount subtracts it now (a returns invoice may
 * never have its order); a full refund or a cancellation waits, pending, for the order.
 */
export async function adjustOrders(tx: Queryable, ws: string, items: Owned[]): Promise<Adjustment[]> {
  const adjusting = items.filter((i) => i.event.commerce && i.event.commerce.kind !== 'order');
  if (adjusting.length === 0) return [];
  const ids = [...new Set(adjusting.map((i) => i.event.commerce!.orderId))];
  const rows = await tx.query<{
    order_id: string;
    customer_id: string | null;
    status: string;
    total: string;
    refunded: string;
  }>(
    `SELECT order_id, customer_id::text, status, total::text, refunded::text FROM orders
      WHERE workspace_id = $1 AND order_id = ANY($2::text[]) ORDER BY order_id FOR UPDATE`,
    [ws, ids],
  );
  const orders = new Map(
    rows.map((r) => [r.order_id, { ...r, total: Number(r.total), refunded: Number(r.refunded), changed: false }]),
  );
  const adjustments: Adjustment[] = [];
  const records: BulkRow<typeof ADJUSTMENT_COLUMNS>[] = [];
  for (const { event, customerId } of adjusting) {
    const fact = event.commerce!;
    if (fact.kind === 'order') continue;
    const order = orders.get(fact.orderId);
    let result = { amount: 0, cancels: false };
    let pending = false;
    if (order) result = applyToOrder(order, fact);
    else if (fact.kind === 'refund' && fact.amount !== null) result = { amount: fact.amount, cancels: false };
    else pending = true;
    const owner = order ? order.customer_id : customerId;
    if (!pending)
      adjustments.push({
        customerId: owner,
        amount: result.amount,
        cancelledOrder: result.cancels ? fact.orderId : null,
      });
    records.push({
      message_id: event.messageId,
      order_id: fact.orderId,
      customer_id: owner,
      kind: fact.kind,
      amount: result.amount,
      pending,
      at: event.at,
    });
  }
  const t = bulkRows(ADJUSTMENT_COLUMNS, records, { at: 2 });
  await tx.query(
    `INSERT INTO order_adjustments (workspace_id, ${t.columns}) SELECT $1, ${t.columns} FROM ${t.from} ON CONFLICT DO NOTHING`,
    [ws, ...t.params],
  );
  await saveOrderStates(tx, ws, orders.values());
  return adjustments;
}
