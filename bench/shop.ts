// A seeded synthetic shop for the segment and model benchmarks, loaded straight into the tables (not through ingest):
// customers whose purchase histories are drawn from a BG/NBD process (src/models/simulate.ts), order values from
// Gamma-Gamma, and an event log of Order Completed (one per order), Product Viewed and page events, with every
// aggregate the product keeps at ingest consistent with those rows: customers (first/last seen, first/last order,
// orders_count, purchase_days, revenue), customer_event_counters, customer_purchase_days, orders, identities.
//
// How it is fast: JavaScript draws one small row per customer (x, t_x, T in days, spend rate ν, how many views and
// pages, the browsing window) and COPYs it into a staging table; SQL then expands it with generate_series, every
// other random number coming from a hash of (customer, item, salt) — so the same expression recomputes an event's
// time exactly where the aggregates need it. The bulk-loaded tables' indexes are dropped during the load and rebuilt
// after it (same definitions), then everything is VACUUMed and ANALYZEd. On PostgreSQL the expansion runs on several connections.
import type { Db } from '../src/store/db.ts';
import type { BgNbdParams } from '../src/models/bgnbd.ts';
import type { GammaGammaParams } from '../src/models/gammagamma.ts';
import { randomGamma, seededRandom, simulateBgNbd } from '../src/models/simulate.ts';

const DAY_S = 86_400;

export interface ShopOptions {
  customers: number;
  /** Total events (Order Completed + Product Viewed + page), at least the number of orders; without it, only the
   * orders' Order Completed events (enough for the models, which read orders and purchase days). */
  events?: number;
  seed?: number;
  /** The calibration end day: every purchase is on or before it; "now" of the shop is the midnight after it. */
  calibrationEnd?: string;
  cohortDays?: number;
  bgnbd?: BgNbdParams;
  /** Gamma-Gamma spend; p must be an integer (order values are sums of p exponentials). */
  spend?: GammaGammaParams;
  /** Concurrent connections for the expansion (PostgreSQL). Default 2. */
  parallel?: number;
  log?: (msg: string) => void;
}

export const SHOP_DEFAULTS = {
  seed: 20_260_101,
  calibrationEnd: '2025-12-31',
  cohortDays: 730,
  // CDNOW-like purchase process (weeks) and spend (dollars): r, α, a, b and p, q, γ
  bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 } as BgNbdParams,
  spend: { p: 6, q: 3.7, gamma: 15 } as GammaGammaParams,
};

export interface Shop {
  customers: number;
  orders: number;
  events: { total: number; orders: number; views: number; pages: number };
  repeatBuyers: number;
  calibrationEnd: string;
  /** The shop's clock: the midnight after the calibration end day. */
  now: Date;
  params: { bgnbd: BgNbdParams; spend: GammaGammaParams };
  /** Seconds per load phase. */
  phases: Record<string, number>;
  seconds: number;
}

/** Bulk-loaded tables: their indexes and primary keys are dropped for the load and rebuilt after it. */
const TABLES = ['customers', 'identities', 'events', 'customer_event_counters', 'customer_purchase_days', 'orders'];

interface IndexDef {
  table: string;
  name: string;
  constraint: string | null; // constraint definition when the index backs a PRIMARY KEY / UNIQUE constraint
  def: string;
}

async function indexDefs(db: Db): Promise<IndexDef[]> {
  return db.query<IndexDef>(
    `SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(i.oid) AS def,
            (SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.conindid = i.oid AND k.conrelid = t.oid) AS constraint
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[]) ORDER BY t.relname, i.relname`,
    [TABLES],
  );
}

/** SQL helpers in the (throw-away) bench database: uniform numbers from a hash, and the times derived from them. */
const FUNCTIONS = [
  // uniform in [0, 1) from 53 bits of hashint8extended(key, salt)
  `CREATE OR REPLACE FUNCTION bench_u(k bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
     $$ SELECT ((hashint8extended(k, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$`,
  // the j-th of n events spread over [b0, b1] (epoch seconds), one per slot: slot j is ((j−1)/n, j/n]
  `CREATE OR REPLACE FUNCTION bench_at(b0 float8, b1 float8, id bigint, j int, n int, salt bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
     $$ SELECT to_timestamp(b0 + (b1 - b0) * (j - bench_u(id * 65536 + j, salt)) / n) $$`,
];

function csvChunks(rows: number, line: (i: number) => string, size = 50_000): string[] {
  const out: string[] = [];
  for (let start = 0; start < rows; start += size) {
    const parts: string[] = [];
    for (let i = start; i < Math.min(rows, start + size); i++) parts.push(line(i));
    out.push(parts.join('\n') + '\n');
  }
  return out;
}

/** Loads the shop into workspace `ws` of a freshly migrated database (its tables must be empty). */
export async function loadShop(db: Db, ws: string, options: ShopOptions): Promise<Shop> {
  const log = options.log ?? (() => {});
  const o = { ...SHOP_DEFAULTS, ...options };
  const n = o.customers;
  if (!Number.isInteger(o.spend.p) || o.spend.p < 1 || o.spend.p > 12)
    throw new Error('spend.p must be an integer 1…12');
  const parallel = db.kind === 'postgres' ? Math.max(1, o.parallel ?? 2) : 1;
  const phases: Record<string, number> = {};
  const started = performance.now();
  let t = performance.now();
  const phase = (name: string) => {
    phases[name] = +((performance.now() - t) / 1000).toFixed(2);
    log(`  ${name}: ${phases[name]} s`);
    t = performance.now();
  };

  // ---- 1. per-customer draws in JavaScript ----
  const rng = seededRandom(o.seed);
  const rf = simulateBgNbd(o.bgnbd, n, { rng, cohortDays: o.cohortDays });
  const x = new Int32Array(n);
  const span = new Int32Array(n);
  const age = new Int32Array(n);
  const nu = new Float64Array(n);
  const weight = new Float64Array(n);
  const pre = new Int32Array(n);
  const tail = new Float64Array(n);
  let orders = 0;
  let repeatBuyers = 0;
  let weights = 0;
  for (let i = 0; i < n; i++) {
    const r = rf[i]!;
    x[i] = r.x;
    span[i] = Math.round(r.tx * 7);
    age[i] = Math.round(r.T * 7);
    orders += r.x + 1;
    if (r.x > 0) repeatBuyers++;
    nu[i] = randomGamma(rng, o.spend.q, o.spend.gamma); // spend rate: order values ~ Gamma(p, ν)
    weight[i] = (r.x + 1) * randomGamma(rng, 2, 2); // browsing: more for frequent buyers, times an intensity of mean 1
    weights += weight[i];
    pre[i] = Math.floor(rng() * 14); // days of browsing before the first order
    tail[i] = rng(); // browsing goes on for this share of the time from the last order to now
  }
  rf.length = 0;
  const extra = o.events === undefined ? 0 : o.events - orders;
  if (extra < 0) throw new Error(`${o.events} events are fewer than the ${orders} orders`);
  // views + pages per customer ∝ weight, rounded so that the total is exactly `extra`
  const browse = new Int32Array(n);
  let assigned = 0;
  for (let i = 0; i < n && extra > 0; i++) {
    browse[i] = Math.floor((weight[i] * extra) / weights + rng());
    assigned += browse[i];
  }
  for (let i = 0; assigned !== extra; i = (i + 1) % n) {
    if (assigned < extra) {
      browse[i]++;
      assigned++;
    } else if (browse[i] > 0) {
      browse[i]--;
      assigned--;
    }
  }
  const views = new Int32Array(n);
  let viewTotal = 0;
  for (let i = 0; i < n; i++) {
    views[i] = Math.round(browse[i] * (0.6 + 0.2 * rng())); // ~70 % product views, the rest pages
    viewTotal += views[i];
  }
  phase('draw (JavaScript)');

  const calStart = Date.parse(`${o.calibrationEnd}T00:00:00Z`) / 1000;
  const now = new Date((calStart + DAY_S) * 1000);
  for (const f of FUNCTIONS) await db.query(f);
  await db.query(`CREATE TABLE bench_shop (id bigint PRIMARY KEY, x int NOT NULL, span int NOT NULL, age int NOT NULL, nu float8 NOT NULL,
    views int NOT NULL, pages int NOT NULL, pre int NOT NULL, tail float8 NOT NULL)`);
  const chunks = csvChunks(
    n,
    (i) => `${i + 1},${x[i]},${span[i]},${age[i]},${nu[i]},${views[i]},${browse[i] - views[i]},${pre[i]},${tail[i]}`,
  );
  for (const c of chunks)
    await db.copyCsv('bench_shop', ['id', 'x', 'span', 'age', 'nu', 'views', 'pages', 'pre', 'tail'], c);
  phase('staging COPY');

  // ---- 2. drop the indexes of the bulk-loaded tables ----
  const defs = await indexDefs(db);
  for (const d of defs) {
    await db.query(d.constraint ? `ALTER TABLE ${d.table} DROP CONSTRAINT ${d.name}` : `DROP INDEX ${d.name}`);
  }

  // ---- 3. expand in SQL, by ranges of customer ids on `parallel` connections ----
  const ranges = Array.from(
    { length: parallel },
    (_, k) => [Math.floor((k * n) / parallel) + 1, Math.floor(((k + 1) * n) / parallel)] as const,
  );
  const each = (sql: string, params: unknown[] = []) =>
    Promise.all(ranges.map(([lo, hi]) => db.query(sql, [ws, lo, hi, ...params])));

  // orders: day k of x+1 purchase days evenly over [first, last]; value = Gamma(p, ν) as a sum of p exponentials
  const gammaSum = Array.from({ length: o.spend.p }, (_, j) => `ln(1 - bench_u(s.id * 65536 + k, ${100 + j}))`).join(
    ' + ',
  );
  await each(
    `INSERT INTO orders (workspace_id, order_id, customer_id, status, total, refunded, currency, placed_at, message_id)
     SELECT $1, 'O' || s.id || '-' || k, s.id, 'completed', greatest(round((-(${gammaSum}) / s.nu)::numeric, 2), 0.01), 0, 'USD',
            to_timestamp($4::float8 + (CASE WHEN s.x = 0 THEN 0 ELSE (k * s.span) / s.x END - s.age) * ${DAY_S} + bench_u(s.id * 65536 + k, 1) * ${DAY_S}),
            'o' || s.id || '-' || k
       FROM bench_shop s, generate_series(0, s.x) AS k WHERE s.id BETWEEN $2 AND $3`,
    [calStart],
  );
  phase('orders');
  await each(
    `INSERT INTO customer_purchase_days (workspace_id, customer_id, day)
     SELECT $1, customer_id, (placed_at AT TIME ZONE 'UTC')::date FROM orders WHERE workspace_id = $1 AND customer_id BETWEEN $2 AND $3`,
  );
  phase('customer_purchase_days');
  // per customer: first/last order, revenue, and the browsing window [b0, b1] in epoch seconds
  await db.query(
    `CREATE TABLE bench_cust AS
    SELECT s.id, s.x, s.views, s.pages, o.first_order, o.last_order, o.revenue,
           extract(epoch FROM o.first_order)::float8 - (s.pre + bench_u(s.id, 7)) * ${DAY_S} AS b0,
           extract(epoch FROM o.last_order)::float8 + s.tail * ($2::float8 - extract(epoch FROM o.last_order)::float8) AS b1
      FROM bench_shop s JOIN (
        SELECT customer_id, min(placed_at) AS first_order, max(placed_at) AS last_order, sum(total) AS revenue
          FROM orders WHERE workspace_id = $1 GROUP BY customer_id) o ON o.customer_id = s.id`,
    [ws, calStart + DAY_S],
  );
  await db.query('ALTER TABLE bench_cust ADD PRIMARY KEY (id)');
  phase('per-customer facts');

  await each(
    `INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, properties, timestamp, received_at)
     SELECT $1, message_id, customer_id, 'track', 'Order Completed', 'u' || customer_id,
            jsonb_build_object('orderId', order_id, 'total', total, 'currency', currency), placed_at, placed_at
       FROM orders WHERE workspace_id = $1 AND customer_id BETWEEN $2 AND $3`,
  );
  phase('events: Order Completed');
  await each(
    `INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, properties, timestamp, received_at)
     SELECT $1, 'v' || c.id || '-' || j, c.id, 'track', 'Product Viewed', 'u' || c.id,
            jsonb_build_object('productId', 'p' || (hashint8extended(c.id * 65536 + j, 21) & 4095)), t.at, t.at
       FROM bench_cust c, generate_series(1, c.views) AS j, LATERAL (SELECT bench_at(c.b0, c.b1, c.id, j, c.views, 3) AS at) t
      WHERE c.id BETWEEN $2 AND $3`,
  );
  phase('events: Product Viewed');
  await each(
    `INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, properties, timestamp, received_at)
     SELECT $1, 'p' || c.id || '-' || j, c.id, 'page', NULL, 'u' || c.id,
            jsonb_build_object('path', '/c/' || (hashint8extended(c.id * 65536 + j, 22) & 255)), t.at, t.at
       FROM bench_cust c, generate_series(1, c.pages) AS j, LATERAL (SELECT bench_at(c.b0, c.b1, c.id, j, c.pages, 4) AS at) t
      WHERE c.id BETWEEN $2 AND $3`,
  );
  phase('events: page');

  // aggregates: the first and last view/page are the slot-1 and slot-n expressions above, recomputed exactly
  await each(
    `INSERT INTO customer_event_counters (workspace_id, customer_id, name, count, first_at, last_at)
     SELECT $1, c.id, 'Order Completed', c.x + 1, c.first_order, c.last_order FROM bench_cust c WHERE c.id BETWEEN $2 AND $3
     UNION ALL
     SELECT $1, c.id, 'Product Viewed', c.views, bench_at(c.b0, c.b1, c.id, 1, c.views, 3), bench_at(c.b0, c.b1, c.id, c.views, c.views, 3)
       FROM bench_cust c WHERE c.views > 0 AND c.id BETWEEN $2 AND $3
     UNION ALL
     SELECT $1, c.id, 'page', c.pages, bench_at(c.b0, c.b1, c.id, 1, c.pages, 4), bench_at(c.b0, c.b1, c.id, c.pages, c.pages, 4)
       FROM bench_cust c WHERE c.pages > 0 AND c.id BETWEEN $2 AND $3`,
  );
  await each(
    `INSERT INTO customers (workspace_id, id, user_id, created_at, first_seen, last_seen, first_order_at, last_order_at,
                            orders_count, purchase_days, revenue_total, revenue_net)
     SELECT $1, k.customer_id, 'u' || k.customer_id, min(k.first_at), min(k.first_at), max(k.last_at), c.first_order, c.last_order,
            c.x + 1, c.x + 1, c.revenue, c.revenue
       FROM customer_event_counters k JOIN bench_cust c ON c.id = k.customer_id
      WHERE k.workspace_id = $1 AND k.customer_id BETWEEN $2 AND $3
      GROUP BY k.customer_id, c.first_order, c.last_order, c.x, c.revenue`,
  );
  await each(
    `INSERT INTO identities (workspace_id, kind, value, customer_id) SELECT $1, 'user', 'u' || id, id FROM bench_cust WHERE id BETWEEN $2 AND $3`,
  );
  await db.query(`SELECT setval('customer_ids', $1::bigint)`, [n]);
  phase('customers, counters, identities');

  // ---- 4. rebuild the indexes (same definitions), then planner statistics ----
  const build = async (sql: string) => {
    if (db.kind === 'postgres') {
      await db.transaction(async (tx) => {
        await tx.query(`SET LOCAL maintenance_work_mem = '2GB'`);
        await tx.query(sql);
      });
    } else await db.query(sql);
  };
  for (const d of defs) {
    const t0 = performance.now();
    await build(d.constraint ? `ALTER TABLE ${d.table} ADD CONSTRAINT ${d.name} ${d.constraint}` : d.def);
    if (performance.now() - t0 > 2000) log(`    index ${d.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  phase('indexes');
  await db.query('DROP TABLE bench_shop');
  await db.query('DROP TABLE bench_cust');
  // What autovacuum would have done by now on a live shop (this test server runs with autovacuum=off): hint bits
  // and the visibility map set, statistics gathered — so the first measured query does not pay for the bulk load.
  await db.query('VACUUM (ANALYZE)');
  if (db.kind === 'postgres') await db.query('CHECKPOINT');
  phase('VACUUM ANALYZE, CHECKPOINT');

  return {
    customers: n,
    orders,
    events: { total: orders + extra, orders, views: viewTotal, pages: extra - viewTotal },
    repeatBuyers,
    calibrationEnd: o.calibrationEnd,
    now,
    params: { bgnbd: o.bgnbd, spend: o.spend },
    phases,
    seconds: +((performance.now() - started) / 1000).toFixed(1),
  };
}

/**
 * Consistency of the loaded aggregates with the rows (a full scan of the events: for small shops and checks).
 * Returns the problems found, empty when everything agrees.
 */
export async function checkShop(db: Db, ws: string): Promise<string[]> {
  const problems: string[] = [];
  const [a] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT customer_id, CASE WHEN type = 'track' THEN name ELSE type END AS name, count(*) AS count, min(timestamp) AS first_at, max(timestamp) AS last_at
         FROM events WHERE workspace_id = $1 GROUP BY 1, 2
       EXCEPT SELECT customer_id, name, count, first_at, last_at FROM customer_event_counters WHERE workspace_id = $1) d`,
    [ws],
  );
  if (a!.n) problems.push(`${a!.n} event counters disagree with the events`);
  const [b] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM customers c LEFT JOIN (
       SELECT customer_id, min(timestamp) AS first_seen, max(timestamp) AS last_seen FROM events WHERE workspace_id = $1 GROUP BY 1) e ON e.customer_id = c.id
       LEFT JOIN (SELECT customer_id, count(*)::int AS n, sum(total) AS revenue, min(placed_at) AS first_at, max(placed_at) AS last_at
                    FROM orders WHERE workspace_id = $1 GROUP BY 1) o ON o.customer_id = c.id
       LEFT JOIN (SELECT customer_id, count(*)::int AS n FROM customer_purchase_days WHERE workspace_id = $1 GROUP BY 1) p ON p.customer_id = c.id
      WHERE c.workspace_id = $1 AND (c.first_seen IS DISTINCT FROM e.first_seen OR c.last_seen IS DISTINCT FROM e.last_seen
         OR c.orders_count IS DISTINCT FROM o.n OR c.revenue_total IS DISTINCT FROM o.revenue OR c.first_order_at IS DISTINCT FROM o.first_at
         OR c.last_order_at IS DISTINCT FROM o.last_at OR c.purchase_days IS DISTINCT FROM p.n)`,
    [ws],
  );
  if (b!.n) problems.push(`${b!.n} customers' aggregates disagree with their events, orders and purchase days`);
  return problems;
}
