// Carts at ingest: the batch's cart events stored as changes to their carts' lines (set-based, two statements), in
// the batch's transaction. Nothing is folded here: a cart is read as its changes in event time (src/carts/fold.ts),
// so a late or replayed event can never leave a wrong cart behind.
import type { Queryable } from '../store/db.ts';
import type { NormalizedEvent } from './normalize.ts';
import { COMBINE_CARTS } from '../carts/store.ts';

type Owned = { event: NormalizedEvent; customerId: string | null };

/** Stores the changes of the batch's cart events and keeps each cart's first and latest event time, currency and link. */
export async function recordCartChanges(tx: Queryable, ws: string, items: Owned[]): Promise<void> {
  const rows = items.flatMap(({ event, customerId }) =>
    event.cart && customerId !== null
      ? event.cart.changes.map((c, lineNo) => ({ event, customerId, cart: event.cart!, lineNo, change: c, product: c.product }))
      : [],
  );
  if (rows.length === 0) return;
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await tx.query(
    `INSERT INTO cart_changes (workspace_id, message_id, line_no, customer_id, cart_id, at, received_at, position, kind, line_key, quantity,
                               product_id, sku, name, variant, category, price, image_url, url)
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::int[], $9::text[], $10::text[],
                              $11::numeric[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::numeric[], $18::text[], $19::text[])
     ON CONFLICT DO NOTHING`,
    [
      ws, col((r) => r.event.messageId), col((r) => r.lineNo), col((r) => r.customerId), col((r) => r.cart.cartId), col((r) => r.event.at),
      col((r) => r.event.receivedAt), col((r) => r.event.index), col((r) => r.change.kind), col((r) => r.change.lineKey), col((r) => r.change.quantity),
      col((r) => r.product?.productId ?? null), col((r) => r.product?.sku ?? null), col((r) => r.product?.name ?? null),
      col((r) => r.product?.variant ?? null), col((r) => r.product?.category ?? null), col((r) => r.product?.price ?? null),
      col((r) => r.product?.imageUrl ?? null), col((r) => r.product?.url ?? null),
    ],
  );
  const heads = cartHeads(items);
  await tx.query(
    `INSERT INTO carts (workspace_id, customer_id, cart_id, first_at, updated_at, currency, currency_at, url, url_at)
     SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::timestamptz[], $8::text[], $9::timestamptz[])
     ${COMBINE_CARTS}`,
    [ws, ...(['customerId', 'cartId', 'first', 'last', 'currency', 'currencyAt', 'url', 'urlAt'] as const).map((k) => heads.map((h) => h[k]))],
  );
}

interface Head {
  customerId: string;
  cartId: string;
  first: string;
  last: string;
  currency: string | null;
  currencyAt: string | null;
  url: string | null;
  urlAt: string | null;
}

/** (time, value) later than the other: by time, ties to the greater value (as COMBINE_CARTS decides). */
const isLater = (at: string, value: string, than: string | null, thanValue: string | null) => than === null || at > than || (at === than && value > (thanValue ?? ''));

/**
 * One row per cart of the batch, in key order (so concurrent batches lock shared carts in the same order): its first and
 * latest event, and the currency and link of its latest events naming them.
 */
function cartHeads(items: Owned[]): Head[] {
  const heads = new Map<string, Head>();
  for (const { event, customerId } of items) {
    const cart = event.cart;
    if (!cart || customerId === null) continue;
    const key = `${customerId}\u0000${cart.cartId}`;
    let h = heads.get(key);
    if (!h) heads.set(key, (h = { customerId, cartId: cart.cartId, first: event.at, last: event.at, currency: null, currencyAt: null, url: null, urlAt: null }));
    if (event.at < h.first) h.first = event.at;
    if (event.at > h.last) h.last = event.at;
    if (cart.currency !== null && isLater(event.at, cart.currency, h.currencyAt, h.currency)) [h.currency, h.currencyAt] = [cart.currency, event.at];
    if (cart.url !== null && isLater(event.at, cart.url, h.urlAt, h.url)) [h.url, h.urlAt] = [cart.url, event.at];
  }
  return [...heads.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, h]) => h);
}
