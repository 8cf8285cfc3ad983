// What the models read, derived in SQL from customer_purchase_days (distinct UTC purchase days) and orders, as of a
// calibration end day (inclusive), with the rules of the standard CDNOW summary (src/models/summary.ts):
//   x = purchase days − 1, t_x = (last − first day) / 7, T = (calibration end − first day) / 7, both rounded to
//   2 decimals; zbar = net value (total − refunded) of the completed orders on the repeat days / x.
// The fit reads grouped statistics (one row per distinct (x, t_x, T), O(distinct) memory); scoring reads customers in
// keyset batches of a bounded size.
import type { Queryable } from '../../store/db.ts';
import type { GroupedSummaries } from '../summary.ts';
import type { SpendSummary } from '../gammagamma.ts';
import type { RfmBreaks } from '../rfm.ts';
import { quintilePositions } from '../rfm.ts';

const DAY_MS = 86_400_000;

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
  return { day: new Date(dayNo * DAY_MS).toISOString().slice(0, 10), cutoff: new Date((dayNo + 1) * DAY_MS), start: new Date(dayNo * DAY_MS) };
}

/** Parses YYYY-MM-DD (a UTC day) or a full ISO timestamp; throws RangeError with the value otherwise. */
export function parseDay(s: string): Date {
  const d = /^\d{4}-\d\d-\d\d$/.test(s) ? new Date(`${s}T00:00:00Z`) : /^\d{4}-\d\d-\d\dT/.test(s) ? new Date(s) : new Date(NaN);
  if (!Number.isFinite(d.getTime())) throw new RangeError(`"${s}" is not a date: write YYYY-MM-DD`);
  return d;
}

/** Per customer, as of the calibration end: first/last purchase day, number of purchase days. */
const DAYS_CTE = `SELECT customer_id, min(day) AS first, max(day) AS last, count(*)::int AS days
    FROM customer_purchase_days WHERE workspace_id = $1 AND day <= $2::date GROUP BY customer_id`;

export interface GroupedCalibration extends GroupedSummaries {
  /** Customers with at least two purchase days. */
  repeatBuyers: number;
}

/** (x, t_x, T) grouped with counts, straight from SQL: what fitBgNbd consumes. rowGroup is empty (no per-row mapping). */
export async function groupedCalibration(db: Queryable, ws: string, cal: Calibration): Promise<GroupedCalibration> {
  const rows = await db.query<{ x: number; span: number; age: number; n: number }>(
    `SELECT days - 1 AS x, last - first AS span, $2::date - first AS age, count(*)::int AS n
       FROM (${DAYS_CTE}) d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [ws, cal.day],
  );
  const size = rows.length;
  const g: GroupedCalibration = {
    x: new Float64Array(size),
    tx: new Float64Array(size),
    T: new Float64Array(size),
    count: new Float64Array(size),
    size,
    customers: 0,
    rowGroup: new Uint32Array(0),
    repeatBuyers: 0,
  };
  rows.forEach((r, i) => {
    g.x[i] = r.x;
    g.tx[i] = weeks(r.span);
    g.T[i] = weeks(r.age);
    g.count[i] = r.n;
    g.customers += r.n;
    if (r.x > 0) g.repeatBuyers += r.n;
  });
  return g;
}

/** (x, zbar) of every repeat buyer as of the calibration end, read in keyset batches: what fitGammaGamma consumes. */
export async function repeatSpend(db: Queryable, ws: string, cal: Calibration, batchSize = 20_000): Promise<SpendSummary[]> {
  const out: SpendSummary[] = [];
  let after = '-1';
  for (;;) {
    const rows = await db.query<{ id: string; x: number; repeat_value: number | null }>(
      `WITH d AS (
         SELECT customer_id, min(day) AS first, count(*)::int - 1 AS x FROM customer_purchase_days
          WHERE workspace_id = $1 AND day <= $2::date AND customer_id > $4::bigint
          GROUP BY customer_id HAVING count(*) > 1 ORDER BY customer_id LIMIT $5)
       SELECT d.customer_id::text AS id, d.x,
              (SELECT sum(o.total - o.refunded)::float8 FROM orders o
                WHERE o.workspace_id = $1 AND o.customer_id = d.customer_id AND o.status = 'completed'
                  AND o.placed_at >= (d.first + 1)::timestamp AT TIME ZONE 'UTC' AND o.placed_at < $3) AS repeat_value
         FROM d ORDER BY d.customer_id`,
      [ws, cal.day, cal.cutoff.toISOString(), after, batchSize],
    );
    for (const r of rows) out.push({ x: r.x, zbar: (r.repeat_value ?? 0) / r.x });
    if (rows.length < batchSize) return out;
    after = rows[rows.length - 1]!.id;
  }
}

/** Everything scoring needs about one customer, as of the calibration end (nulls: no purchase by then). */
export interface CustomerFacts {
  id: string;
  userId: string | null;
  previous: { rfmSegment: string | null; churnRisk: string | null; lifecycleStage: string | null; scoredAt: Date | null };
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

/** Customers to score (anyone with an order, or with scores to clear), in keyset batches of `batchSize`. */
export async function* customerFacts(db: Queryable, ws: string, cal: Calibration, batchSize = 5000): AsyncGenerator<CustomerFacts[]> {
  let after = '-1';
  for (;;) {
    const rows = await db.query<{
      id: string; user_id: string | null; rfm_segment: string | null; churn_risk: string | null; lifecycle_stage: string | null; scored_at: Date | null;
      days: number | null; age: number | null; recency: number | null; span: number | null;
      orders: number | null; net: number | null; repeat_value: number | null; last_at: Date | null;
    }>(
      // LATERAL index look-ups per customer of the batch: the cost is proportional to the batch whatever the table
      // statistics say (PGlite never analyses by itself, and joins of aggregates planned on no statistics go quadratic).
      `SELECT c.id::text AS id, c.user_id, c.rfm_segment, c.churn_risk, c.lifecycle_stage, c.scored_at,
              d.days, $2::date - d.first AS age, $2::date - d.last AS recency, d.last - d.first AS span,
              o.orders, o.net, o.repeat_value, o.last_at
         FROM (SELECT id, user_id, rfm_segment, churn_risk, lifecycle_stage, scored_at FROM customers
                WHERE workspace_id = $1 AND id > $4::bigint AND (last_order_at IS NOT NULL OR scored_at IS NOT NULL)
                ORDER BY id LIMIT $5) c
         LEFT JOIN LATERAL (
           SELECT min(p.day) AS first, max(p.day) AS last, nullif(count(*), 0)::int AS days
             FROM customer_purchase_days p WHERE p.workspace_id = $1 AND p.customer_id = c.id AND p.day <= $2::date
         ) d ON true
         LEFT JOIN LATERAL (
           SELECT count(*)::int AS orders, sum(o.total - o.refunded)::float8 AS net, max(o.placed_at) AS last_at,
                  (sum(o.total - o.refunded) FILTER (WHERE o.placed_at >= (d.first + 1)::timestamp AT TIME ZONE 'UTC'))::float8 AS repeat_value
             FROM orders o WHERE o.workspace_id = $1 AND o.customer_id = c.id AND o.status = 'completed' AND o.placed_at < $3
         ) o ON true
        ORDER BY c.id`,
      [ws, cal.day, cal.cutoff.toISOString(), after, batchSize],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      previous: { rfmSegment: r.rfm_segment, churnRisk: r.churn_risk, lifecycleStage: r.lifecycle_stage, scoredAt: r.scored_at ? new Date(r.scored_at) : null },
      days: r.days,
      ageDays: r.age,
      recencyDays: r.recency,
      spanDays: r.span,
      orders: r.orders ?? 0,
      net: r.net ?? 0,
      repeatValue: r.repeat_value ?? 0,
      lastOrderAt: r.last_at ? new Date(r.last_at) : null,
    }));
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
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

/**
 * RFM quintile breaks over the customers with a purchase by the calibration end, in SQL (percentile_disc): the k-th
 * break is the value at position ⌈k·n/5⌉, asked as the fraction (position − ½)/n so that float rounding cannot move it.
 */
export async function rfmBreaksOf(db: Queryable, ws: string, cal: Calibration, frequency: 'orders' | 'purchase_days'): Promise<{ n: number; breaks: RfmBreaks | null }> {
  const [c] = await db.query<{ n: number }>(
    'SELECT count(DISTINCT customer_id)::int AS n FROM customer_purchase_days WHERE workspace_id = $1 AND day <= $2::date',
    [ws, cal.day],
  );
  const n = c!.n;
  if (n === 0) return { n, breaks: null };
  const fractions = quintilePositions(n).map((p) => (p - 0.5) / n);
  const [b] = await db.query<{ r: number[]; f: number[]; m: number[] }>(
    // one aggregate over a UNION ALL instead of a join of two aggregates: no plan to get wrong without statistics
    `WITH v AS (
       SELECT (max(last) - $2::date)::float8 AS r, (CASE WHEN $4 THEN coalesce(max(orders), 0) ELSE max(days) END)::float8 AS f,
              coalesce(max(net), 0)::float8 AS m
         FROM (SELECT customer_id, max(day) AS last, count(*)::int AS days, NULL::int AS orders, NULL::numeric AS net
                 FROM customer_purchase_days WHERE workspace_id = $1 AND day <= $2::date GROUP BY customer_id
               UNION ALL
               SELECT customer_id, NULL, NULL, count(*)::int, sum(total - refunded) FROM orders
                WHERE workspace_id = $1 AND customer_id IS NOT NULL AND status = 'completed' AND placed_at < $3 GROUP BY customer_id) u
        GROUP BY customer_id HAVING max(last) IS NOT NULL
     )
     SELECT percentile_disc($5::float8[]) WITHIN GROUP (ORDER BY r) AS r, percentile_disc($5::float8[]) WITHIN GROUP (ORDER BY f) AS f,
            percentile_disc($5::float8[]) WITHIN GROUP (ORDER BY m) AS m FROM v`,
    [ws, cal.day, cal.cutoff.toISOString(), frequency === 'orders', fractions],
  );
  return { n, breaks: { r: b!.r.map(Number), f: b!.f.map(Number), m: b!.m.map(Number) } };
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
