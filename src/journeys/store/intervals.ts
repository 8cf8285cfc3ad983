// The usual interval between repeat purchases of products, read from the workspace's completed orders (for the
// replenishment delay): per product, the median days between one customer's consecutive orders of it.
import type { Queryable } from '../../store/index.ts';
import type { ProductInterval } from '../replenish.ts';

/** name: product-repeat-intervals — per product of `products`, the median gap (days) between a customer's consecutive completed orders containing it, and the number of gaps. */
export async function productIntervals(
  db: Queryable,
  ws: string,
  products: string[],
  before: Date,
): Promise<ProductInterval[]> {
  if (!products.length) return [];
  const rows = await db.query<{ product: string; median_days: number | string; gaps: number }>(
    `WITH buys AS (
       SELECT DISTINCT l.product_id, o.customer_id, o.placed_at FROM order_lines l
       JOIN orders o ON o.workspace_id = l.workspace_id AND o.order_id = l.order_id
       WHERE l.workspace_id = $1 AND l.product_id = ANY($2::text[]) AND o.status = 'completed' AND o.customer_id IS NOT NULL AND o.placed_at <= $3),
     gaps AS (
       SELECT product_id, extract(epoch FROM placed_at - lag(placed_at) OVER (PARTITION BY product_id, customer_id ORDER BY placed_at)) / 86400 AS days FROM buys)
     SELECT product_id AS product, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days, count(*)::int AS gaps
     FROM gaps WHERE days > 0 GROUP BY product_id`,
    [ws, products, before],
  );
  return rows.map((r) => ({ product: r.product, medianDays: Number(r.median_days), gaps: r.gaps }));
}
