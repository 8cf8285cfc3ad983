// Carts read back: the chosen carts of a batch of messages, a customer's carts, folded from their changes (fold.ts)
// with a few set-based statements for any number of carts; and carts moved when two profiles merge.
import { bulkRows, type Queryable } from '../store/index.ts';
import { CART_EVENTS, cartIdOf, type CartChangeKind } from './events.ts';
import { foldCart, filledFrom, type Cart, type CartClose, type StoredChange } from './fold.ts';
import { fromSnake, lineKey, productFields, textOf, type ProductFields, type SnakeProduct } from './product.ts';

export interface CartRef {
  ws: string;
  customerId: string;
  /** '' for the customer's cart sent without an id. */
  cartId: string;
}

type Catalogue = Map<string, Partial<ProductFields>>;

/** A cart by its workspace, customer and id, as the reads below take many at once. */
const CART_REF_COLUMNS = { ws: 'text', customer_id: 'bigint', cart_id: 'text' } as const;

/** Per cart: its latest event time, currency and link, and the latest order that closes it (one naming it, or one of its customer naming no cart). */
async function cartHeads(q: Queryable, refs: CartRef[]) {
  const w = bulkRows(
    CART_REF_COLUMNS,
    refs.map((r) => ({ ws: r.ws, customer_id: r.customerId, cart_id: r.cartId })),
    { at: 1, as: 'w', ordinality: true },
  );
  return q.query<{
    n: string;
    updated_at: Date;
    currency: string | null;
    url: string | null;
    closed_at: Date | null;
    closed_by: string | null;
  }>(
    `SELECT w.n::text, c.updated_at, c.currency, c.url, x.placed_at AS closed_at, x.order_id AS closed_by
       FROM ${w.from}
       JOIN carts c ON c.workspace_id = w.ws AND c.customer_id = w.customer_id AND c.cart_id = w.cart_id
       LEFT JOIN LATERAL (
         SELECT o.placed_at, o.order_id FROM (
           (SELECT placed_at, order_id FROM orders WHERE workspace_id = w.ws AND cart_id = w.cart_id ORDER BY placed_at DESC LIMIT 1)
           UNION ALL
           (SELECT placed_at, order_id FROM orders WHERE workspace_id = w.ws AND customer_id = w.customer_id AND cart_id IS NULL ORDER BY placed_at DESC LIMIT 1)
         ) o ORDER BY o.placed_at DESC, o.order_id LIMIT 1
       ) x ON true`,
    w.params,
  );
}

interface ChangeRow extends SnakeProduct {
  n: string;
  at: Date;
  received_at: Date;
  position: number;
  message_id: string;
  line_no: number;
  kind: CartChangeKind;
  line_key: string;
  quantity: number | null;
}

/** The changes of each cart after the order that closed it (those before cannot matter). */
async function cartChanges(q: Queryable, refs: (CartRef & { since: Date | null })[]) {
  const w = bulkRows(
    { ...CART_REF_COLUMNS, since: 'timestamptz' },
    refs.map((r) => ({ ws: r.ws, customer_id: r.customerId, cart_id: r.cartId, since: r.since })),
    { at: 1, as: 'w', ordinality: true },
  );
  return q.query<ChangeRow>(
    `SELECT w.n::text, ch.at, ch.received_at, ch.position, ch.message_id, ch.line_no, ch.kind, ch.line_key, ch.quantity::float8 AS quantity, ch.product_id, ch.sku,
            ch.name, ch.variant, ch.category, ch.price::float8 AS price, ch.image_url, ch.url
       FROM ${w.from}
       JOIN cart_changes ch ON ch.workspace_id = w.ws AND ch.customer_id = w.customer_id AND ch.cart_id = w.cart_id
        AND (w.since IS NULL OR ch.at > w.since)`,
    w.params,
  );
}

/** The catalogue's name, price, category and links of the products named (PUT /api/v1/products). */
async function catalogueOf(q: Queryable, wanted: { ws: string; productId: string }[]): Promise<Catalogue> {
  const unique = [...new Map(wanted.map((w) => [`${w.ws}\u0000${w.productId}`, w])).values()];
  if (unique.length === 0) return new Map();
  const w = bulkRows(
    { ws: 'text', product_id: 'text' },
    unique.map((u) => ({ ws: u.ws, product_id: u.productId })),
    { at: 1, as: 'w' },
  );
  const rows = await q.query<{
    workspace_id: string;
    product_id: string;
    name: string | null;
    price: number | null;
    category: string | null;
    url: string | null;
    image_url: string | null;
  }>(
    `SELECT p.workspace_id, p.product_id, p.name, p.price::float8 AS price, p.category, p.url, p.image_url
       FROM products p JOIN ${w.from} ON p.workspace_id = w.ws AND p.product_id = w.product_id`,
    w.params,
  );
  return new Map(
    rows.map((r) => [
      `${r.workspace_id}\u0000${r.product_id}`,
      { name: r.name, price: r.price, category: r.category, url: r.url, imageUrl: r.image_url },
    ]),
  );
}

const storedChange = (r: ChangeRow): StoredChange => ({
  at: new Date(r.at),
  receivedAt: new Date(r.received_at),
  position: r.position,
  messageId: r.message_id,
  lineNo: r.line_no,
  kind: r.kind,
  lineKey: r.line_key,
  quantity: r.quantity,
  product: fromSnake(r),
});

/** The carts as they stand, in the order asked (null for a cart that does not exist); `extra` product ids share the catalogue read. */
export async function loadCarts(
  q: Queryable,
  refs: CartRef[],
  extra: { ws: string; productId: string }[] = [],
): Promise<{ carts: (Cart | null)[]; catalogue: Catalogue }> {
  const heads = refs.length ? await cartHeads(q, refs) : [];
  const head = new Map(heads.map((h) => [Number(h.n) - 1, h]));
  const found = [...head.keys()];
  const rows = found.length
    ? await cartChanges(
        q,
        found.map((i) => ({ ...refs[i]!, since: head.get(i)!.closed_at })),
      )
    : [];
  const changes = new Map<number, StoredChange[]>();
  for (const r of rows) {
    const i = found[Number(r.n) - 1]!;
    const list = changes.get(i);
    if (list) list.push(storedChange(r));
    else changes.set(i, [storedChange(r)]);
  }
  const catalogue = await catalogueOf(q, [
    ...rows.flatMap((r) => (r.product_id ? [{ ws: refs[found[Number(r.n) - 1]!]!.ws, productId: r.product_id }] : [])),
    ...extra,
  ]);
  const carts = refs.map((ref, i) => {
    const h = head.get(i);
    if (!h) return null;
    const closedBy: CartClose | null =
      h.closed_at && h.closed_by ? { at: new Date(h.closed_at), orderId: h.closed_by } : null;
    const record = {
      cartId: ref.cartId,
      updatedAt: new Date(h.updated_at),
      currency: h.currency,
      url: h.url,
      changes: changes.get(i) ?? [],
      closedBy,
    };
    return foldCart(record, (id) => catalogue.get(`${ref.ws}\u0000${id}`));
  });
  return { carts, catalogue };
}

/** Every cart of the customer, the most recently changed first. */
export async function customerCarts(q: Queryable, ws: string, customerId: string): Promise<Cart[]> {
  const ids = await q.query<{ cart_id: string }>(
    'SELECT cart_id FROM carts WHERE workspace_id = $1 AND customer_id = $2 ORDER BY updated_at DESC, cart_id',
    [ws, customerId],
  );
  const { carts } = await loadCarts(
    q,
    ids.map((r) => ({ ws, customerId, cartId: r.cart_id })),
  );
  return carts.filter((c): c is Cart => c !== null);
}

/** What a message is about: its run's key, and the event that started the run. */
export interface MessageSubject {
  ws: string;
  customerId: string;
  /** The run's key ('' or null: the journey has none). */
  key: string | null;
  trigger: { event?: string | null; properties?: Record<string, unknown> } | null;
}

/** The cart and the product a message speaks of. */
export interface MessageCommerce {
  cart: Cart | null;
  /** The triggering event's own product (Product Viewed, Product Added…), completed from the catalogue; null when it names none. */
  product: ProductFields | null;
}

/** The cart of each message: the customer's cart whose id is the run's key, else the one the triggering event names, else their latest. */
async function chosenCarts(q: Queryable, subjects: MessageSubject[]): Promise<Map<number, string>> {
  const named = (s: MessageSubject) => {
    const props = s.trigger?.properties ?? {};
    return (
      cartIdOf(props) ??
      ((CART_EVENTS as readonly (string | null | undefined)[]).includes(s.trigger?.event) ? '' : null)
    );
  };
  const w = bulkRows(
    { ws: 'text', customer_id: 'bigint', key: 'text', named: 'text' },
    subjects.map((s) => ({ ws: s.ws, customer_id: s.customerId, key: s.key || null, named: named(s) })),
    { at: 1, as: 'w', ordinality: true },
  );
  const rows = await q.query<{ n: string; cart_id: string }>(
    `SELECT w.n::text, c.cart_id FROM ${w.from}
     CROSS JOIN LATERAL (
       SELECT k.cart_id FROM (
         (SELECT cart_id, 1 AS rank FROM carts WHERE workspace_id = w.ws AND customer_id = w.customer_id AND cart_id = w.key)
         UNION ALL
         (SELECT cart_id, 2 FROM carts WHERE workspace_id = w.ws AND customer_id = w.customer_id AND cart_id = w.named)
         UNION ALL
         (SELECT cart_id, 3 FROM carts WHERE workspace_id = w.ws AND customer_id = w.customer_id ORDER BY updated_at DESC, cart_id LIMIT 1)
       ) k ORDER BY k.rank LIMIT 1
     ) c`,
    w.params,
  );
  return new Map(rows.map((r) => [Number(r.n) - 1, r.cart_id]));
}

/**
 * The triggering event's own product: a `Product …` event's (Viewed, Added, Clicked…), or any event's that names a
 * product_id or SKU; an "Invoice Issued" with an `id` or a "Signed Up" with a `name` is about no product.
 */
function triggerProduct(trigger: MessageSubject['trigger']): ProductFields | null {
  const props = trigger?.properties ?? {};
  const p = productFields(props);
  const named = textOf(props.product_id ?? props.productId) ?? p.sku;
  return named !== null || (trigger?.event?.startsWith('Product ') && lineKey(p) !== null) ? p : null;
}

/** The cart and product of each message, in a handful of statements for the whole batch. */
export async function messageCommerce(q: Queryable, subjects: MessageSubject[]): Promise<MessageCommerce[]> {
  if (subjects.length === 0) return [];
  const chosen = await chosenCarts(q, subjects);
  const picked = [...chosen.entries()];
  const products = subjects.map((s) => triggerProduct(s.trigger));
  const wantedProducts = subjects.flatMap((s, i) =>
    products[i]?.productId ? [{ ws: s.ws, productId: products[i]!.productId! }] : [],
  );
  const { carts, catalogue } = await loadCarts(
    q,
    picked.map(([i, cartId]) => ({ ws: subjects[i]!.ws, customerId: subjects[i]!.customerId, cartId })),
    wantedProducts,
  );
  const cartOf = new Map(picked.map(([i], k) => [i, carts[k] ?? null]));
  return subjects.map((s, i) => {
    const own = products[i];
    return {
      cart: cartOf.get(i) ?? null,
      product: own ? filledFrom(own, own.productId ? catalogue.get(`${s.ws}\u0000${own.productId}`) : undefined) : null,
    };
  });
}

/** The later of two (time, value) pairs of a cart's attribute, ties to the greater value, so arrival order never matters. */
const laterPair = (col: string) =>
  `${col} = CASE WHEN (excluded.${col}_at, excluded.${col} COLLATE "C") > (COALESCE(carts.${col}_at, '-infinity'), COALESCE(carts.${col}, '') COLLATE "C")
     THEN excluded.${col} ELSE carts.${col} END, ${col}_at = GREATEST(carts.${col}_at, excluded.${col}_at)`;

/** Two rows of one cart as one: the earliest first event, the latest event, the currency and link of the latest events naming them. */
export const COMBINE_CARTS = `ON CONFLICT (workspace_id, customer_id, cart_id) DO UPDATE
  SET first_at = LEAST(carts.first_at, excluded.first_at), updated_at = GREATEST(carts.updated_at, excluded.updated_at),
      ${laterPair('currency')}, ${laterPair('url')}`;

/** Merging `from` into `to`: the carts and their changes move (two carts without an id become one). */
export async function moveCarts(tx: Queryable, ws: string, from: string, to: string): Promise<void> {
  const args = [ws, from, to];
  await tx.query('UPDATE cart_changes SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2', args);
  await tx.query(
    `INSERT INTO carts (workspace_id, customer_id, cart_id, first_at, updated_at, currency, currency_at, url, url_at)
     SELECT workspace_id, $3, cart_id, first_at, updated_at, currency, currency_at, url, url_at FROM carts WHERE workspace_id = $1 AND customer_id = $2
     ${COMBINE_CARTS}`,
    args,
  );
  await tx.query('DELETE FROM carts WHERE workspace_id = $1 AND customer_id = $2', [ws, from]);
}
