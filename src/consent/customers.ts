// Which customer a consent request is about: by internal id (following merges) or user id.
import type { Queryable } from '../store/db.ts';

export interface CustomerRef {
  id: string;
  userId: string | null;
  email: string | null;
  phone: string | null;
}

/** The customer a reference names: a user id, or an internal id (a merged-away id leads to the customer it became). */
export async function findCustomer(db: Queryable, ws: string, ref: string): Promise<CustomerRef | null> {
  if (typeof ref !== 'string' || !ref || ref.length > 400) return null;
  const numeric = /^\d{1,18}$/.test(ref) ? ref : null;
  const [row] = await db.query<CustomerRef>(
    `SELECT c.id::text AS id, c.user_id AS "userId", c.email, c.phone FROM customers c
     WHERE c.workspace_id = $1 AND (c.user_id = $2 OR c.id = COALESCE(
       (SELECT m.to_id FROM customer_merges m WHERE m.workspace_id = $1 AND m.from_id = $3::bigint), $3::bigint))
     ORDER BY (c.user_id IS NOT DISTINCT FROM $2) DESC LIMIT 1`,
    [ws, ref, numeric],
  );
  return row ?? null;
}
