// Carts at ingest: the batch's cart events stored as changes to their carts' lines (set-based, two statements), in
// the batch's transaction. Nothing is folded here: a cart is read as its changes in event time (src/carts/fold.ts),
// so a late or replayed event can never leave a wrong cart behind.
import { type Queryable, bulkRows } from '../store/index.ts';
import type { NormalizedEvent } from './normalize.ts';
import { COMBINE_CARTS } from '../carts/index.ts';

type Owned = { event: NormalizedEvent; customerId: string | null };

/** Stores the changes of the batch's cart events and keeps each cart's first and latest event time, currency and link. */
export async function recordCartChanges(tx: Queryable, ws: string, items: Owned[]): Promise<void> {
  const rows = items.flatMap(({ event, customerId }) =>
    event.cart && customerId !== null
      ? event.cart.changes.map((c, lineNo) => ({
          event,
          customerId,
          cart: event.cart!,
          lineNo,
          change: c,
          product: c.product,
        }))
      : [],
  );
  if (rows.length === 0) return;
  const changes = bulkRows(
    CART_CHANGE_COLUMNS,
    rows.map((r) => ({
      message_id: r.event.messageId,
      line_no: r.lineNo,
      customer_id: r.customerId,
      cart_id: r.cart.cartId,
      at: r.event.at,
      received_at: r.event.receivedAt,
      position: r.event.index,
      kind: r.change.kind,
      line_key: r.change.lineKey,
      quantity: r.change.quantity,
      product_id: r.product?.productId,
      sku: r.product?.sku,
      name: r.product?.name,
      variant: r.product?.variant,
      category: r.product?.category,
      price: r.product?.price,
      image_url: r.product?.imageUrl,
      url: r.product?.url,
    })),
    { at: 2 },
  );
  await tx.query(
    `INSERT INTO cart_changes (workspace_id, ${changes.columns}) SELECT $1, ${changes.columns} FROM ${changes.from} ON CONFLICT DO NOTHING`,
    [ws, ...changes.params],
  );
  const heads = bulkRows(
    CART_HEAD_COLUMNS,
    cartHeads(items).map((h) => ({
      customer_id: h.customerId,
      cart_id: h.cartId,
      first_at: h.first,
      updated_at: h.last,
      currency: h.currency,
      currency_at: h.currencyAt,
      url: h.url,
      url_at: h.urlAt,
    })),
    { at: 2 },
  );
  await tx.query(
    `INSERT INTO carts (workspace_id, ${heads.columns}) SELECT $1, ${heads.columns} FROM ${heads.from} ${COMBINE_CARTS}`,
    [ws, ...heads.params],
  );
}

/** A cart event's changes, one row per line changed (cart_changes). */
const CART_CHANGE_COLUMNS = {
  message_id: 'text',
  line_no: 'int',
  customer_id: 'bigint',
  cart_id: 'text',
  at: 'timestamptz',
  received_at: 'timestamptz',
  position: 'int',
  kind: 'text',
  line_key: 'text',
  quantity: 'numeric',
  product_id: 'text',
  sku: 'text',
  name: 'text',
  variant: 'text',
  category: 'text',
  price: 'numeric',
  image_url: 'text',
  url: 'text',
} as const;

/** A cart's first and latest event time, currency and link (carts; merged with the stored ones by COMBINE_CARTS). */
const CART_HEAD_COLUMNS = {
  customer_id: 'bigint',
  cart_id: 'text',
  first_at: 'timestamptz',
  updated_at: 'timestamptz',
  currency: 'text',
  currency_at: 'timestamptz',
  url: 'text',
  url_at: 'timestamptz',
} as const;

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
const isLater = (at: string, value: string, than: string | null, thanValue: string | null) =>
  than === null || at > than || (at === than && value > (thanValue ?? ''));

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
    if (!h)
      heads.set(
        key,
        (h = {
          customerId,
          cartId: cart.cartId,
          first: event.at,
          last: event.at,
          currency: null,
          currencyAt: null,
          url: null,
          urlAt: null,
        }),
      );
    if (event.at < h.first) h.first = event.at;
    if (event.at > h.last) h.last = event.at;
    if (cart.currency !== null && isLater(event.at, cart.currency, h.currencyAt, h.currency))
      [h.currency, h.currencyAt] = [cart.currency, event.at];
    if (cart.url !== null && isLater(event.at, cart.url, h.urlAt, h.url)) [h.url, h.urlAt] = [cart.url, event.at];
  }
  return [...heads.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, h]) => h);
}
