// Who was treated and who was held back, and what they bought afterwards: the exposure sources of journeys (runs vs
// the control group's holdouts, a holdout step, a split's arms, all marketing vs the control group) and the one query
// that turns exposures into each arm's summaries of conversion, orders and revenue.
import type { Queryable } from '../../store/index.ts';
import type { MetricSummary } from '../summary.ts';

/** What is compared: arms come from the journeys' own records. */
export type ExposureSource =
  /** A marketing journey's runs (arm "treated") against the entries the control group kept out (arm "control"). */
  | { kind: 'journey'; journeyId: string }
  /** All marketing journeys' runs against everything the control group kept out. */
  | { kind: 'control_group' }
  /** A journey's holdout step: "passed" (treated) against "held_out" (control). */
  | { kind: 'holdout'; journeyId: string; stepId: string }
  /** A journey's split step: one arm per name. */
  | { kind: 'split'; journeyId: string; stepId: string };

export interface Window {
  /** Exposures from (included) … */
  from: Date;
  /** … until (excluded). */
  until: Date;
  /** Orders count for an exposure when placed after it and within this many days. */
  days: number;
}

export interface ArmOutcomes {
  arm: string;
  conversion: MetricSummary;
  orders: MetricSummary;
  revenue: MetricSummary;
  /** sign(x) · ln(1 + |x|) of each customer's revenue: the heavy-tail check (robust.ts). */
  logRevenue: MetricSummary;
  /** Customers who clicked a message in the window after exposure. */
  clicks: MetricSummary;
}

/**
 * The exposures of one source as (customer_id, arm, at) rows, with its parameters from $5 on ($1 workspace, $2 from,
 * $3 until, $4 days are the lift query's).
 */
export function exposureRows(source: ExposureSource): { sql: string; params: unknown[] } {
  switch (source.kind) {
    case 'journey':
      return {
        sql: `SELECT customer_id, 'treated' AS arm, started_at AS at FROM journey_runs
                WHERE workspace_id = $1 AND journey_id = $5 AND started_at >= $2 AND started_at < $3
              UNION ALL
              SELECT customer_id, 'control', held_at FROM journey_holdouts
                WHERE workspace_id = $1 AND journey_id = $5 AND held_at >= $2 AND held_at < $3`,
        params: [source.journeyId],
      };
    case 'control_group':
      return {
        sql: `SELECT r.customer_id, 'treated' AS arm, r.started_at AS at FROM journey_runs r
                JOIN journey_versions v ON v.workspace_id = r.workspace_id AND v.journey_id = r.journey_id AND v.version = r.version
                WHERE r.workspace_id = $1 AND r.started_at >= $2 AND r.started_at < $3 AND v.definition->>'purpose' = 'marketing'
              UNION ALL
              SELECT customer_id, 'control', held_at FROM journey_holdouts WHERE workspace_id = $1 AND held_at >= $2 AND held_at < $3`,
        params: [],
      };
    case 'holdout':
      return {
        sql: `SELECT customer_id, CASE outcome WHEN 'held_out' THEN 'control' ELSE 'treated' END AS arm, at FROM journey_step_log
                WHERE workspace_id = $1 AND journey_id = $5 AND step_id = $6 AND type = 'holdout' AND at >= $2 AND at < $3`,
        params: [source.journeyId, source.stepId],
      };
    case 'split':
      return {
        sql: `SELECT customer_id, outcome AS arm, at FROM journey_step_log
                WHERE workspace_id = $1 AND journey_id = $5 AND step_id = $6 AND type = 'split' AND at >= $2 AND at < $3`,
        params: [source.journeyId, source.stepId],
      };
  }
}

interface OutcomeRow {
  arm: string;
  n: string;
  converted: string;
  orders_sum: string;
  orders_squares: string;
  revenue_sum: number | null;
  revenue_squares: number | null;
  revenue_nonzero: string;
  log_sum: number | null;
  log_squares: number | null;
  clicked: string;
  unconverted_orders: string;
}

/**
 * Each arm's outcomes: a customer counts once, in the arm of their first exposure in the window; their completed
 * orders placed after it and within `days` give conversion (any order), orders, and net revenue (total − refunded) in
 * the base currency at the workspace's rates (orders in a currency without a rate are left out of revenue and counted).
 */
export async function armOutcomes(
  q: Queryable,
  ws: string,
  source: ExposureSource,
  w: Window,
  base: string,
  rates: Record<string, number>,
): Promise<{ arms: ArmOutcomes[]; unconvertedOrders: number }> {
  const exposures = exposureRows(source);
  const rateParam = 5 + exposures.params.length;
  const rows = await q.query<OutcomeRow>(
    `WITH exposed AS (${exposures.sql}),
     first AS (SELECT DISTINCT ON (customer_id) customer_id, arm, at FROM exposed ORDER BY customer_id, at, arm),
     outcome AS (
       SELECT f.arm, COALESCE(o.orders, 0) AS orders, COALESCE(o.revenue, 0) AS revenue, COALESCE(o.unconverted, 0) AS unconverted,
              EXISTS (SELECT 1 FROM messages m WHERE m.workspace_id = $1 AND m.customer_id = f.customer_id AND m.clicked_at > f.at
                        AND m.clicked_at <= f.at + make_interval(days => $4)) AS clicked
       FROM first f LEFT JOIN LATERAL (
         SELECT count(*) AS orders,
                sum((o.total - o.refunded)::float8 * CASE WHEN c.cur = $${rateParam} THEN 1 ELSE ($${rateParam + 1}::jsonb ->> c.cur)::float8 END) AS revenue,
                count(*) FILTER (WHERE c.cur <> $${rateParam} AND NOT $${rateParam + 1}::jsonb ? c.cur) AS unconverted
         FROM orders o CROSS JOIN LATERAL (SELECT COALESCE(NULLIF(upper(btrim(o.currency)), ''), $${rateParam}) AS cur) c
         WHERE o.workspace_id = $1 AND o.customer_id = f.customer_id AND o.status = 'completed'
           AND o.placed_at > f.at AND o.placed_at <= f.at + make_interval(days => $4)
       ) o ON true
     )
     SELECT arm, count(*)::text AS n, count(*) FILTER (WHERE orders > 0)::text AS converted,
            sum(orders)::text AS orders_sum, sum(orders * orders)::text AS orders_squares,
            sum(revenue) AS revenue_sum, sum(revenue * revenue) AS revenue_squares,
            count(*) FILTER (WHERE revenue <> 0)::text AS revenue_nonzero,
            sum(sign(revenue) * ln(1 + abs(revenue))) AS log_sum, sum(ln(1 + abs(revenue)) ^ 2) AS log_squares,
            count(*) FILTER (WHERE clicked)::text AS clicked, sum(unconverted)::text AS unconverted_orders
     FROM (SELECT arm, orders, revenue::float8 AS revenue, unconverted, clicked FROM outcome) x GROUP BY arm ORDER BY arm`,
    [ws, w.from, w.until, w.days, ...exposures.params, base, JSON.stringify(rates)],
  );
  const arms = rows.map((r) => {
    const n = Number(r.n);
    const converted = Number(r.converted);
    return {
      arm: r.arm,
      conversion: { n, sum: converted, sumSquares: converted, nonZero: converted },
      orders: { n, sum: Number(r.orders_sum), sumSquares: Number(r.orders_squares), nonZero: converted },
      revenue: {
        n,
        sum: Number(r.revenue_sum ?? 0),
        sumSquares: Number(r.revenue_squares ?? 0),
        nonZero: Number(r.revenue_nonzero),
      },
      logRevenue: {
        n,
        sum: Number(r.log_sum ?? 0),
        sumSquares: Number(r.log_squares ?? 0),
        nonZero: Number(r.revenue_nonzero),
      },
      clicks: { n, sum: Number(r.clicked), sumSquares: Number(r.clicked), nonZero: Number(r.clicked) },
    };
  });
  return { arms, unconvertedOrders: rows.reduce((s, r) => s + Number(r.unconverted_orders), 0) };
}
