// What a cart event means (pure): Segment's Product Added / Product Removed (one product at the top level, or several
// in products[]) and Cart Viewed / Checkout Started (the whole cart in products[]) as changes to the lines of one cart.
import { amountOf, lineKey, productFields, textOf, type ProductFields } from './product.ts';

type Props = Record<string, unknown>;

/**
 * add: `quantity` units more of a line; remove: `quantity` units fewer (null: the whole line); set: the line has
 * `quantity` units; clear: the cart is emptied (a snapshot starts with it: what it does not list is gone).
 */
export type CartChangeKind = 'add' | 'remove' | 'set' | 'clear';

export interface CartChange {
  kind: CartChangeKind;
  /** The line (lineKey of its product); '' for a clear. */
  lineKey: string;
  quantity: number | null;
  product: ProductFields | null;
}

export interface CartFact {
  /** The cart's id as the shop sends it (cart_id or cartId); '' when the event names none: the customer's own cart. */
  cartId: string;
  /** ISO 4217 code, upper case; null when the event names none. */
  currency: string | null;
  /** A link back to the cart: cart_url (cartUrl), else the page a Cart Viewed was sent from. */
  url: string | null;
  changes: CartChange[];
}

/** The events that change a cart. */
export const CART_EVENTS = ['Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started'] as const;

/** The cart id an event names (cart_id or cartId), or null. */
export function cartIdOf(p: Props): string | null {
  return textOf(p.cart_id ?? p.cartId);
}

const currencyOf = (v: unknown) => (typeof v === 'string' && /^[A-Za-z]{3}$/.test(v) ? v.toUpperCase() : null);

/** The products of the event that name a line: the one at the top level, else each object of products[]. */
function productsOf(p: Props, topLevel: boolean): { key: string; product: ProductFields; raw: Props }[] {
  const top = productFields(p);
  const topKey = lineKey(top);
  if (topLevel && topKey !== null) return [{ key: topKey, product: top, raw: p }];
  if (!Array.isArray(p.products)) return [];
  return p.products.flatMap((raw) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
    const product = productFields(raw as Props);
    const key = lineKey(product);
    return key === null ? [] : [{ key, product, raw: raw as Props }];
  });
}

/** A positive quantity, or null. */
const units = (v: unknown) => {
  const n = amountOf(v);
  return n !== null && n > 0 ? n : null;
};

/** The lines a snapshot lists, each once (a product listed twice has both quantities). */
function snapshotLines(p: Props): CartChange[] {
  const lines = new Map<string, CartChange>();
  for (const { key, product, raw } of productsOf(p, false)) {
    const quantity = amountOf(raw.quantity) ?? 1;
    const seen = lines.get(key);
    lines.set(key, { kind: 'set', lineKey: key, quantity: (seen?.quantity ?? 0) + quantity, product });
  }
  return [...lines.values()];
}

/** The changes an event makes to its cart; null when it is no cart event or changes nothing that can be kept. */
export function cartFact(event: string | null, p: Props, context: Props | null = null): CartFact | null {
  let changes: CartChange[];
  switch (event) {
    case 'Product Added':
      changes = productsOf(p, true).map(({ key, product, raw }) => ({
        kind: 'add',
        lineKey: key,
        quantity: units(raw.quantity) ?? 1,
        product,
      }));
      break;
    case 'Product Removed':
      changes = productsOf(p, true).map(({ key, product, raw }) => ({
        kind: 'remove',
        lineKey: key,
        quantity: units(raw.quantity),
        product,
      }));
      break;
    case 'Cart Viewed':
    case 'Checkout Started':
      // Only a list is a snapshot: an event without products[] says nothing about the lines (an empty list empties the cart).
      if (!Array.isArray(p.products)) return null;
      changes = [{ kind: 'clear', lineKey: '', quantity: null, product: null }, ...snapshotLines(p)];
      break;
    case null: // not a track event
    default: // any other event name
      return null;
  }
  if (changes.length === 0) return null;
  const page =
    event === 'Cart Viewed' && context?.page && typeof context.page === 'object'
      ? textOf((context.page as Props).url)
      : null;
  return {
    cartId: cartIdOf(p) ?? '',
    currency: currencyOf(p.currency),
    url: textOf(p.cart_url ?? p.cartUrl) ?? page,
    changes,
  };
}
