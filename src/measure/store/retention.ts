// The order history as retention reads it: per period (month or quarter, in the workspace's zone) the active, new,
// retained and repeat customers, orders, revenue and days between orders; and the monthly cohorts. Net revenue of
// completed orders, in one currency: the base (others converted at the workspace's rates, those without a rate left
// out and counted) or, when asked, only the orders in one currency. Read from the aggregates that migration 040's
// triggers keep (customer_months, cohort_customers, cohort_revenue); from the raw orders only while some order is
// dated at or after the report's `until` (the aggregates cannot leave it out).
import { DateTime } from 'luxon';
import type { Queryable } from '../../store/index.ts';
import type { PeriodCounts } from '../retention.ts';

export type Period = 'month' | 'quarter';

export interface MoneyScope {
  /** The currency figures are in. */
  currency: string;
  /** Convert other currencies at these rates (1 unit = rate units of `currency`); absent: only orders in `currency`. */
  rates?: Record<string, number>;
}

export interface Span {
  /** Periods from the one holding this moment … */
  from: Date;
  /** … to the one holding this moment, included. */
  to: Date;
  zone: string;
}

/** The orders of the workspace as (customer, period, value) rows: the CTE `o` both queries start from ($1 workspace, $2 zone, $3 period unit, $4 currency, $5 rates or null, $6 until). */
const ORDERS_IN_SCOPE = `
  o AS (
    SELECT customer_id, placed_at, date_trunc($3, placed_at AT TIME ZONE $2)::date AS p,
           (total - refunded)::float8 * CASE WHEN cur = $4 THEN 1 ELSE ($5::jsonb ->> cur)::float8 END AS value,
           cur <> $4 AND NOT COALESCE($5::jsonb ? cur, false) AS unconverted
    FROM (SELECT customer_id, placed_at, total, refunded, COALESCE(NULLIF(upper(btrim(currency)), ''), $4) AS cur
          FROM orders WHERE workspace_id = $1 AND status = 'completed' AND customer_id IS NOT NULL AND placed_at < $6) x
    WHERE $5::jsonb IS NOT NULL OR cur = $4
  )`;

const params = (ws: string, zone: string, unit: string, money: MoneyScope, until: Date) => [
  ws,
  zone,
  unit,
  money.currency,
  money.rates ? JSON.stringify(money.rates) : null,
  until,
];

interface PeriodRow {
  p: string;
  active: string;
  new_customers: string;
  retained: string;
  repeat: string;
  orders: string;
  revenue: number | null;
  unconverted: string;
  days_between: number | null;
}

/**
 * Counts per period from the period before `from` (its active customers are the first period's base) to the one
 * holding `to`: the whole history is read once to know first orders and earlier orders, then grouped by period.
 */
export async function periodCounts(
  q: Queryable,
  ws: string,
  period: Period,
  span: Span,
  money: MoneyScope,
  until: Date,
): Promise<{ periods: PeriodCounts[]; previousActive: number; unconvertedOrders: number }> {
  const rows = (await aggregatesCover(q, ws, until))
    ? await periodRowsFromMonths(q, ws, period, span, money)
    : await periodRowsFromOrders(q, ws, period, span, money, until);
  return periodCountsOf(rows, period, span);
}

/** Whether the aggregates hold exactly the orders placed before `until`: no order of the workspace is dated at or after it. */
async function aggregatesCover(q: Queryable, ws: string, until: Date): Promise<boolean> {
  const [row] = await q.query<{ later: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM customer_months WHERE workspace_id = $1 AND last_at >= $2) AS later',
    [ws, until],
  );
  return !row!.later;
}

/** The customer months of the workspace in scope as the CTE `o` ($1 workspace, $2 period unit, $3 currency, $4 rates or null): per customer, period and currency. */
const MONTHS_IN_SCOPE = `
  o AS (
    SELECT customer_id, date_trunc($2, month::timestamp)::date AS p, orders, first_at, last_at,
           net::float8 * CASE WHEN cur = $3 THEN 1 ELSE ($4::jsonb ->> cur)::float8 END AS value,
           CASE WHEN cur <> $3 AND NOT COALESCE($4::jsonb ? cur, false) THEN orders ELSE 0 END AS unconverted
    FROM (SELECT customer_id, month, orders, net, first_at, last_at, COALESCE(NULLIF(currency, ''), $3) AS cur
          FROM customer_months WHERE workspace_id = $1) x
    WHERE $4::jsonb IS NOT NULL OR cur = $3
  )`;

const monthParams = (ws: string, unit: string, money: MoneyScope) => [
  ws,
  unit,
  money.currency,
  money.rates ? JSON.stringify(money.rates) : null,
];

/**
 * Period rows from the customer months: the gaps between a customer's orders within a period telescope to its last
 * order minus the last order of the customer's previous period (or minus its first order when there is none, one gap fewer).
 */
async function periodRowsFromMonths(
  q: Queryable,
  ws: string,
  period: Period,
  span: Span,
  money: MoneyScope,
): Promise<PeriodRow[]> {
  return q.query<PeriodRow>(
    `WITH ${MONTHS_IN_SCOPE},
     act0 AS (SELECT customer_id, p, sum(orders) AS orders, sum(value) AS revenue, sum(unconverted) AS unconverted, min(first_at) AS first_at, max(last_at) AS last_at
              FROM o GROUP BY 1, 2),
     act AS (SELECT customer_id, p, orders, revenue, unconverted,
                    extract(epoch FROM last_at - COALESCE(lag(last_at) OVER w, first_at)) AS gap_seconds,
                    orders - CASE WHEN lag(p) OVER w IS NULL THEN 1 ELSE 0 END AS gap_count
             FROM act0 WINDOW w AS (PARTITION BY customer_id ORDER BY p)),
     cum AS (SELECT a.*, min(p) OVER w AS first_p, sum(orders) OVER (w ROWS UNBOUNDED PRECEDING) AS cum_orders, lag(p) OVER w AS prev_p
             FROM act a WINDOW w AS (PARTITION BY customer_id ORDER BY p)),
     per AS (
       SELECT p, count(*) AS active, count(*) FILTER (WHERE first_p = p) AS new_customers,
              count(*) FILTER (WHERE prev_p = (p - (CASE $2 WHEN 'quarter' THEN interval '3 months' ELSE interval '1 month' END))::date) AS retained,
              count(*) FILTER (WHERE cum_orders >= 2) AS repeat, sum(orders) AS orders, sum(revenue) AS revenue, sum(unconverted) AS unconverted,
              sum(gap_seconds) AS gap_seconds, sum(gap_count) AS gap_count
       FROM cum GROUP BY p)
     SELECT p::text, active::text, new_customers::text, retained::text, repeat::text, orders::text, revenue, unconverted::text,
            CASE WHEN gap_count > 0 THEN gap_seconds / gap_count / 86400 END AS days_between
     FROM per
     WHERE p >= (date_trunc($2, $5::timestamptz AT TIME ZONE $7) - (CASE $2 WHEN 'quarter' THEN interval '3 months' ELSE interval '1 month' END))::date
       AND p <= date_trunc($2, $6::timestamptz AT TIME ZONE $7)::date
     ORDER BY p`,
    [...monthParams(ws, period, money), span.from, span.to, span.zone],
  );
}

/** Period rows from the raw orders (the reference the aggregates reproduce). */
async function periodRowsFromOrders(
  q: Queryable,
  ws: string,
  period: Period,
  span: Span,
  money: MoneyScope,
  until: Date,
): Promise<PeriodRow[]> {
  return q.query<PeriodRow>(
    `WITH ${ORDERS_IN_SCOPE},
     gaps AS (SELECT p, extract(epoch FROM placed_at - lag(placed_at) OVER (PARTITION BY customer_id ORDER BY placed_at)) / 86400 AS days FROM o),
     act AS (SELECT customer_id, p, count(*) AS orders, sum(value) AS revenue, count(*) FILTER (WHERE unconverted) AS unconverted FROM o GROUP BY 1, 2),
     cum AS (SELECT a.*, min(p) OVER w AS first_p, sum(orders) OVER (w ROWS UNBOUNDED PRECEDING) AS cum_orders, lag(p) OVER w AS prev_p
             FROM act a WINDOW w AS (PARTITION BY customer_id ORDER BY p)),
     per AS (
       SELECT p, count(*) AS active, count(*) FILTER (WHERE first_p = p) AS new_customers,
              count(*) FILTER (WHERE prev_p = (p - (CASE $3 WHEN 'quarter' THEN interval '3 months' ELSE interval '1 month' END))::date) AS retained,
              count(*) FILTER (WHERE cum_orders >= 2) AS repeat, sum(orders) AS orders, sum(revenue) AS revenue, sum(unconverted) AS unconverted
       FROM cum GROUP BY p)
     SELECT per.p::text, per.active::text, per.new_customers::text, per.retained::text, per.repeat::text, per.orders::text, per.revenue,
            per.unconverted::text, g.days_between
     FROM per LEFT JOIN (SELECT p, avg(days) AS days_between FROM gaps WHERE days IS NOT NULL GROUP BY p) g ON g.p = per.p
     WHERE per.p >= (date_trunc($3, $7::timestamptz AT TIME ZONE $2) - (CASE $3 WHEN 'quarter' THEN interval '3 months' ELSE interval '1 month' END))::date
       AND per.p <= date_trunc($3, $8::timestamptz AT TIME ZONE $2)::date
     ORDER BY per.p`,
    [...params(ws, span.zone, period, money, until), span.from, span.to],
  );
}

function periodCountsOf(
  rows: PeriodRow[],
  period: Period,
  span: Span,
): { periods: PeriodCounts[]; previousActive: number; unconvertedOrders: number } {
  const first = periodStart(span.from, period, span.zone);
  const previous = rows.filter((r) => r.p < first);
  const inSpan = rows.filter((r) => r.p >= first);
  return {
    previousActive: previous.reduce((s, r) => s + Number(r.active), 0),
    periods: inSpan.map((r) => ({
      period: r.p,
      active: Number(r.active),
      newCustomers: Number(r.new_customers),
      retained: Number(r.retained),
      repeat: Number(r.repeat),
      orders: Number(r.orders),
      revenue: Number(r.revenue ?? 0),
      daysBetweenOrders: r.days_between === null ? null : Number(r.days_between),
    })),
    unconvertedOrders: rows.reduce((s, r) => s + Number(r.unconverted), 0),
  };
}

/** The first day of the period holding `at` in `zone` (YYYY-MM-DD), as date_trunc writes it. */
function periodStart(at: Date, period: Period, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).startOf(period).toISODate()!;
}

type CohortCell = { cohort: string; offset: number; customers: number; revenue: number };
type CohortRowSql = { cohort: string; k: number; customers: string; revenue: number | null };

const MONTHS_SINCE = (month: string, cohort: string) =>
  `((extract(year FROM ${month}) - extract(year FROM ${cohort})) * 12 + extract(month FROM ${month}) - extract(month FROM ${cohort}))::int`;

/**
 * Cohort cells: customers by month of first order × months since, those buying then and their revenue. All currencies
 * converted: one scan of the kept cells (O(cohorts × months)); one currency: the customer months in that currency.
 */
export async function cohortCells(
  q: Queryable,
  ws: string,
  span: Span,
  money: MoneyScope,
  until: Date,
): Promise<CohortCell[]> {
  let rows: CohortRowSql[];
  if (!(await aggregatesCover(q, ws, until))) rows = await cohortRowsFromOrders(q, ws, span, money, until);
  else if (money.rates) {
    rows = await q.query<CohortRowSql>(
      `SELECT c.cohort::text, ${MONTHS_SINCE('c.month', 'c.cohort')} AS k, c.customers::text, r.revenue
       FROM cohort_customers c LEFT JOIN (
         SELECT cohort, month, sum(net::float8 * CASE WHEN cur = $2 THEN 1 ELSE ($3::jsonb ->> cur)::float8 END) AS revenue
         FROM (SELECT cohort, month, net, COALESCE(NULLIF(currency, ''), $2) AS cur FROM cohort_revenue
               WHERE workspace_id = $1 AND cohort >= date_trunc('month', $4::timestamptz AT TIME ZONE $6)::date AND cohort <= date_trunc('month', $5::timestamptz AT TIME ZONE $6)::date) x
         GROUP BY 1, 2) r ON r.cohort = c.cohort AND r.month = c.month
       WHERE c.workspace_id = $1 AND c.customers > 0
         AND c.cohort >= date_trunc('month', $4::timestamptz AT TIME ZONE $6)::date AND c.cohort <= date_trunc('month', $5::timestamptz AT TIME ZONE $6)::date
       ORDER BY 1, 2`,
      [ws, money.currency, JSON.stringify(money.rates), span.from, span.to, span.zone],
    );
  } else {
    rows = await q.query<CohortRowSql>(cohortsOf(MONTHS_IN_SCOPE, '$5', '$6', '$7'), [
      ...monthParams(ws, 'month', money),
      span.from,
      span.to,
      span.zone,
    ]);
  }
  return rows.map((r) => ({
    cohort: r.cohort,
    offset: Number(r.k),
    customers: Number(r.customers),
    revenue: Number(r.revenue ?? 0),
  }));
}

/** Cohort rows from the raw orders (while some order is dated at or after `until`). */
async function cohortRowsFromOrders(
  q: Queryable,
  ws: string,
  span: Span,
  money: MoneyScope,
  until: Date,
): Promise<CohortRowSql[]> {
  return q.query<CohortRowSql>(cohortsOf(ORDERS_IN_SCOPE, '$7', '$8', '$2'), [
    ...params(ws, span.zone, 'month', money, until),
    span.from,
    span.to,
  ]);
}

/** Cohort rows from a CTE `o` of (customer_id, p = month, value) rows; the span's bounds and zone are the given parameters. */
const cohortsOf = (inScope: string, from: string, to: string, zone: string) => `
  WITH ${inScope},
  act AS (SELECT customer_id, p, sum(value) AS revenue FROM o GROUP BY 1, 2),
  first AS (SELECT customer_id, min(p) AS cohort FROM act GROUP BY 1)
  SELECT f.cohort::text, ${MONTHS_SINCE('a.p', 'f.cohort')} AS k, count(*)::text AS customers, sum(a.revenue) AS revenue
  FROM act a JOIN first f USING (customer_id)
  WHERE f.cohort >= date_trunc('month', ${from}::timestamptz AT TIME ZONE ${zone})::date AND f.cohort <= date_trunc('month', ${to}::timestamptz AT TIME ZONE ${zone})::date
  GROUP BY 1, 2 ORDER BY 1, 2`;

/** The workspace's time zone for reports (the journeys' default zone), UTC when unset. */
export async function workspaceZone(q: Queryable, ws: string): Promise<string> {
  const [row] = await q.query<{ timezone: string }>(
    'SELECT timezone FROM control_group_settings WHERE workspace_id = $1',
    [ws],
  );
  return row?.timezone ?? 'UTC';
}

/** The mean 12-month (or as set) CLV the models gave the customers they scored; null before any fit. */
export async function meanModelClv(q: Queryable, ws: string): Promise<{ customers: number; clv: number | null }> {
  const [row] = await q.query<{ n: string; clv: number | null }>(
    'SELECT count(clv)::text AS n, avg(clv) AS clv FROM customers WHERE workspace_id = $1',
    [ws],
  );
  return { customers: Number(row!.n), clv: row!.clv === null ? null : Number(row!.clv) };
}
