// The anonymous ids (devices, browsers) each customer of a page is known by: one set-based read for the whole page.
import type { Queryable } from '../store/index.ts';
import type { CustomerRow } from './view.ts';

/** The rows with `anonymous_ids` filled in (sorted), read with one query on the identities of the page's customers. */
export async function withAnonymousIds<R extends CustomerRow>(db: Queryable, ws: string, rows: R[]): Promise<R[]> {
  if (!rows.length) return rows;
  const found = await db.query<{ customer_id: string; ids: string[] }>(
    `SELECT customer_id::text, array_agg(value ORDER BY value) AS ids FROM identities
     WHERE workspace_id = $1 AND customer_id = ANY($2::bigint[]) AND kind = 'anonymous' GROUP BY customer_id`,
    [ws, rows.map((r) => String(r.id))],
  );
  const byCustomer = new Map(found.map((f) => [f.customer_id, f.ids]));
  return rows.map((r) => ({ ...r, anonymous_ids: byCustomer.get(String(r.id)) ?? [] }));
}
