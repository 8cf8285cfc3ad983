// Customer queries: search, one profile (with its open carts), the event timeline, export of everything held, and erasure.
import type { Db, Queryable } from '../store/index.ts';
import { identityHash, normalizeEmail, normalizePhone } from '../identity/index.ts';
import { customerView, eventView, encodeCursor, type CustomerRow, type EventRow } from './view.ts';
import { withAnonymousIds } from './anonymous-ids.ts';
import { customerCarts } from '../carts/index.ts';
import { scoreColumnsSql } from '../scores/index.ts';
import { listCursorTag, listOrder, nameQuery, type CustomerSort, type SortDirection } from './list-order.ts';

const CUSTOMER_COLUMNS = `c.id, c.user_id, c.name, c.email, c.phone, c.locale, c.timezone, c.traits, c.first_seen, c.last_seen,
  c.first_order_at, c.last_order_at, c.orders_count, c.purchase_days, c.revenue_total, c.revenue_net, ${scoreColumnsSql()}, c.scored_at`;

export interface SearchQuery {
  q?: string;
  trait?: { key: string; value: string };
  /** Only the customers of one RFM cell (R and F scores). */
  rfm?: { r: number; f: number };
  limit: number;
  sort?: CustomerSort;
  direction?: SortDirection;
  /** The sort key and customer id of the last row of the previous page (from its cursor). */
  after?: [string, string] | null;
}

/**
 * The customer list: exact look-up by user id, e-mail, phone or anonymous id, words of the name (prefixes, every word),
 * or one trait value; without a query, everyone. Sorted by the chosen column (customers without a value last), paged
 * by keyset on (sort key, id).
 */
export async function searchCustomers(db: Queryable, ws: string, query: SearchQuery) {
  const order = listOrder(query.sort ?? 'newest', query.direction);
  const params: unknown[] = [ws, query.limit + 1];
  const where: string[] = ['c.workspace_id = $1'];
  let candidates = '';
  if (query.after) {
    where.push(order.after(query.after, (value) => `$${params.push(value)}`));
  }
  if (query.rfm) {
    where.push(`c.rfm_r = $${params.push(query.rfm.r)} AND c.rfm_f = $${params.push(query.rfm.f)}`);
  }
  if (query.trait) {
    params.push(JSON.stringify({ [query.trait.key]: query.trait.value }));
    where.push(`c.traits @> $${params.length}::jsonb`);
  } else if (query.q && query.q.trim()) {
    // Each way of finding someone is its own index scan (user id, e-mail, phone, anonymous id, words of the name);
    // their union, computed first, names the candidates, read by primary key. One OR over all of them made the planner
    // read every customer, and a join let it walk the whole list in id order looking for the few that match.
    const q = query.q.trim();
    const found: string[] = [`SELECT id FROM customers WHERE workspace_id = $1 AND user_id = $${params.push(q)}`];
    const email = normalizeEmail(q);
    if (email) found.push(`SELECT id FROM customers WHERE workspace_id = $1 AND email = $${params.push(email)}`);
    const phone = normalizePhone(q);
    if (phone) found.push(`SELECT id FROM customers WHERE workspace_id = $1 AND phone = $${params.push(phone)}`);
    found.push(`SELECT customer_id FROM identities WHERE workspace_id = $1 AND kind = 'anonymous' AND value = $${params.push(q)}`);
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
  const rows = await db.query<CustomerRow & { sort_key: string }>(
    `${candidates}SELECT ${CUSTOMER_COLUMNS}, (${order.key})::text AS sort_key
       FROM customers c WHERE ${where.join(' AND ')} ORDER BY ${order.orderBy} LIMIT $2`,
    params,
  );
  const page = await withAnonymousIds(db, ws, rows.slice(0, query.limit));
  const last = rows[query.limit - 1];
  return {
    customers: page.map(customerView),
    nextCursor: rows.length > query.limit && last ? encodeCursor([listCursorTag(order), last.sort_key, String(last.id)]) : null,
  };
}

/** One customer by internal id (following merges), with anonymous ids and per-event counters. */
export async function getCustomer(db: Db, ws: string, id: string) {
  if (!/^\d+$/.test(id)) return null;
  const merged = await db.query<{ to_id: string }>('SELECT to_id::text FROM customer_merges WHERE workspace_id = $1 AND from_id = $2', [ws, id]);
  const realId = merged[0]?.to_id ?? id;
  const rows = await withAnonymousIds(db, ws, await db.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.workspace_id = $1 AND c.id = $2`, [ws, realId]));
  if (!rows[0]) return null;
  const counters = await db.query<{ name: string; count: string | number; first_at: Date; last_at: Date }>(
    'SELECT name, count, first_at, last_at FROM customer_event_counters WHERE workspace_id = $1 AND customer_id = $2 ORDER BY last_at DESC',
    [ws, realId],
  );
  return {
    customer: customerView(rows[0]),
    counters: counters.map((c) => ({ name: c.name, count: Number(c.count), firstAt: new Date(c.first_at).toISOString(), lastAt: new Date(c.last_at).toISOString() })),
  };
}

/** One customer as the API shows it: profile, counters, and the carts that still hold products (most recent first). */
export async function customerProfile(db: Db, ws: string, id: string) {
  const found = await getCustomer(db, ws, id);
  if (!found) return null;
  const carts = await customerCarts(db, ws, found.customer.id);
  return { ...found, openCarts: carts.filter((c) => c.status === 'open') };
}

/** The customer's events, newest first, by keyset pagination on (timestamp, messageId). */
export async function customerTimeline(db: Db, ws: string, customerId: string, limit: number, after: (string | number)[] | null) {
  const params: unknown[] = [ws, customerId, limit + 1];
  let cond = '';
  if (after && after.length === 2) {
    params.push(after[0], after[1]);
    cond = 'AND (timestamp, message_id) < ($4::timestamptz, $5::text)';
  }
  const rows = await db.query<EventRow>(
    `SELECT message_id, customer_id, type, name, user_id, anonymous_id, properties, timestamp, received_at
       FROM events WHERE workspace_id = $1 AND customer_id = $2 ${cond}
      ORDER BY timestamp DESC, message_id DESC LIMIT $3`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page.map(eventView),
    nextCursor: rows.length > limit && last ? encodeCursor([new Date(last.timestamp).toISOString(), last.message_id]) : null,
  };
}

/** Everything held about one customer, as one JSON document (data portability): carts as they stand, with their lines. */
export async function exportCustomer(db: Db, ws: string, id: string) {
  const found = await getCustomer(db, ws, id);
  if (!found) return null;
  const cid = found.customer.id;
  const [events, orders, lines, identities, carts] = await Promise.all([
    db.query<EventRow>(
      'SELECT message_id, customer_id, type, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at FROM events WHERE workspace_id = $1 AND customer_id = $2 ORDER BY timestamp',
      [ws, cid],
    ),
    db.query('SELECT order_id, status, total::float8 AS total, refunded::float8 AS refunded, currency, placed_at FROM orders WHERE workspace_id = $1 AND customer_id = $2 ORDER BY placed_at', [ws, cid]),
    db.query(
      `SELECT l.order_id, l.line_no, l.product_id, l.sku, l.name, l.category, l.price::float8 AS price, l.quantity::float8 AS quantity
         FROM order_lines l JOIN orders o ON o.workspace_id = l.workspace_id AND o.order_id = l.order_id
        WHERE o.workspace_id = $1 AND o.customer_id = $2 ORDER BY l.order_id, l.line_no`,
      [ws, cid],
    ),
    db.query('SELECT kind, value FROM identities WHERE workspace_id = $1 AND customer_id = $2 ORDER BY kind, value', [ws, cid]),
    customerCarts(db, ws, cid),
  ]);
  return { exportedAt: new Date().toISOString(), ...found, identities, orders, orderLines: lines, carts, events: events.map(eventView) };
}

/**
 * Erasure (right to be forgotten): deletes the profile, its events, orders and identities in one transaction and keeps
 * only PII-free tombstones (hashes of the ids) so that replayed events do not bring the person back.
 */
export async function eraseCustomer(db: Db, ws: string, id: string): Promise<{ erased: boolean; events: number }> {
  const found = await getCustomer(db, ws, id);
  if (!found) return { erased: false, events: 0 };
  const cid = found.customer.id;
  return db.transaction(async (tx) => {
    const ids = await tx.query<{ kind: 'user' | 'anonymous'; value: string }>('SELECT kind, value FROM identities WHERE workspace_id = $1 AND customer_id = $2', [ws, cid]);
    const hashes = ids.map((i) => identityHash(i.kind, i.value));
    if (hashes.length > 0) {
      await tx.query('INSERT INTO erasures (workspace_id, identity_hash) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [ws, hashes]);
    }
    const deleted = await tx.query('DELETE FROM events WHERE workspace_id = $1 AND customer_id = $2 RETURNING 1', [ws, cid]);
    await tx.query(
      'DELETE FROM order_lines l USING orders o WHERE o.workspace_id = $1 AND o.customer_id = $2 AND l.workspace_id = o.workspace_id AND l.order_id = o.order_id',
      [ws, cid],
    );
    await tx.query('DELETE FROM journey_step_log WHERE run_id IN (SELECT id FROM journey_runs WHERE workspace_id = $1 AND customer_id = $2)', [ws, cid]);
    await tx.query('DELETE FROM loyalty_referrals WHERE workspace_id = $1 AND (referee_id = $2 OR referrer_id = $2)', [ws, cid]);
    // Loyalty's tables first (lots before the ledger they point at, the account last), named here as every other capability's are.
    const tables = ['loyalty_lots', 'loyalty_ledger', 'loyalty_accounts', 'orders', 'order_adjustments', 'carts', 'cart_changes', 'identities', 'customer_event_counters', 'customer_purchase_days', 'customer_changes', 'segment_members', 'consents',
      'journey_runs', 'journey_entries', 'journey_inbox', 'journey_catch_up', 'message_intents', 'control_group_members', 'messages', 'consent_confirmations'];
    for (const table of tables) {
      await tx.query(`DELETE FROM ${table} WHERE workspace_id = $1 AND customer_id = $2`, [ws, cid]);
    }
    await tx.query('DELETE FROM customer_merges WHERE workspace_id = $1 AND (to_id = $2 OR from_id = $2)', [ws, cid]);
    await tx.query('DELETE FROM customers WHERE workspace_id = $1 AND id = $2', [ws, cid]);
    return { erased: true, events: deleted.length };
  });
}
