// The demo shop, generated (pure: the clock and the seed are arguments): customers of three markets with a year of
// Segment e-commerce events — visits, product views, carts (some left open), orders, returns — and their e-mail
// consents. Message, order and cart ids depend on the seed and the customer's number only, never on the clock, so
// filling a workspace again (even days later) stores nothing twice.
import { DEMO_PRODUCTS, type DemoProduct } from './catalogue.ts';
import { MARKETS, latin, type Market } from './people.ts';
import { seeded, type Random } from './random.ts';
import { DAY_MS } from '../time/index.ts';

export const DEMO_SEED = 2026;
export const DEMO_CUSTOMERS = 1000;
const MINUTE = 60_000;

export interface DemoConsent {
  userId: string;
  channel: 'email';
  purpose: 'marketing';
  granted: boolean;
  at: Date;
}

export interface DemoShop {
  products: readonly DemoProduct[];
  /** Segment messages, oldest first, each with its messageId. */
  messages: Record<string, unknown>[];
  consents: DemoConsent[];
  counts: { customers: number; orders: number; refunds: number; abandonedCarts: number; consents: number };
}

export interface DemoOptions {
  now: Date;
  customers?: number;
  seed?: number;
}

type Kind = 'loyal' | 'regular' | 'once' | 'browser';
const KINDS: [Kind, number][] = [
  ['loyal', 0.12],
  ['regular', 0.25],
  ['once', 0.3],
  ['browser', 0.33],
];

function weighted<T>(rnd: Random, items: readonly (readonly [T, number])[]): T {
  let x = rnd.next() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) if ((x -= w) < 0) return item;
  return items[items.length - 1]![0];
}

const ordersOf = (kind: Kind, rnd: Random) =>
  ({ loyal: rnd.int(4, 12), regular: rnd.int(2, 3), once: 1, browser: 0 })[kind];

export function generateDemoShop(opts: DemoOptions): DemoShop {
  const now = opts.now.getTime();
  const rnd = seeded(opts.seed ?? DEMO_SEED);
  const shop: DemoShop = {
    products: DEMO_PRODUCTS,
    messages: [],
    consents: [],
    counts: { customers: 0, orders: 0, refunds: 0, abandonedCarts: 0, consents: 0 },
  };
  const total = opts.customers ?? DEMO_CUSTOMERS;
  for (let n = 1; n <= total; n++) customer(shop, rnd, n, now);
  shop.counts.customers = total;
  shop.counts.consents = shop.consents.length;
  shop.messages.sort(
    (a, b) =>
      (a.timestamp as string).localeCompare(b.timestamp as string) ||
      (a.messageId as string).localeCompare(b.messageId as string),
  );
  return shop;
}

/** A time on the day `daysAgo` days before now, in the customer's daytime (9:00–21:59 local), never after now. */
function daytime(rnd: Random, market: Market, now: number, daysAgo: number): number {
  const day = Math.floor((now - daysAgo * DAY_MS) / DAY_MS) * DAY_MS;
  const at = day + (rnd.int(9, 21) - market.utcOffset) * 3_600_000 + rnd.int(0, 59) * MINUTE;
  return Math.min(at, now - rnd.int(30, 180) * MINUTE);
}

function customer(shop: DemoShop, rnd: Random, n: number, now: number) {
  const market = weighted(
    rnd,
    MARKETS.map((m) => [m, m.weight] as const),
  );
  const female = rnd.chance(0.55);
  const first = rnd.pick(female ? market.first.female : market.first.male);
  const lastEntry = rnd.pick(market.last);
  const last = typeof lastEntry === 'string' ? lastEntry : lastEntry[female ? 1 : 0];
  const kind = weighted(rnd, KINDS);
  const orders = ordersOf(kind, rnd);
  const userId = `demo-${n}`;
  const anonymousId = `demo-anon-${n}`;
  const context = { locale: market.locale, timezone: market.timeZone };
  let seq = 0;
  const push = (at: number, message: Record<string, unknown>) =>
    shop.messages.push({
      ...message,
      messageId: `demo:${n}:${seq++}`,
      timestamp: new Date(at).toISOString(),
      context: { ...context, ...(message.context as object) },
    });

  // Arrival: a visit as a stranger, then sign-up (identify links the visit to the user).
  const joinedDaysAgo = kind === 'loyal' || kind === 'regular' ? rnd.int(90, 364) : rnd.int(2, 364);
  const joined = daytime(rnd, market, now, joinedDaysAgo);
  push(joined, {
    type: 'page',
    anonymousId,
    name: 'Home',
    properties: { path: '/', url: 'https://shop.example.com/' },
  });
  push(joined + MINUTE, {
    type: 'track',
    anonymousId,
    event: 'Product Viewed',
    properties: productProps(rnd.pick(DEMO_PRODUCTS)),
  });
  const email = `${latin(first)}.${latin(last)}.${n}@${market.domain}`;
  const traits: Record<string, unknown> = { first_name: first, last_name: last, email, country: market.country };
  if (market.code === 'en-gb') traits.phone = `+447700900${String(n % 1000).padStart(3, '0')}`;
  push(joined + 3 * MINUTE, { type: 'identify', userId, anonymousId, traits });

  // E-mail consent at sign-up for most; a few change their mind later.
  if (rnd.chance(0.65)) {
    shop.consents.push({
      userId,
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      at: new Date(joined + 3 * MINUTE),
    });
    if (rnd.chance(0.08))
      shop.consents.push({
        userId,
        channel: 'email',
        purpose: 'marketing',
        granted: false,
        at: new Date(daytime(rnd, market, now, rnd.int(0, joinedDaysAgo - 1))),
      });
  }

  // Activity ends recently, or months ago for the customers who drifted away.
  const lapsed = kind !== 'browser' && rnd.chance(0.3) && joinedDaysAgo > 150;
  const lastDaysAgo = lapsed ? rnd.int(120, joinedDaysAgo - 20) : rnd.int(0, Math.min(30, joinedDaysAgo - 1));
  const sessionDays = Array.from({ length: orders }, () => rnd.int(lastDaysAgo, joinedDaysAgo - 1)).sort(
    (a, b) => b - a,
  );
  sessionDays.forEach((daysAgo, s) => order(shop, rnd, { n, s, userId, market, now, daysAgo, push }));

  // Browsing without buying; some leave a cart behind.
  const visits = kind === 'browser' ? rnd.int(1, 4) : rnd.int(0, 2);
  for (let v = 0; v < visits; v++) {
    const at = daytime(rnd, market, now, rnd.int(lastDaysAgo, joinedDaysAgo - 1));
    push(at, { type: 'page', userId, name: 'Catalogue', properties: { path: '/catalogue' } });
    const product = rnd.pick(DEMO_PRODUCTS);
    push(at + MINUTE, { type: 'track', userId, event: 'Product Viewed', properties: productProps(product) });
    if (rnd.chance(0.35)) {
      push(at + 2 * MINUTE, {
        type: 'track',
        userId,
        event: 'Product Added',
        properties: { cart_id: `demo-cart-${n}-v${v}`, ...productProps(product), quantity: 1, currency: 'EUR' },
      });
      shop.counts.abandonedCarts++;
    }
  }
}

interface OrderPlace {
  n: number;
  s: number;
  userId: string;
  market: Market;
  now: number;
  daysAgo: number;
  push: (at: number, message: Record<string, unknown>) => void;
}

/** One buying visit: views, a cart, checkout, the order; sometimes a return days later. */
function order(shop: DemoShop, rnd: Random, o: OrderPlace) {
  const at = daytime(rnd, o.market, o.now, o.daysAgo);
  const cartId = `demo-cart-${o.n}-${o.s}`;
  const orderId = `demo-order-${o.n}-${o.s}`;
  const picked = new Map<string, { product: DemoProduct; quantity: number }>();
  for (let i = rnd.int(1, 3); i > 0; i--) {
    const product = rnd.pick(DEMO_PRODUCTS);
    const line = picked.get(product.id) ?? { product, quantity: 0 };
    line.quantity += rnd.chance(0.8) ? 1 : 2;
    picked.set(product.id, line);
  }
  const lines = [...picked.values()];
  let t = at;
  for (const { product, quantity } of lines) {
    o.push((t += MINUTE), {
      type: 'track',
      userId: o.userId,
      event: 'Product Viewed',
      properties: productProps(product),
    });
    o.push((t += MINUTE), {
      type: 'track',
      userId: o.userId,
      event: 'Product Added',
      properties: { cart_id: cartId, ...productProps(product), quantity, currency: 'EUR' },
    });
  }
  const products = lines.map(({ product, quantity }) => ({ ...productProps(product), quantity }));
  const total = round2(lines.reduce((sum, l) => sum + l.product.price * l.quantity, 0));
  o.push((t += MINUTE), {
    type: 'track',
    userId: o.userId,
    event: 'Checkout Started',
    properties: { cart_id: cartId, products, value: total, currency: 'EUR' },
  });
  o.push((t += 2 * MINUTE), {
    type: 'track',
    userId: o.userId,
    event: 'Order Completed',
    properties: { orderId, cart_id: cartId, total, currency: 'EUR', products },
  });
  shop.counts.orders++;
  // A return of one line, 3 to 14 days later, for about one order in twelve (when that day has come).
  const returnedAt = t + rnd.int(3, 14) * DAY_MS;
  if (rnd.chance(0.08) && returnedAt < o.now) {
    const back = rnd.pick(lines);
    o.push(returnedAt, {
      type: 'track',
      userId: o.userId,
      event: 'Order Refunded',
      properties: {
        orderId,
        total: round2(back.product.price * back.quantity),
        currency: 'EUR',
        products: [{ ...productProps(back.product), quantity: back.quantity }],
        reason: 'returned',
      },
    });
    shop.counts.refunds++;
  }
}

const productProps = (p: DemoProduct) => ({ product_id: p.id, name: p.name, category: p.category, price: p.price });
const round2 = (v: number) => Math.round(v * 100) / 100;
