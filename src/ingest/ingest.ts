// Ingest: validates a batch, then in ONE transaction resolves identities, stores new events and updates orders and aggregates.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../store/db.ts';
import { isRejection, normalizeMessage, type NormalizeEnv, type NormalizedEvent, type Rejection } from './normalize.ts';
import type { MessageType } from './schema.ts';
import { resolveCustomers } from './resolve.ts';
import { adjustOrders, placeOrders } from './orders.ts';
import { applyCustomerDeltas, bumpCounters, customerDeltas } from './aggregates.ts';
import { updateProfiles } from './profile.ts';

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
  const stored = await db.transaction((tx) => storeBatch(tx, ws, valid, rejected));
  return { accepted: stored.accepted, duplicates: duplicates + stored.duplicates, rejected: rejected.sort((a, b) => a.index - b.index) };
}

async function storeBatch(tx: Queryable, ws: string, events: NormalizedEvent[], rejected: Rejection[]) {
  const rejectedHere: Rejection[] = [];
  // 1. Drop what is already stored (a replay) and what belongs to an erased person.
  const known = new Set(
    (await tx.query<{ message_id: string }>('SELECT message_id FROM events WHERE workspace_id = $1 AND message_id = ANY($2::text[])', [
      ws, events.map((e) => e.messageId),
    ])).map((r) => r.message_id),
  );
  let fresh = events.filter((e) => !known.has(e.messageId));
  fresh = await dropErased(tx, ws, fresh, rejectedHere);
  const duplicates = events.length - fresh.length - rejectedHere.length;
  rejected.push(...rejectedHere);
  if (fresh.length === 0) return { accepted: 0, duplicates };

  // 2. Who is each event about?
  const owners = await resolveCustomers(tx, ws, fresh);

  // 3. Store the events; a concurrent writer of the same messageId wins, we skip it.
  const inserted = new Set(
    (await tx.query<{ message_id: string }>(
      `INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at)
       SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::jsonb[], $11::timestamptz[], $12::timestamptz[])
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [
        ws,
        fresh.map((e) => e.messageId),
        owners,
        fresh.map((e) => e.type),
        fresh.map((e) => e.name),
        fresh.map((e) => e.userId),
        fresh.map((e) => e.anonymousId),
        fresh.map((e) => JSON.stringify(e.properties)),
        fresh.map((e) => (e.traits ? JSON.stringify(e.traits) : null)),
        fresh.map((e) => (e.context ? JSON.stringify(e.context) : null)),
        fresh.map((e) => e.timestamp.toISOString()),
        fresh.map((e) => e.receivedAt.toISOString()),
      ],
    )).map((r) => r.message_id),
  );
  const owned = fresh.map((event, i) => ({ event, customerId: owners[i] ?? null })).filter((o) => inserted.has(o.event.messageId));

  // 4. Orders, refunds, aggregates and profile, from the new events only.
  const orders = await placeOrders(tx, ws, owned);
  const adjustments = await adjustOrders(tx, ws, owned);
  await applyCustomerDeltas(tx, ws, customerDeltas(owned, orders, adjustments), orders);
  await bumpCounters(tx, ws, owned);
  await updateProfiles(tx, ws, owned);
  return { accepted: owned.length, duplicates: duplicates + fresh.length - owned.length };
}

async function dropErased(tx: Queryable, ws: string, events: NormalizedEvent[], rejected: Rejection[]): Promise<NormalizedEvent[]> {
  const hashes = (e: NormalizedEvent) => [
    ...(e.userId ? [identityHash('user', e.userId)] : []),
    ...(e.anonymousId ? [identityHash('anonymous', e.anonymousId)] : []),
  ];
  const all = [...new Set(events.flatMap(hashes))];
  if (all.length === 0) return events;
  const erased = new Set(
    (await tx.query<{ identity_hash: string }>('SELECT identity_hash FROM erasures WHERE workspace_id = $1 AND identity_hash = ANY($2::text[])', [ws, all])).map(
      (r) => r.identity_hash,
    ),
  );
  if (erased.size === 0) return events;
  return events.filter((e) => {
    const hit = hashes(e).some((h) => erased.has(h));
    if (hit) rejected.push({ index: e.index, field: e.userId ? 'userId' : 'anonymousId', reason: 'this person was erased (right to be forgotten); events about them are not stored' });
    return !hit;
  });
}
