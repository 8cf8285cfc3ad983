// The statements of the customer queries (customers.ts): the list, one profile, the timeline, the export and erasure,
// each a named function.
import type { Queryable } from '../store/index.ts';
import { normalizeEmail, normalizePhone } from '../identity/index.ts';
import { scoreColumnsSql } from '../scores/index.ts';
import { nameQuery, type ListOrder } from './list-order.ts';
import type { CustomerRow, EventRow } from './view.ts';

/** The columns of a customer as the API shows it. */
const CUSTOMER_COLUMNS = `c.id, c.user_id, c.name, c.email, c.phone, c.locale, c.timezone, c.traits, c.first_seen, c.last_seen,
  c.first_order_at, c.last_order_at, c.orders_count, c.purchase_days, c.revenue_total, c.revenue_net, ${scoreColumnsSql()}, c.scored_at`;

export interface ListFilter {
  q?: string;
  trait?: { key: string; value: string };
  rfm?: { r: number; f: number };
  /** The sort key and customer id of the last row of the previous page. */
  after?: [string, string] | null;
}

/**
 * One page (`limit` rows) of the customer list in `order`, each with its sort key as text: exact look-up by user id,
 * e-mail, phone or anonymous id, words of the name (prefixes, every word), or one trait value; without a query, everyone.
 */
export async function customerListPage(db: Queryable, ws: string, order: ListOrder, filter: ListFilter, limit: number) {
  const params: unknown[] = [ws, limit];
  const where: string[] = ['c.workspace_id = $1'];
  let candidates = '';
  if (filter.after) {
    where.push(order.after(filter.after, (value) => `$${params.push(value)}`));
  }
  if (filter.rfm) {
    where.push(`c.rfm_r = $${params.push(filter.rfm.r)} AND c.rfm_f = $${params.push(filter.rfm.f)}`);
  }
  if (filter.trait) {
    params.push(JSON.stringify({ [filter.trait.key]: filter.trait.value }));
    where.push(`c.traits @> $${params.length}::jsonb`);
  } else if (filter.q && filter.q.trim()) {
    // Each way of finding someone is its own index scan (user id, e-mail, phone, anonymous id, words of the name);
    // their union, computed first, names the candidates, read by primary key. One OR over all of them made the planner
    // read every customer, and a join let it walk the whole list in id order looking for the few that match.
    const q = filter.q.trim();
    const found: string[] = [`SELECT id FROM customers WHERE workspace_id = $1 AND user_id = $${params.push(q)}`];
    const email = normalizeEmail(q);
    if (email) found.push(`SELECT id FROM customers WHERE workspace_id = $1 AND email = $${params.push(email)}`);
    const phone = normalizePhone(q);
    if (phone) found.push(`SELECT id FROM customers WHERE workspace_id = $1 AND phone = $${params.push(phone)}`);
    found.push(
      `SELECT customer_id FROM identities WHERE workspace_id = $1 AND kind = 'anonymous' AND value = $${params.push(q)}`,
    );
    const words = nameQuery(q);
    if (words) {
      // the expression of the customers_name_words index
      found.push(
        `SELECT id FROM customers WHERE workspace_id = $1 AND name IS NOT NULL AND to_tsvector('simple', name) @@ to_tsquery('simple', $${params.push(words)})`,
      );
    }
    candidates = `WITH found AS MATERIALIZED (${found.join(' UNION ')}) `;
    where.push('c.id = ANY (ARRAY(SELECT id FROM found))');
  }
  return db.query<CustomerRow & { sort_key: string }>(
    `${candidates}SELECT ${CUSTOMER_COLUMNS}, (${order.key})::text AS sort_key
       FROM customers c WHERE ${where.join(' AND ')} ORDER BY ${order.orderBy} LIMIT $2`,
    params,
  );
}

/** The customer a merged-away id became, if it was merged. */
export async function mergedInto(db: Queryable, ws: string, id: string): Promise<string | undefined> {
  const [merged] = await db.query<{ to_id: string }>(
    'SELECT to_id::text FROM customer_merges WHERE workspace_id = $1 AND from_id = $2',
    [ws, id],
  );
  return merged?.to_id;
}

/** One customer's row (no anonymous ids), if any. */
export async function customerRow(db: Queryable, ws: string, id: string): Promise<CustomerRow | undefined> {
  const [row] = await db.query<CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.workspace_id = $1 AND c.id = $2`,
    [ws, id],
  );
  return row;
}

/** One customer's per-event counters, most recently seen first. */
export async function eventCounters(db: Queryable, ws: string, id: string) {
  return db.query<{ name: string; count: string | number; first_at: Date; last_at: Date }>(
    'SELECT name, count, first_at, last_at FROM customer_event_counters WHERE workspace_id = $1 AND customer_id = $2 ORDER BY last_at DESC',
    [ws, id],
  );
}

/** Up to `limit` of the customer's events, newest first, after the (timestamp, message id) of `after` when given. */
export async function timelineEvents(
  db: Queryable,
  ws: string,
  customerId: string,
  limit: number,
  after: [string | number, string | number] | null,
) {
  const params: unknown[] = [ws, customerId, limit];
  let cond = '';
  if (after) {
    params.push(after[0], after[1]);
    cond = 'AND (timestamp, message_id) < ($4::timestamptz, $5::text)';
  }
  return db.query<EventRow>(
    `SELECT message_id, customer_id, type, name, user_id, anonymous_id, properties, timestamp, received_at
       FROM events WHERE workspace_id = $1 AND customer_id = $2 ${cond}
      ORDER BY timestamp DESC, message_id DESC LIMIT $3`,
    params,
  );
}

/** Every event of the customer, oldest first, with its traits and context. */
export async function allEvents(db: Queryable, ws: string, customerId: string) {
  return db.query<EventRow>(
    'SELECT message_id, customer_id, type, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at FROM events WHERE workspace_id = $1 AND customer_id = $2 ORDER BY timestamp',
    [ws, customerId],
  );
}

/** Every order of the customer, oldest first. */
export async function allOrders(db: Queryable, ws: string, customerId: string) {
  return db.query(
    'SELECT order_id, status, total::float8 AS total, refunded::float8 AS refunded, currency, placed_at FROM orders WHERE workspace_id = $1 AND customer_id = $2 ORDER BY placed_at',
    [ws, customerId],
  );
}

/** Every line of the customer's orders, by order and line number. */
export async function allOrderLines(db: Queryable, ws: string, customerId: string) {
  return db.query(
    `SELECT l.order_id, l.line_no, l.product_id, l.sku, l.name, l.category, l.price::float8 AS price, l.quantity::float8 AS quantity
       FROM order_lines l JOIN orders o ON o.workspace_id = l.workspace_id AND o.order_id = l.order_id
      WHERE o.workspace_id = $1 AND o.customer_id = $2 ORDER BY l.order_id, l.line_no`,
    [ws, customerId],
  );
}

/** The customer's identities (user and anonymous ids), by kind and value. */
export async function identitiesOf(db: Queryable, ws: string, customerId: string) {
  return db.query<{ kind: 'user' | 'anonymous'; value: string }>(
    'SELECT kind, value FROM identities WHERE workspace_id = $1 AND customer_id = $2 ORDER BY kind, value',
    [ws, customerId],
  );
}

/** Keeps hashes of erased identities, so that replayed events do not bring the person back. */
export async function recordErasures(tx: Queryable, ws: string, hashes: string[]): Promise<void> {
  await tx.query(
    'INSERT INTO erasures (workspace_id, identity_hash) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
    [ws, hashes],
  );
}

/** The tables with a row per (workspace, customer) that erasure empties (loyalty's lots before the ledger they point at). */
const CUSTOMER_TABLES = [
  'loyalty_lots',
  'loyalty_ledger',
  'loyalty_accounts',
  'orders',
  'order_adjustments',
  'carts',
  'cart_changes',
  'identities',
  'customer_event_counters',
  'customer_purchase_days',
  'customer_changes',
  'segment_members',
  'consents',
  'journey_runs',
  'journey_entries',
  'journey_inbox',
  'journey_catch_up',
  'message_intents',
  'control_group_members',
  'messages',
  'consent_confirmations',
];

/** Deletes everything held about one customer (events, orders and their lines, journeys, messages, …, the row itself); answers the events deleted. */
export async function deleteCustomerData(tx: Queryable, ws: string, customerId: string): Promise<number> {
  const deleted = await tx.query('DELETE FROM events WHERE workspace_id = $1 AND customer_id = $2 RETURNING 1', [
    ws,
    customerId,
  ]);
  await tx.query(
    'DELETE FROM order_lines l USING orders o WHERE o.workspace_id = $1 AND o.customer_id = $2 AND l.workspace_id = o.workspace_id AND l.order_id = o.order_id',
    [ws, customerId],
  );
  await tx.query(
    'DELETE FROM journey_step_log WHERE run_id IN (SELECT id FROM journey_runs WHERE workspace_id = $1 AND customer_id = $2)',
    [ws, customerId],
  );
  await tx.query('DELETE FROM loyalty_referrals WHERE workspace_id = $1 AND (referee_id = $2 OR referrer_id = $2)', [
    ws,
    customerId,
  ]);
  for (const table of CUSTOMER_TABLES) {
    await tx.query(`DELETE FROM ${table} WHERE workspace_id = $1 AND customer_id = $2`, [ws, customerId]);
  }
  await tx.query('DELETE FROM customer_merges WHERE workspace_id = $1 AND (to_id = $2 OR from_id = $2)', [
    ws,
    customerId,
  ]);
  await tx.query('DELETE FROM customers WHERE workspace_id = $1 AND id = $2', [ws, customerId]);
  return deleted.length;
}
