// The batch's one read before writing: which messages are stored already, whose ids were erased, who the ids belong to.
import type { Queryable } from '../store/index.ts';
import { identityHash } from '../identity/index.ts';
import type { NormalizedEvent } from './normalize.ts';
import { identityKeys, type KnownIdentities } from './resolve.ts';

/** The ids of an event as tombstones know them: `user:<id>`, `anonymous:<id>`. */
export function tombstoneKeys(e: NormalizedEvent): string[] {
  const keys: string[] = [];
  if (e.userId) keys.push(`user:${e.userId}`);
  if (e.anonymousId) keys.push(`anonymous:${e.anonymousId}`);
  return keys;
}

export interface BatchLookup {
  /** messageIds stored before. */
  known: Set<string>;
  /** Identity keys (`user:<id>`, `anonymous:<id>`) of erased people. */
  erased: Set<string>;
  identities: KnownIdentities;
}

/**
 * One statement: every probe is a primary-key look-up per value (LATERAL … LIMIT 1, which the planner cannot turn into
 * a join over the whole table), so the cost follows the batch, not the workspace, even before there are statistics.
 * Ids for new customers are drawn for every identity not found (an upper bound; unused ids are only a gap).
 * Only the distinct ids are hashed for the tombstones: a batch repeats a few dozen ids over hundreds of events.
 */
export async function lookupBatch(tx: Queryable, ws: string, events: NormalizedEvent[]): Promise<BatchLookup> {
  const keyOfHash = new Map<string, string>();
  for (const key of new Set(events.flatMap(tombstoneKeys))) {
    const colon = key.indexOf(':');
    keyOfHash.set(identityHash(key.slice(0, colon) as 'user' | 'anonymous', key.slice(colon + 1)), key);
  }
  const { kinds, values } = identityKeys(events);
  const rows = await tx.query<{
    what: string;
    a: string;
    b: string | null;
    c: string | null;
    email: string | null;
    phone: string | null;
  }>(
    `WITH found AS (
       SELECT k.kind, k.value, i.customer_id, c.user_id, c.email, c.phone
         FROM unnest($4::text[], $5::text[]) AS k(kind, value)
         CROSS JOIN LATERAL (SELECT i.customer_id FROM identities i WHERE i.workspace_id = $1 AND i.kind = k.kind AND i.value = k.value LIMIT 1) AS i
         CROSS JOIN LATERAL (SELECT c.user_id, c.email, c.phone FROM customers c WHERE c.workspace_id = $1 AND c.id = i.customer_id LIMIT 1) AS c
     )
     SELECT 'known' AS what, m.id AS a, NULL AS b, NULL AS c, NULL AS email, NULL AS phone FROM unnest($2::text[]) AS m(id)
       CROSS JOIN LATERAL (SELECT 1 FROM events e WHERE e.workspace_id = $1 AND e.message_id = m.id LIMIT 1) AS hit
     UNION ALL
     SELECT 'erased', h.id, NULL, NULL, NULL, NULL FROM unnest($3::text[]) AS h(id)
       CROSS JOIN LATERAL (SELECT 1 FROM erasures x WHERE x.workspace_id = $1 AND x.identity_hash = h.id LIMIT 1) AS hit
     UNION ALL
     SELECT 'identity', kind || ':' || value, customer_id::text, user_id, email, phone FROM found
     UNION ALL
     SELECT 'spare', nextval('customer_ids')::text, NULL, NULL, NULL, NULL FROM generate_series(1, cardinality($4::text[]) - (SELECT count(*) FROM found))`,
    [ws, events.map((e) => e.messageId), [...keyOfHash.keys()], kinds, values],
  );
  const known = new Set<string>();
  const erased = new Set<string>();
  const identities: KnownIdentities = { existing: [], spare: [] };
  for (const r of rows) {
    if (r.what === 'known') known.add(r.a);
    else if (r.what === 'erased') erased.add(keyOfHash.get(r.a)!);
    else if (r.what === 'identity')
      identities.existing.push({ key: r.a, customer: r.b!, user: r.c, email: r.email, phone: r.phone });
    else identities.spare.push(r.a);
  }
  return { known, erased, identities };
}
