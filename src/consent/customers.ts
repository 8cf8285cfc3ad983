// Which customer a consent request is about: a signed link names the internal id (followed through merges); the admin
// API also takes a user id.
import type { Queryable } from '../store/index.ts';
import { pickLanguage, type Language } from '../i18n/index.ts';

export interface CustomerRef {
  id: string;
  userId: string | null;
  email: string | null;
  phone: string | null;
}

const COLUMNS = 'c.id::text AS id, c.user_id AS "userId", c.email, c.phone';
const INTERNAL_ID = /^\d{1,18}$/;

/**
 * The customer an internal id names (a merged-away id leads to the customer it became). For ids we wrote ourselves
 * (link tokens, confirmations, message rows): never matched against user ids, which a shop may also make numeric.
 */
export async function customerById(db: Queryable, ws: string, id: string): Promise<CustomerRef | null> {
  if (typeof id !== 'string' || !INTERNAL_ID.test(id)) return null;
  const [row] = await db.query<CustomerRef>(
    `SELECT ${COLUMNS} FROM customers c
     WHERE c.workspace_id = $1 AND c.id = COALESCE((SELECT m.to_id FROM customer_merges m WHERE m.workspace_id = $1 AND m.from_id = $2::bigint), $2::bigint)`,
    [ws, id],
  );
  return row ?? null;
}

/** The ids of the customers with this phone number (E.164), in id order. */
export async function customerIdsByPhone(db: Queryable, ws: string, phone: string): Promise<string[]> {
  return (
    await db.query<{ id: string }>(
      'SELECT id::text FROM customers WHERE workspace_id = $1 AND phone = $2 ORDER BY customers.id',
      [ws, phone],
    )
  ).map((r) => r.id);
}

/**
 * The customer an admin names: a user id, or an internal id (followed through merges). A user id wins when both match,
 * so only the admin API uses this; anything a customer's own link carries goes through customerById.
 */
export async function findCustomer(db: Queryable, ws: string, ref: string): Promise<CustomerRef | null> {
  if (typeof ref !== 'string' || !ref || ref.length > 400) return null;
  const numeric = INTERNAL_ID.test(ref) ? ref : null;
  const [row] = await db.query<CustomerRef>(
    `SELECT ${COLUMNS} FROM customers c
     WHERE c.workspace_id = $1 AND (c.user_id = $2 OR c.id = COALESCE(
       (SELECT m.to_id FROM customer_merges m WHERE m.workspace_id = $1 AND m.from_id = $3::bigint), $3::bigint))
     ORDER BY (c.user_id IS NOT DISTINCT FROM $2) DESC LIMIT 1`,
    [ws, ref, numeric],
  );
  return row ?? null;
}

/**
 * The language a customer reads our pages and built-in texts in: their locale's (pl-PL → pl) when we write it, else
 * the workspace's default, else English. The id is an internal one (followed through merges), as links carry.
 */
export async function readerLanguage(db: Queryable, ws: string, id: string): Promise<Language> {
  const [row] = await db.query<{ locale: string | null; fallback: string | null }>(
    `SELECT (SELECT c.locale FROM customers c WHERE c.workspace_id = $1 AND c.id = COALESCE(
              (SELECT m.to_id FROM customer_merges m WHERE m.workspace_id = $1 AND m.from_id = $2::bigint), $2::bigint)) AS locale,
            w.settings->'messaging'->>'defaultLocale' AS fallback
       FROM workspaces w WHERE w.id = $1`,
    [ws, INTERNAL_ID.test(id) ? id : null],
  );
  return pickLanguage(row?.locale, row?.fallback);
}
