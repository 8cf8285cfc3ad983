// Seeded synthetic traffic (deterministic PRNG): visitor sessions as a Segment client (analytics.js + server) sends them.
//
// Per session: page views and Product Viewed with an anonymousId, sometimes Product Added; about a third of the
// sessions identify (anonymousId → userId, email and phone traits; 40 % of those are returning users, whose new
// device is linked to their profile), and 60 % of identified sessions complete an order of 1–4 products. Some
// sessions start with a server-side Order Refunded of an earlier order of the same stream. Every event carries the
// context analytics.js sends (library, page, userAgent, ip, locale, timezone).

export type Message = Record<string, unknown>;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = ['Kitchen', 'Garden', 'Bath', 'Lighting', 'Textiles', 'Toys', 'Stationery', 'Outdoor'];
const FIRST = ['Ann', 'Bob', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Inès', 'João', 'Kofi', 'Lena'];
const LAST = ['Smith', 'Müller', 'García', 'Rossi', 'Nowak', 'Dubois', 'Jensen', 'Silva', 'Khan', 'Tanaka'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
];
const ZONES = [
  ['en-GB', 'Europe/London'],
  ['de-DE', 'Europe/Berlin'],
  ['fr-FR', 'Europe/Paris'],
  ['en-US', 'America/New_York'],
] as const;
const PRODUCTS = 2_000;

export interface StreamOptions {
  seed: number;
  /** Prefix that keeps ids of different streams (clients, runs) apart. */
  prefix: string;
  /** Start of the event times (ms). */
  start?: number;
}

/** An endless, deterministic event stream; call next() for the next event. */
export function eventStream(opts: StreamOptions) {
  const rnd = prng(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const hex = (n: number) => {
    let s = '';
    while (s.length < n)
      s += Math.floor(rnd() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return s.slice(0, n);
  };
  const uuid = () => {
    const h = hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  let clock = opts.start ?? Date.UTC(2026, 0, 1);
  let seq = 0;
  let users = 0;
  const orders: { orderId: string; userId: string; total: number }[] = [];
  const queue: Message[] = [];

  const product = () => {
    const n = int(1, PRODUCTS);
    return {
      product_id: `p-${n}`,
      sku: `SKU-${String(n).padStart(5, '0')}`,
      name: `Product ${n}`,
      category: CATEGORIES[n % CATEGORIES.length]!,
      price: Math.round((3 + (n % 97) * 1.37) * 100) / 100,
      currency: 'EUR',
    };
  };

  function session() {
    const anonymousId = uuid();
    const [locale, timezone] = pick(ZONES);
    const userAgent = pick(AGENTS);
    const ip = `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
    let userId: string | undefined;
    const push = (m: Message, path: string, title: string) => {
      clock += int(2_000, 40_000);
      queue.push({
        ...m,
        messageId: `${opts.prefix}-${(seq++).toString(36)}-${hex(12)}`,
        anonymousId,
        ...(userId ? { userId } : {}),
        timestamp: new Date(clock).toISOString(),
        context: {
          library: { name: 'analytics.js', version: 'npm:next-1.72.0' },
          page: { path, url: `https://shop.example.com${path}`, title, referrer: 'https://www.google.com/' },
          userAgent,
          ip,
          locale,
          timezone,
        },
      });
    };
    const page = (path: string, name: string) =>
      push(
        { type: 'page', name, properties: { path, url: `https://shop.example.com${path}`, title: name, referrer: '' } },
        path,
        name,
      );

    // A refund of an earlier order of this stream, sent server side (userId only, no context from a browser).
    if (orders.length > 0 && rnd() < 0.03) {
      const o = orders[Math.floor(rnd() * orders.length)]!;
      clock += 1_000;
      queue.push({
        type: 'track',
        event: 'Order Refunded',
        messageId: `${opts.prefix}-${(seq++).toString(36)}-${hex(12)}`,
        userId: o.userId,
        timestamp: new Date(clock).toISOString(),
        properties: { orderId: o.orderId, total: Math.round(o.total * 0.5 * 100) / 100, currency: 'EUR' },
        context: { library: { name: 'analytics-node', version: '2.1.0' } },
      });
    }

    page('/', 'Home');
    const views = int(1, 5);
    const cart: ReturnType<typeof product>[] = [];
    for (let i = 0; i < views; i++) {
      const p = product();
      page(`/products/${p.product_id}`, p.name);
      push({ type: 'track', event: 'Product Viewed', properties: { ...p } }, `/products/${p.product_id}`, p.name);
      if (rnd() < 0.25) {
        cart.push(p);
        push(
          { type: 'track', event: 'Product Added', properties: { ...p, quantity: 1, cart_id: anonymousId } },
          `/products/${p.product_id}`,
          p.name,
        );
      }
    }
    if (rnd() < 0.35) {
      const returning = users > 0 && rnd() < 0.4;
      const n = returning ? int(1, users) : ++users;
      userId = `${opts.prefix}-u${n}`;
      const first = FIRST[n % FIRST.length]!;
      const last = LAST[n % LAST.length]!;
      page('/login', 'Sign in');
      push(
        {
          type: 'identify',
          traits: {
            email: `${first}.${last}.${opts.prefix}.${n}@example.com`.toLowerCase(),
            phone: `+447700${String(900000 + (n % 100000)).padStart(6, '0')}`,
            firstName: first,
            lastName: last,
            plan: n % 5 === 0 ? 'gold' : 'standard',
          },
        },
        '/login',
        'Sign in',
      );
      if (rnd() < 0.6) {
        while (cart.length < 1 || (cart.length < 4 && rnd() < 0.4)) cart.push(product());
        const products = cart.slice(0, 4).map((p) => ({ ...p, quantity: int(1, 3) }));
        const total = Math.round(products.reduce((s, p) => s + p.price * p.quantity, 0) * 100) / 100;
        const orderId = `${opts.prefix}-o${seq}`;
        page('/checkout', 'Checkout');
        push(
          {
            type: 'track',
            event: 'Order Completed',
            properties: { orderId, total, revenue: total, currency: 'EUR', products },
          },
          '/checkout/done',
          'Thank you',
        );
        orders.push({ orderId, userId, total });
        if (orders.length > 500) orders.shift();
      }
    }
  }

  return {
    next(): Message {
      while (queue.length === 0) session();
      return queue.shift()!;
    },
  };
}

/** The next `count` events of a stream, cut into batches of `size`. */
export function batches(stream: ReturnType<typeof eventStream>, count: number, size: number): Message[][] {
  const out: Message[][] = [];
  for (let done = 0; done < count; ) {
    const n = Math.min(size, count - done);
    const b: Message[] = [];
    for (let i = 0; i < n; i++) b.push(stream.next());
    out.push(b);
    done += n;
  }
  return out;
}
