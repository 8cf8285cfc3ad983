// The RFM picture of a workspace: the 5×5 R×F grid (customers and net revenue per cell) and the named segments.
import type { Queryable } from '../../store/db.ts';
import { rfmGridNames, segmentNames } from '../rfm.ts';
import type { ModelSettings } from '../settings.ts';

export interface RfmGrid {
  /** 25 cells, R from 5 (most recent) down to 1, F from 1 up to 5. */
  cells: { r: number; f: number; customers: number; revenue: number; segment: string | null }[];
  /** Every segment of the mapping (also empty ones), then any other name found on customers. */
  segments: { name: string; customers: number; revenue: number }[];
  customers: number;
  revenue: number;
  scoredAt: string | null;
}

export async function rfmGrid(db: Queryable, ws: string, settings: ModelSettings): Promise<RfmGrid> {
  const [cellRows, segRows, stamp] = await Promise.all([
    db.query<{ r: number; f: number; n: number; revenue: number }>(
      `SELECT rfm_r AS r, rfm_f AS f, count(*)::int AS n, coalesce(sum(revenue_net), 0)::float8 AS revenue
         FROM customers WHERE workspace_id = $1 AND rfm_r IS NOT NULL AND rfm_f IS NOT NULL GROUP BY 1, 2`,
      [ws],
    ),
    db.query<{ name: string; n: number; revenue: number }>(
      `SELECT rfm_segment AS name, count(*)::int AS n, coalesce(sum(revenue_net), 0)::float8 AS revenue
         FROM customers WHERE workspace_id = $1 AND rfm_segment IS NOT NULL GROUP BY 1`,
      [ws],
    ),
    db.query<{ at: Date | null }>('SELECT max(scored_at) AS at FROM customers WHERE workspace_id = $1', [ws]),
  ]);
  const names = rfmGridNames(settings.rfm.segments);
  const cells: RfmGrid['cells'] = [];
  for (let r = 5; r >= 1; r--) {
    for (let f = 1; f <= 5; f++) {
      const row = cellRows.find((c) => c.r === r && c.f === f);
      cells.push({ r, f, customers: row?.n ?? 0, revenue: row ? Math.round(row.revenue * 100) / 100 : 0, segment: names[r - 1]![f - 1]! });
    }
  }
  const byName = new Map(segRows.map((s) => [s.name, s]));
  const ordered = [...segmentNames(settings.rfm.segments), ...segRows.map((s) => s.name).filter((n) => !settings.rfm.segments.some((r) => r.segment === n)).sort()];
  const segments = ordered.map((name) => ({ name, customers: byName.get(name)?.n ?? 0, revenue: Math.round((byName.get(name)?.revenue ?? 0) * 100) / 100 }));
  return {
    cells,
    segments,
    customers: cells.reduce((s, c) => s + c.customers, 0),
    revenue: Math.round(cells.reduce((s, c) => s + c.revenue, 0) * 100) / 100,
    scoredAt: stamp[0]?.at ? new Date(stamp[0].at).toISOString() : null,
  };
}
