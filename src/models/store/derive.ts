// What the models read, derived in SQL from customer_purchase_days (distinct UTC purchase days) and orders, as of a
// calibration end day (inclusive), with the rules of the standard CDNOW summary (src/models/summary.ts):
//   x = purchase days − 1, t_x = (last − first day) / 7, T = (calibration end − first day) / 7, both rounded to
//   2 decimals; zbar = net value (total − refunded) of the completed orders on the repeat days / x.
// Both read the same set-based statement per batch of customer ids: the calibration pass (fits and RFM breaks) keeps
// O(distinct (x, t_x, T) + repeat buyers) in memory, scoring keeps one batch.
import type { Db, Queryable } from '../../store/index.ts';
import type { GroupedSummaries } from '../summary.ts';
import type { SpendSummary } from '../gammagamma.ts';
import type { RfmBreaks } from '../rfm.ts';
import { quintileBreaks } from '../rfm.ts';
import { SCORE_NAMES, scoreValues, type ScoreColumns, type ScoreName, type ScoreValues } from '../../scores/index.ts';
import { DAY_MS } from '../../time/index.ts';

/** Days → weeks rounded to 2 decimals, exactly as summarizeTransactions does by default. */
export const weeks = (days: number) => Math.round((days * 100) / 7) / 100;

/** A calibration end as a UTC calendar day, and the first instant after it. */
export interface Calibration {
  /** YYYY-MM-DD */
  day: string;
  /** Start of the next UTC day: orders placed before it are in the calibration period. */
  cutoff: Date;
  /** Start of the calibration end day (the scoring clock for day-based rules). */
  start: Date;
}

export function calibrationOf(end: Date | string): Calibration {
  const d = typeof end === 'string' ? parseDay(end) : end;
  if (!Number.isFinite(d.getTime())) throw new RangeError(`not a date: ${String(end)}`);
  const dayNo = Math.floor(d.getTime() / DAY_MS);
  return {
    day: new Date(dayNo * DAY_MS).toISOString().slice(0, 10),
    cutoff: new Date((dayNo + 1) * DAY_MS),
    start: new Date(dayNo * DAY_MS),
  };
}

/** Parses YYYY-MM-DD (a UTC day) or a full ISO timestamp; throws RangeError with the value otherwise. */
export function parseDay(s: string): Date {
  const d = /^\d{4}-\d\d-\d\d$/.test(s)
    ? new Date(`${s}T00:00:00Z`)
    : /^\d{4}-\d\d-\d\dT/.test(s)
      ? new Date(s)
      : new Date(NaN);
  if (!Number.isFinite(d.getTime())) throw new RangeError(`"${s}" is not a date: write YYYY-MM-DD`);
  return d;
}

export interface GroupedCalibration extends GroupedSummaries {
  /** Customers with at least two purchase days. */
  repeatBuyers: number;
}

/** Everything scoring needs about one customer, as of the calibration end (nulls: no purchase by then). */
export interface CustomerFacts {
  id: string;
  userId: string | null;
  previous: PreviousScores;
  /** Distinct purchase days up to the calibration end; null when none. */
  days: number | null;
  /** Days from the first / last purchase day to the calibration end day. */
  ageDays: number | null;
  recencyDays: number | null;
  spanDays: number | null;
  /** Completed orders and their net value up to the calibration end. */
  orders: number;
  net: number;
  /** Net value of the completed orders on repeat days (after the first purchase day). */
  repeatValue: number;
  /** Time of the latest completed order up to the calibration end. */
  lastOrderAt: Date | null;
}

/** The scores stored on the customer before this run (what a new score is compared with). */
export interface PreviousScores extends ScoreValues {
  scoredAt: Date | null;
  /** The last order that scoring saw (the lifecycle compares the last order with it). */
  lastOrderSeen: Date | null;
}

/**
 * The per-customer facts of the customers with ids in (lo, hi], as one set-based statement: purchase days grouped on
 * their primary key, completed orders grouped and joined to the first purchase day (for the repeat value). The batch
 * comes back as one row of JSON arrays, one per column (all in the same row order): one JSON.parse per column
 * instead of a parsed field per customer and column, which was most of the process's time. Timestamps are epoch
 * milliseconds. `columns` adds columns of `customers c`.
 */
const factsSql = (columns: Record<string, string>) => {
  const all: Record<string, string> = {
    days: 'd.days',
    age: '$2::date - d.first',
    recency: '$2::date - d.last',
    span: 'd.last - d.first',
    orders: 'o.orders',
    net: 'o.net',
    repeat_value: 'o.repeat_value',
    last_ms: '(extract(epoch FROM o.last_at) * 1000)::float8',
    ...columns,
  };
  return `
  WITH d AS (
    SELECT customer_id, min(day) AS first, max(day) AS last, count(*)::int AS days FROM customer_purchase_days
     WHERE workspace_id = $1 AND customer_id > $4::bigint AND customer_id <= $5::bigint AND day <= $2::date GROUP BY customer_id
  ), o AS (
    SELECT o.customer_id, count(*)::int AS orders, sum(o.total - o.refunded)::float8 AS net, max(o.placed_at) AS last_at,
           (sum(o.total - o.refunded) FILTER (WHERE o.placed_at >= (d.first + 1)::timestamp AT TIME ZONE 'UTC'))::float8 AS repeat_value
      FROM orders o JOIN d ON d.customer_id = o.customer_id
     WHERE o.workspace_id = $1 AND o.customer_id > $4::bigint AND o.customer_id <= $5::bigint AND o.status = 'completed' AND o.placed_at < $3
     GROUP BY o.customer_id
  )
  SELECT count(*)::int AS n, ${Object.keys(all)
    .map((k) => `coalesce(json_agg(f.${k}), '[]') AS ${k}`)
    .join(', ')}
    FROM (SELECT ${Object.entries(all)
      .map(([k, v]) => `${v} AS ${k}`)
      .join(', ')}
            FROM customers c LEFT JOIN d ON d.customer_id = c.id LEFT JOIN o ON o.customer_id = c.id
           WHERE c.workspace_id = $1 AND c.id > $4::bigint AND c.id <= $5::bigint AND (c.last_order_at IS NOT NULL OR c.scored_at IS NOT NULL)
           ORDER BY c.id) f`;
};

type Column<T> = (T | null)[];
interface FactColumns {
  n: number;
  days: Column<number>;
  age: Column<number>;
  recency: Column<number>;
  span: Column<number>;
  orders: Column<number>;
  net: Column<number>;
  repeat_value: Column<number>;
  last_ms: Column<number>;
}

// Hash or merge joins whatever the statistics say (PGlite never analyses by itself, and a nested loop planned on
// no statistics goes quadratic); no JIT (it compiles for longer than these statements run); room for the aggregates.
const FACTS_SETTINGS = ['SET LOCAL enable_nestloop = off', "SET LOCAL work_mem = '64MB'"];

/**
 * Customer id ranges (lo, hi] holding about `size` customers each, without scanning for the bounds: ids come from one
 * sequence shared by all workspaces, so a workspace's ids can be sparse; each range's width follows the density of
 * customers to score seen so far (`seen` reports how many the last range held).
 */
export async function* idRanges(
  db: Queryable,
  ws: string,
  size: number,
): AsyncGenerator<[string, string], void, number | undefined> {
  const b = await customerIdBounds(db, ws);
  if (b?.lo == null || b.hi == null) return;
  const last = BigInt(b.hi);
  let lo = BigInt(b.lo) - 1n;
  let width = BigInt(size);
  while (lo < last) {
    const hi = lo + width < last ? lo + width : last;
    const seen = yield [lo.toString(), hi.toString()];
    // next width: `size` at the density just seen, at most 8 times wider than this one
    const density = seen === undefined ? 1 : Math.max(seen, 1) / Number(hi - lo);
    width = BigInt(Math.max(1, Math.min(Math.round(size / density), Number(width) * 8)));
    lo = hi;
  }
}

/** The workspace's lowest and highest customer id (text; null when it has none). */
async function customerIdBounds(db: Queryable, ws: string) {
  const [b] = await db.query<{ lo: string | null; hi: string | null }>(
    'SELECT min(id)::text AS lo, max(id)::text AS hi FROM customers WHERE workspace_id = $1',
    [ws],
  );
  return b;
}

/** The facts of the customers with ids in (lo, hi] (factsSql) with `columns` of theirs, in one transaction with FACTS_SETTINGS. */
async function factColumns<T extends FactColumns>(
  db: Db,
  ws: string,
  cal: Calibration,
  lo: string,
  hi: string,
  columns: Record<string, string>,
): Promise<T> {
  return db.transaction(async (tx) => {
    for (const s of db.kind === 'postgres' ? [...FACTS_SETTINGS, 'SET LOCAL jit = off'] : FACTS_SETTINGS)
      await tx.query(s);
    const [row] = await tx.query<T>(factsSql(columns), [ws, cal.day, cal.cutoff.toISOString(), lo, hi]);
    return row!;
  });
}

/** The customer's stored scores (each score's column by its name), its user id, and when it was scored. */
const PREVIOUS = {
  id: 'c.id::text',
  user_id: 'c.user_id',
  ...Object.fromEntries(SCORE_NAMES.map((n) => [n, `c.${n}`])),
  scored_ms: '(extract(epoch FROM c.scored_at) * 1000)::float8',
  seen_ms: '(extract(epoch FROM c.scored_last_order_at) * 1000)::float8',
};

type FactsWithPrevious = FactColumns & { [N in ScoreName]: Column<ScoreColumns[N]> } & {
  id: string[];
  user_id: Column<string>;
  scored_ms: Column<number>;
  seen_ms: Column<number>;
};

/** Customers to score (anyone with an order, or with scores to clear), in batches of ids of at most `batchSize`. */
export async function* customerFacts(
  db: Db,
  ws: string,
  cal: Calibration,
  batchSize = 20_000,
): AsyncGenerator<CustomerFacts[]> {
  const ranges = idRanges(db, ws, batchSize);
  for (let r = await ranges.next(); !r.done; ) {
    const [lo, hi] = r.value;
    const f = await factColumns<FactsWithPrevious>(db, ws, cal, lo, hi, PREVIOUS);
    r = await ranges.next(f.n);
    if (f.n === 0) continue;
    const out = new Array<CustomerFacts>(f.n);
    for (let i = 0; i < f.n; i++) {
      const [scored, last, seen] = [f.scored_ms[i]!, f.last_ms[i]!, f.seen_ms[i]!];
      const stored: Partial<ScoreColumns> = {};
      for (const n of SCORE_NAMES) (stored as Record<string, unknown>)[n] = f[n][i];
      out[i] = {
        id: f.id[i]!,
        userId: f.user_id[i]!,
        previous: {
          ...scoreValues(stored),
          scoredAt: scored === null ? null : new Date(scored),
          lastOrderSeen: seen === null ? null : new Date(seen),
        },
        days: f.days[i]!,
        ageDays: f.age[i]!,
        recencyDays: f.recency[i]!,
        spanDays: f.span[i]!,
        orders: f.orders[i] ?? 0,
        net: f.net[i] ?? 0,
        repeatValue: f.repeat_value[i] ?? 0,
        lastOrderAt: last === null ? null : new Date(last),
      };
    }
    yield out;
  }
}

/** How many customers customerFacts will yield (for progress). */
export async function countToScore(db: Queryable, ws: string): Promise<number> {
  const [r] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM customers WHERE workspace_id = $1 AND (last_order_at IS NOT NULL OR scored_at IS NOT NULL)',
    [ws],
  );
  return r!.n;
}

/** What one pass over the customers as of the calibration end gives the fits and RFM: the model inputs. */
export interface CalibrationData {
  /** (x, t_x, T) grouped with counts: what fitBgNbd consumes (rowGroup is empty: no per-row mapping). */
  groups: GroupedCalibration;
  /** (x, zbar) of every repeat buyer: what fitGammaGamma consumes. */
  spend: SpendSummary[];
  /** Per customer with a purchase: −recency, frequency (orders and purchase days) and net value, for the RFM breaks. */
  rfm: { negRecency: number[]; orders: number[]; days: number[]; net: number[] };
  /** Customers scoring will look at (with an order, or with scores to clear). */
  looked: number;
  readMs: number;
}

/**
 * Reads the model inputs in one pass of id batches (the same statement scoring uses, so fit and scores see the same
 * facts): memory is O(distinct triples + repeat buyers) for the fits, plus three numbers per buyer for the RFM breaks.
 */
export async function calibrationData(
  db: Db,
  ws: string,
  cal: Calibration,
  batchSize = 50_000,
): Promise<CalibrationData> {
  const t0 = performance.now();
  const triples = new Map<number, number>(); // tripleKey(x, span, age) → customers
  const spend: SpendSummary[] = [];
  const negRecency: number[] = [];
  const orders: number[] = [];
  const days: number[] = [];
  const net: number[] = [];
  let looked = 0;
  let repeatBuyers = 0;
  const ranges = idRanges(db, ws, batchSize);
  for (let next = await ranges.next(); !next.done; ) {
    const [lo, hi] = next.value;
    const f = await factColumns<FactColumns>(db, ws, cal, lo, hi, {});
    next = await ranges.next(f.n);
    looked += f.n;
    for (let i = 0; i < f.n; i++) {
      const [d, age, span, recency] = [f.days[i]!, f.age[i]!, f.span[i]!, f.recency[i]!];
      if (d === null || age === null || span === null || recency === null) continue;
      const x = d - 1;
      const key = tripleKey(x, span, age);
      triples.set(key, (triples.get(key) ?? 0) + 1);
      if (x > 0) {
        repeatBuyers++;
        spend.push({ x, zbar: (f.repeat_value[i] ?? 0) / x });
      }
      negRecency.push(0 - recency); // 0 − 0 is +0, as in SQL
      orders.push(f.orders[i] ?? 0);
      days.push(d);
      net.push(f.net[i] ?? 0);
    }
  }
  // in (x, span, age) order, so that the likelihood sums in the same order whatever the customer ids
  const keys = Float64Array.from(triples.keys()).sort();
  const size = keys.length;
  const groups: GroupedCalibration = {
    x: new Float64Array(size),
    tx: new Float64Array(size),
    T: new Float64Array(size),
    count: new Float64Array(size),
    size,
    customers: 0,
    rowGroup: new Uint32Array(0),
    repeatBuyers,
  };
  keys.forEach((key, i) => {
    const [x, span, age] = fromTripleKey(key);
    groups.x[i] = x;
    groups.tx[i] = weeks(span);
    groups.T[i] = weeks(age);
    groups.count[i] = triples.get(key)!;
    groups.customers += groups.count[i]!;
  });
  return {
    groups,
    spend,
    rfm: { negRecency, orders, days, net },
    looked,
    readMs: Math.round((performance.now() - t0) * 100) / 100,
  };
}

/**
 * One number per (x, span days, age days), increasing in that order: exact for x < 2^21 and day counts below 2^16
 * (179 years).
 */
export const tripleKey = (x: number, spanDays: number, ageDays: number) => (x * 65_536 + spanDays) * 65_536 + ageDays;
const fromTripleKey = (key: number) =>
  [Math.floor(key / 4_294_967_296), Math.floor(key / 65_536) % 65_536, key % 65_536] as const;

/** RFM quintile breaks of the buyers read by calibrationData (rfm.ts: the value at position ⌈k·n/5⌉). */
export function rfmBreaksOf(data: CalibrationData, frequency: 'orders' | 'purchase_days'): RfmBreaks | null {
  const { negRecency, orders, days, net } = data.rfm;
  if (net.length === 0) return null;
  return {
    r: quintileBreaks(negRecency),
    f: quintileBreaks(frequency === 'orders' ? orders : days),
    m: quintileBreaks(net),
  };
}

/** Per distinct calibration (x, span, age) in days: customers and their purchase days in the holdout (validation). */
export async function holdoutGroups(db: Queryable, ws: string, cal: Calibration, holdoutEnd: Calibration) {
  return db.query<{ x: number; span: number; age: number; n: number; holdout: number }>(
    `SELECT x, span, age, count(*)::int AS n, sum(holdout)::int AS holdout FROM (
       SELECT (count(*) FILTER (WHERE day <= $2::date))::int - 1 AS x,
              max(day) FILTER (WHERE day <= $2::date) - min(day) AS span, $2::date - min(day) AS age,
              (count(*) FILTER (WHERE day > $2::date))::int AS holdout
         FROM customer_purchase_days WHERE workspace_id = $1 AND day <= $3::date
        GROUP BY customer_id HAVING min(day) <= $2::date
     ) s GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [ws, cal.day, holdoutEnd.day],
  );
}

/** First and last purchase day of the workspace (for default validation periods). */
export async function purchaseSpan(db: Queryable, ws: string): Promise<{ first: string; last: string } | null> {
  const [r] = await db.query<{ first: string | null; last: string | null }>(
    'SELECT min(day)::text AS first, max(day)::text AS last FROM customer_purchase_days WHERE workspace_id = $1',
    [ws],
  );
  return r?.first && r.last ? { first: r.first, last: r.last } : null;
}
