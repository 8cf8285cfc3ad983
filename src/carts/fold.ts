// A cart's current lines (pure): its changes folded in event-time order, so the order in which they arrived never
// matters; the latest order that names the cart (or names no cart at all) empties it as of the order's time.
import type { CartChangeKind } from './events.ts';
import type { ProductFields } from './product.ts';

/** One stored change (table cart_changes). */
export interface StoredChange {
  at: Date;
  /** When it arrived, and its place in its batch: the order of changes of the same instant. */
  receivedAt: Date;
  position: number;
  messageId: string;
  lineNo: number;
  kind: CartChangeKind;
  lineKey: string;
  quantity: number | null;
  product: ProductFields;
}

/** The order that emptied the cart last. */
export interface CartClose {
  at: Date;
  orderId: string;
}

export interface CartRecord {
  /** '' for the customer's cart sent without an id. */
  cartId: string;
  /** The latest cart event's time. */
  updatedAt: Date;
  /** From the latest events that name them (table carts). */
  currency: string | null;
  url: string | null;
  changes: StoredChange[];
  closedBy: CartClose | null;
}

export interface CartItem extends ProductFields {
  quantity: number;
  /** price × quantity, rounded to cents; null when the price is unknown. */
  total: number | null;
}

/** open: it has lines; ordered: an order emptied it and nothing was added since; empty: its lines were all removed. */
export type CartStatus = 'open' | 'ordered' | 'empty';

export interface Cart {
  /** The shop's cart id; null for the customer's cart sent without one. */
  id: string | null;
  status: CartStatus;
  /** In the order they were first added (a snapshot's in its own order). */
  items: CartItem[];
  /** Units over all lines. */
  quantity: number;
  /** Σ of the lines' totals (lines without a price count nothing). */
  total: number;
  currency: string | null;
  url: string | null;
  updatedAt: string;
  /** The order that emptied it last, if one did. */
  orderId: string | null;
  orderedAt: string | null;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** Event time; at the same instant, arrival (batch, then place in it), then message id; then the event's own order. */
const byTime = (a: StoredChange, b: StoredChange) =>
  a.at.getTime() - b.at.getTime() ||
  a.receivedAt.getTime() - b.receivedAt.getTime() ||
  a.position - b.position ||
  (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : a.lineNo - b.lineNo);

/** Each field of the later product where it has one, else the earlier's. */
function laterOver(earlier: ProductFields | undefined, later: ProductFields): ProductFields {
  if (!earlier) return later;
  const out = { ...earlier };
  for (const k of Object.keys(later) as (keyof ProductFields)[])
    if (later[k] !== null) (out as Record<string, unknown>)[k] = later[k];
  return out;
}

/** The product's missing fields from the catalogue's entry. */
export function filledFrom(own: ProductFields, known: Partial<ProductFields> | undefined): ProductFields {
  if (!known) return own;
  const out = { ...own };
  for (const k of Object.keys(out) as (keyof ProductFields)[])
    if (out[k] === null && known[k] != null) (out as Record<string, unknown>)[k] = known[k];
  return out;
}

/** The lines after the changes (only those after the closing order count), and how many changes counted. */
function replay(changes: StoredChange[], after: Date | null) {
  const units = new Map<string, number>(); // insertion order = the order lines were added
  const products = new Map<string, ProductFields>();
  let counted = 0;
  for (const c of [...changes].sort(byTime)) {
    if (after && c.at <= after) continue;
    counted++;
    if (c.kind !== 'clear') products.set(c.lineKey, laterOver(products.get(c.lineKey), c.product));
    const now = units.get(c.lineKey) ?? 0;
    switch (c.kind) {
      case 'clear':
        units.clear();
        break;
      case 'set':
        units.delete(c.lineKey);
        if ((c.quantity ?? 0) > 0) units.set(c.lineKey, c.quantity!);
        break;
      case 'add':
        units.set(c.lineKey, now + (c.quantity ?? 1));
        break;
      case 'remove': {
        const left = c.quantity === null ? 0 : now - c.quantity;
        if (left > 0) units.set(c.lineKey, left);
        else units.delete(c.lineKey);
        break;
      }
      default: {
        const _: never = c.kind;
        throw new Error(`unknown cart change ${String(_)}`);
      }
    }
  }
  return { units, products, counted };
}

/**
 * The cart as it stands: the changes after the order that emptied it, in event time (ties in arrival order), each line's
 * product fields from its latest event that has them, else from the catalogue (by product id).
 */
export function foldCart(
  record: CartRecord,
  catalogue: (productId: string) => Partial<ProductFields> | undefined = () => undefined,
): Cart {
  const closed = record.closedBy;
  const { units, products, counted } = replay(record.changes, closed?.at ?? null);
  const items: CartItem[] = [...units].map(([key, quantity]) => {
    const own = products.get(key)!;
    const product = own.productId ? filledFrom(own, catalogue(own.productId)) : own;
    return { ...product, quantity, total: product.price === null ? null : cents(product.price * quantity) };
  });
  return {
    id: record.cartId === '' ? null : record.cartId,
    status: items.length > 0 ? 'open' : closed && counted === 0 ? 'ordered' : 'empty',
    items,
    quantity: items.reduce((n, i) => n + i.quantity, 0),
    total: cents(items.reduce((n, i) => n + (i.total ?? 0), 0)),
    currency: record.currency,
    url: record.url,
    updatedAt: record.updatedAt.toISOString(),
    orderId: closed?.orderId ?? null,
    orderedAt: closed ? closed.at.toISOString() : null,
  };
}
