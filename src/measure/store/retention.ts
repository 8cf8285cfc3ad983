// The order history as retention reads it: per period (month or quarter, in the workspace's zone) the active, new,
// retained and repeat customers, orders, revenue and days between orders; and the monthly cohorts. Net revenue of
// completed orders, in one currency: the base (others converted at the workspace's rates, those without a rate left
// out and counted) or, when asked, only the orders in one currency.
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

const params = (ws: string, zone: string, unit: string, money: MoneyScope, until: Date) =>
  [ws, zone, unit, money.currency, money.rates ? JSON.stringify(money.rates) : null, until];

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
export async function periodCounts(q: Queryable, ws: string, period: Period, span: Span, money: MoneyScope, until: Date): Promise<{ periods: PeriodCounts[]; previousActive: number; unconvertedOrders: number }> {
  const rows = await q.query<PeriodRow>(
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
  const first = periodStart(span.from, period, span.zone);
  const previous = rows.filter((r) => r.p < first);
  const inSpan = rows.filter((r) => r.p >= first);
  return {
    previousActive: previous.reduce((s, r) => s + Number(r.active), 0),
    periods: inSpan.map((r) => ({
      period: r.p, active: Number(r.active), newCustomers: Number(r.new_customers), retained: Number(r.retained), repeat: Number(r.repeat),
      orders: Number(r.orders), revenue: Number(r.revenue ?? 0), daysBetweenOrders: r.days_between === null ? null : Number(r.days_between),
    })),
    unconvertedOrders: rows.reduce((s, r) => s + Number(r.unconverted), 0),
  };
}

/** The first day of the period holding `at` in `zone` (YYYY-MM-DD), as date_trunc writes it. */
function periodStart(at: Date, period: Period, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).startOf(period).toISODate()!;
}

/** Cohort cells: customers by month of first order × months since, those buying then and their revenue. */
export async function cohortCells(q: Queryable, ws: string, span: Span, money: MoneyScope, until: Date): Promise<{ cohort: string; offset: number; customers: number; revenue: number }[]> {
  const rows = await q.query<{ cohort: string; k: number; customers: string; revenue: number | null }>(
    `WITH ${ORDERS_IN_SCOPE},
     act AS (SELECT customer_id, p, sum(value) AS revenue FROM o GROUP BY 1, 2),
     first AS (SELECT customer_id, min(p) AS cohort FROM act GROUP BY 1)
     SELECT f.cohort::text, ((extract(year FROM a.p) - extract(year FROM f.cohort)) * 12 + extract(month FROM a.p) - extract(month FROM f.cohort))::int AS k,
            count(*)::text AS customers, sum(a.revenue) AS revenue
     FROM act a JOIN first f USING (customer_id)
     WHERE f.cohort >= date_trunc('month', $7::timestamptz AT TIME ZONE $2)::date AND f.cohort <= date_trunc('month', $8::timestamptz AT TIME ZONE $2)::date
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [...params(ws, span.zone, 'month', money, until), span.from, span.to],
  );
  return rows.map((r) => ({ cohort: r.cohort, offset: Number(r.k), customers: Number(r.customers), revenue: Number(r.revenue ?? 0) }));
}

/** The workspace's time zone for reports (the journeys' default zone), UTC when unset. */
export async function workspaceZone(q: Queryable, ws: string): Promise<string> {
  const [row] = await q.query<{ timezone: string }>('SELECT timezone FROM control_group_settings WHERE workspace_id = $1', [ws]);
  return row?.timezone ?? 'UTC';
}

/** The mean 12-month (or as set) CLV the models gave the customers they scored; null before any fit. */
export async function meanModelClv(q: Queryable, ws: string): Promise<{ customers: number; clv: number | null }> {
  const [row] = await q.query<{ n: string; clv: number | null }>('SELECT count(clv)::text AS n, avg(clv) AS clv FROM customers WHERE workspace_id = $1', [ws]);
  return { customers: Number(row!.n), clv: row!.clv === null ? null : Number(row!.clv) };
}
