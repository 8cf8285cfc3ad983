// The counts behind lifetime value with and without messages: each customer's assignment (first exposure to all
// marketing against the global control group), how many whole months since it are over, and the net revenue of each
// month since, in the base currency; and the models' CLV per arm.
import type { Queryable } from '../../store/index.ts';
import type { LtvArm, LtvArmCounts } from '../ltv.ts';
import { exposureRows } from './exposures.ts';

/** A month since assignment: 30.4375 days (365.25 / 12), in seconds. */
export const MONTH_SECONDS = 2_629_800;

export interface LtvSpan {
  from: Date;
  until: Date;
  /** The moment months are counted to (now). */
  now: Date;
  horizon: number;
}

/** Each arm's observed months, revenue by month since assignment, and the models' mean CLV. */
export async function ltvCounts(
  q: Queryable,
  ws: string,
  span: LtvSpan,
  base: string,
  rates: Record<string, number>,
): Promise<LtvArmCounts[]> {
  const exposures = exposureRows({ kind: 'control_group' });
  const assigned = `exposed AS (${exposures.sql}),
     first AS (SELECT DISTINCT ON (customer_id) customer_id, arm, at FROM exposed ORDER BY customer_id, at, arm),
     obs AS (SELECT customer_id, arm, at, LEAST($5::int, floor(extract(epoch FROM $4::timestamptz - at) / ${MONTH_SECONDS}))::int AS m FROM first)`;
  const args = [ws, span.from, span.until, span.now, span.horizon];
  const observed = await q.query<{ arm: LtvArm; m: number; customers: string; scored: string; clv_sum: number | null }>(
    `WITH ${assigned}
     SELECT obs.arm, obs.m, count(*)::text AS customers, count(c.clv)::text AS scored, sum(c.clv) AS clv_sum
     FROM obs LEFT JOIN customers c ON c.workspace_id = $1 AND c.id = obs.customer_id GROUP BY 1, 2`,
    args,
  );
  const revenue = await q.query<{ arm: LtvArm; k: number; revenue: number | null }>(
    `WITH ${assigned},
     v AS (
       SELECT obs.arm, floor(extract(epoch FROM o.placed_at - obs.at) / ${MONTH_SECONDS})::int AS k, obs.m,
              (o.total - o.refunded)::float8 * CASE WHEN cur = $6 THEN 1 ELSE ($7::jsonb ->> cur)::float8 END AS value
       FROM obs JOIN orders o ON o.workspace_id = $1 AND o.customer_id = obs.customer_id AND o.status = 'completed' AND o.placed_at > obs.at
       CROSS JOIN LATERAL (SELECT COALESCE(NULLIF(upper(btrim(o.currency)), ''), $6) AS cur) c
       WHERE obs.m > 0)
     SELECT arm, k, sum(value) AS revenue FROM v WHERE k < m GROUP BY 1, 2`,
    [...args, base, JSON.stringify(rates)],
  );
  return (['treated', 'control'] as const).map((arm) => {
    const mine = observed.filter((r) => r.arm === arm);
    const scored = mine.reduce((s, r) => s + Number(r.scored), 0);
    const clvSum = mine.reduce((s, r) => s + Number(r.clv_sum ?? 0), 0);
    return {
      arm,
      observed: mine.map((r) => ({ months: Number(r.m), customers: Number(r.customers) })),
      revenue: revenue
        .filter((r) => r.arm === arm)
        .map((r) => ({ month: Number(r.k), revenue: Number(r.revenue ?? 0) })),
      clv: { customers: scored, mean: scored > 0 ? clvSum / scored : null },
    };
  });
}
