// Customer queries: search, one profile (with its open carts), the event timeline, export of everything held, and erasure.
// Their statements are in store.ts.
import type { Db, Queryable } from '../store/index.ts';
import { identityHash } from '../identity/index.ts';
import { customerView, eventView } from './view.ts';
import { encodeCursor } from '../lib/index.ts';
import { withAnonymousIds } from './anonymous-ids.ts';
import { customerCarts } from '../carts/index.ts';
import { listCursorTag, listOrder, type CustomerSort, type SortDirection } from './list-order.ts';
import {
  allEvents,
  allOrderLines,
  allOrders,
  customerListPage,
  customerRow,
  deleteCustomerData,
  eventCounters,
  identitiesOf,
  mergedInto,
  recordErasures,
  timelineEvents,
} from './store.ts';

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
  const rows = await customerListPage(db, ws, order, query, query.limit + 1);
  const page = await withAnonymousIds(db, ws, rows.slice(0, query.limit));
  const last = rows[query.limit - 1];
  return {
    customers: page.map(customerView),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor([listCursorTag(order), last.sort_key, String(last.id)]) : null,
  };
}

/** One customer by internal id (following merges), with anonymous ids and per-event counters. */
export async function getCustomer(db: Db, ws: string, id: string) {
  if (!/^\d+$/.test(id)) return null;
  const realId = (await mergedInto(db, ws, id)) ?? id;
  const row = await customerRow(db, ws, realId);
  if (!row) return null;
  const [withIds] = await withAnonymousIds(db, ws, [row]);
  const counters = await eventCounters(db, ws, realId);
  return {
    customer: customerView(withIds!),
    counters: counters.map((c) => ({
      name: c.name,
      count: Number(c.count),
      firstAt: new Date(c.first_at).toISOString(),
      lastAt: new Date(c.last_at).toISOString(),
    })),
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
export async function customerTimeline(
  db: Db,
  ws: string,
  customerId: string,
  limit: number,
  after: (string | number)[] | null,
) {
  const rows = await timelineEvents(
    db,
    ws,
    customerId,
    limit + 1,
    after && after.length === 2 ? [after[0]!, after[1]!] : null,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page.map(eventView),
    nextCursor:
      rows.length > limit && last ? encodeCursor([new Date(last.timestamp).toISOString(), last.message_id]) : null,
  };
}

/** Everything held about one customer, as one JSON document (data portability): carts as they stand, with their lines. */
export async function exportCustomer(db: Db, ws: string, id: string) {
  const found = await getCustomer(db, ws, id);
  if (!found) return null;
  const cid = found.customer.id;
  const [events, orders, lines, identities, carts] = await Promise.all([
    allEvents(db, ws, cid),
    allOrders(db, ws, cid),
    allOrderLines(db, ws, cid),
    identitiesOf(db, ws, cid),
    customerCarts(db, ws, cid),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    ...found,
    identities,
    orders,
    orderLines: lines,
    carts,
    events: events.map(eventView),
  };
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
    const hashes = (await identitiesOf(tx, ws, cid)).map((i) => identityHash(i.kind, i.value));
    if (hashes.length > 0) await recordErasures(tx, ws, hashes);
    return { erased: true, events: await deleteCustomerData(tx, ws, cid) };
  });
}
