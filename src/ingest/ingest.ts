// Ingest: validates a batch, then in ONE transaction resolves identities, stores new events and updates orders and aggregates.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../store/db.ts';
import { isRejection, normalizeMessage, type NormalizeEnv, type NormalizedEvent, type Rejection } from './normalize.ts';
import type { MessageType } from './schema.ts';
import { resolveCustomers } from './resolve.ts';
import { adjustOrders, lockOrders, placeOrders, settleEarlyAdjustments } from './orders.ts';
import { applyCustomerDeltas, bumpCounters, customerDeltas } from './aggregates.ts';
import { profilePatches, updateProfiles } from './profile.ts';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
}

export interface IngestOptions extends Partial<NormalizeEnv> {
  /** Forces every message to this type (the single-message endpoints /v1/track etc.). */
  type?: MessageType;
}

/** Hash of an identity as kept in erasure tombstones: no PII is stored, yet a replay is recognised. */
export const identityHash = (kind: 'user' | 'anonymous', value: string) =>
  createHash('sha256').update(`${kind}:${value}`).digest('hex');

export async function ingest(db: Db, ws: string, messages: unknown[], opts: IngestOptions = {}): Promise<IngestResult> {
  const env: NormalizeEnv = { receivedAt: opts.receivedAt ?? new Date(), ...opts } as NormalizeEnv;
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  const valid: NormalizedEvent[] = [];
  let duplicates = 0;
  messages.forEach((raw, index) => {
    const result = normalizeMessage(raw, index, env, opts.type);
    if (isRejection(result)) rejected.push(result);
    else if (seen.has(result.messageId)) duplicates++;
    else {
      seen.add(result.messageId);
      valid.push(result);
    }
  });
  if (valid.length === 0) return { accepted: 0, duplicates, rejected };
  // The transaction may be retried (a concurrent writer created the same identity): storeBatch is pure of side effects.
  const stored = await db.transaction((tx) => storeBatch(tx, ws, valid));
  rejected.push(...stored.rejected);
  return { accepted: stored.accepted, duplicates: duplicates + stored.duplicates, rejected: rejected.sort((a, b) => a.index - b.index) };
}

async function storeBatch(tx: Queryable, ws: string, events: NormalizedEvent[]) {
  const rejected: Rejection[] = [];
  // 1. Drop what is already stored (a replay) and what belongs to an erased person, in one round trip.
  const { known, erased } = await alreadyKnown(tx, ws, events);
  const fresh: NormalizedEvent[] = [];
  for (const e of events) {
    if (known.has(e.messageId)) continue;
    const hit = erased.size > 0 && identityKeys(e).some((k) => erased.has(k));
    if (hit) rejected.push({ index: e.index, field: e.userId ? 'userId' : 'anonymousId', reason: 'this person was erased (right to be forgotten); events about them are not stored' });
    else fresh.push(e);
  }
  const duplicates = known.size;
  if (fresh.length === 0) return { accepted: 0, duplicates, rejected };

  // 2. Who is each event about?
  const owners = await resolveCustomers(tx, ws, fresh);

  // 3. Store the events (one JSON parameter: cheaper to send and parse than a dozen escaped arrays);
  //    a concurrent writer of the same messageId wins, and we skip it.
  const rows = fresh.map((e, i) => ({
    message_id: e.messageId,
    customer_id: owners[i],
    type: e.type,
    name: e.name,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    properties: e.properties,
    traits: e.traits,
    context: e.context,
    timestamp: e.timestamp.toISOString(),
    received_at: e.receivedAt.toISOString(),
  }));
  const inserted = new Set(
    (await tx.query<{ message_id: string }>(
      `INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at)
       SELECT $1, r.message_id, r.customer_id, r.type, r.name, r.user_id, r.anonymous_id, r.properties, r.traits, r.context, r.timestamp, r.received_at
         FROM jsonb_to_recordset($2::jsonb) AS r(message_id text, customer_id bigint, type text, name text, user_id text, anonymous_id text,
              properties jsonb, traits jsonb, context jsonb, timestamp timestamptz, received_at timestamptz)
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [ws, JSON.stringify(rows)],
    )).map((r) => r.message_id),
  );
  const owned = fresh.map((event, i) => ({ event, customerId: owners[i] ?? null })).filter((o) => inserted.has(o.event.messageId));

  // 4. Orders, refunds, then each touched customer written once: aggregates, and the profile when a trait changed.
  await lockOrders(tx, ws, owned);
  const { placed: orders, orderIds } = await placeOrders(tx, ws, owned);
  const adjustments = [...(await settleEarlyAdjustments(tx, ws, orders, orderIds)), ...(await adjustOrders(tx, ws, owned))];
  const patches = profilePatches(owned);
  const profiles = await applyCustomerDeltas(tx, ws, customerDeltas(owned, orders, adjustments), orders, new Set(patches.keys()));
  await updateProfiles(tx, ws, patches, profiles);
  await bumpCounters(tx, ws, owned);
  return { accepted: owned.length, duplicates: duplicates + fresh.length - owned.length, rejected };
}

/** The ids of an event as tombstones know them: `user:<id>`, `anonymous:<id>`. */
function identityKeys(e: NormalizedEvent): string[] {
  const keys: string[] = [];
  if (e.userId) keys.push(`user:${e.userId}`);
  if (e.anonymousId) keys.push(`anonymous:${e.anonymousId}`);
  return keys;
}

/**
 * Which messageIds are stored already and which of the batch's ids were erased. Each is a primary-key probe per
 * value (LATERAL … LIMIT 1), so the plan stays an index look-up even before the planner has statistics. Only the
 * distinct ids are hashed: a batch repeats a few dozen ids over hundreds of events.
 */
async function alreadyKnown(tx: Queryable, ws: string, events: NormalizedEvent[]) {
  const keyOfHash = new Map<string, string>();
  for (const key of new Set(events.flatMap(identityKeys))) {
    const colon = key.indexOf(':');
    keyOfHash.set(identityHash(key.slice(0, colon) as 'user' | 'anonymous', key.slice(colon + 1)), key);
  }
  const rows = await tx.query<{ kind: string; value: string }>(
    `SELECT 'known' AS kind, m.id AS value FROM unnest($2::text[]) AS m(id)
       CROSS JOIN LATERAL (SELECT 1 FROM events e WHERE e.workspace_id = $1 AND e.message_id = m.id LIMIT 1) AS hit
     UNION ALL
     SELECT 'erased', h.id FROM unnest($3::text[]) AS h(id)
       CROSS JOIN LATERAL (SELECT 1 FROM erasures x WHERE x.workspace_id = $1 AND x.identity_hash = h.id LIMIT 1) AS hit`,
    [ws, events.map((e) => e.messageId), [...keyOfHash.keys()]],
  );
  const known = new Set<string>();
  const erased = new Set<string>(); // identity keys
  for (const r of rows) {
    if (r.kind === 'known') known.add(r.value);
    else erased.add(keyOfHash.get(r.value)!);
  }
  return { known, erased };
}
