// Ingest: validates a batch, then in ONE transaction resolves identities, stores new events and updates orders, carts and aggregates.
import type { Db, Queryable } from '../store/index.ts';
import { isRejection, normalizeMessage, type NormalizeEnv, type NormalizedEvent, type Rejection } from './normalize.ts';
import type { MessageType } from './schema.ts';
import { resolveCustomers } from './resolve.ts';
import { adjustOrders, lockOrders, placeOrders, settleEarlyAdjustments } from './orders.ts';
import { bumpCounters, customerDeltas } from './aggregates.ts';
import { profilePatches } from './profile.ts';
import { lookupBatch, tombstoneKeys } from './lookup.ts';
import { appendEvents } from './event-log.ts';
import { writeCustomers } from './customer-writes.ts';
import { recordCartChanges } from './carts.ts';
import type { Held } from './address-guard.ts';
import { loyaltyForBatch } from '../loyalty/index.ts';
import { redeemCoupons } from '../coupons/index.ts';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  /** Events stored with a change they asked for not made (public key: an e-mail, a phone, a merge), by index and field. */
  warnings?: Held[];
}

export interface IngestOptions extends Partial<NormalizeEnv> {
  /** Forces every message to this type (the single-message endpoints /v1/track etc.). */
  type?: MessageType;
  /**
   * Sent with the public key (a web page's, in anyone's hands): no alias, and an existing customer's e-mail and phone
   * stay as they are, neither changed by an identify nor by merging a profile with other ones (see address-guard.ts).
   */
  publicKey?: boolean;
}

const ALIAS_REFUSED =
  'alias merges two customers into one: the public key may not (anyone can send with it). Send it with the server key, from your backend';

export async function ingest(db: Db, ws: string, messages: unknown[], opts: IngestOptions = {}): Promise<IngestResult> {
  const env: NormalizeEnv = { receivedAt: opts.receivedAt ?? new Date(), ...opts } as NormalizeEnv;
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  const valid: NormalizedEvent[] = [];
  let duplicates = 0;
  messages.forEach((raw, index) => {
    const result = normalizeMessage(raw, index, env, opts.type);
    if (isRejection(result)) rejected.push(result);
    else if (opts.publicKey && result.type === 'alias') rejected.push({ index, field: 'type', reason: ALIAS_REFUSED });
    else if (seen.has(result.messageId)) duplicates++;
    else {
      seen.add(result.messageId);
      valid.push(result);
    }
  });
  if (valid.length === 0) return { accepted: 0, duplicates, rejected };
  // The transaction may be retried (a concurrent writer created the same identity): storeBatch is pure of side effects.
  const stored = await db.transaction((tx) => storeBatch(tx, ws, valid, opts.publicKey === true, env.receivedAt));
  rejected.push(...stored.rejected);
  const result: IngestResult = {
    accepted: stored.accepted,
    duplicates: duplicates + stored.duplicates,
    rejected: rejected.sort((a, b) => a.index - b.index),
  };
  if (stored.held.length) result.warnings = stored.held.sort((a, b) => a.index - b.index);
  return result;
}

async function storeBatch(tx: Queryable, ws: string, events: NormalizedEvent[], publicKey: boolean, receivedAt: Date) {
  const rejected: Rejection[] = [];
  // 1. One read: what is stored already (a replay), who was erased, and who the batch's ids belong to.
  const { known, erased, identities } = await lookupBatch(tx, ws, events);
  const fresh: NormalizedEvent[] = [];
  for (const e of events) {
    if (known.has(e.messageId)) continue;
    const hit = erased.size > 0 && tombstoneKeys(e).some((k) => erased.has(k));
    if (hit)
      rejected.push({
        index: e.index,
        field: e.userId ? 'userId' : 'anonymousId',
        reason: 'this person was erased (right to be forgotten); events about them are not stored',
      });
    else fresh.push(e);
  }
  const duplicates = known.size;
  if (fresh.length === 0) return { accepted: 0, duplicates, rejected, held: [] };

  // 2. Who is each event about? Identities, merges and renames are written; new customers wait for step 5.
  const { owners, created, held } = await resolveCustomers(tx, ws, fresh, identities, publicKey);

  // 3. Store the events.
  await appendEvents(tx, ws, fresh, owners);
  const owned = fresh.map((event, i) => ({ event, customerId: owners[i] ?? null }));

  // 4. Orders and refunds.
  await lockOrders(tx, ws, owned);
  const { placed: orders, orderIds } = await placeOrders(tx, ws, owned);
  const adjustments = [
    ...(await settleEarlyAdjustments(tx, ws, orders, orderIds)),
    ...(await adjustOrders(tx, ws, owned)),
  ];
  // Cart events as changes to their carts' lines (an order closes its cart by naming it: see src/carts/).
  await recordCartChanges(tx, ws, owned);
  // Coupon codes the orders name (`coupon`) redeemed once, attributed to the journey and message that gave them.
  await redeemCoupons(tx, ws, owned);

  // 5. Each touched customer written once (aggregates, and the profile when a trait changed), then the counters.
  await writeCustomers(tx, ws, {
    created,
    deltas: customerDeltas(owned, orders, adjustments),
    orders,
    adjustments,
    patches: profilePatches(owned),
    held: publicKey ? held : undefined,
  });
  await bumpCounters(tx, ws, owned);

  // 6. Loyalty points for the orders placed, refunded or cancelled and the bonus events (nothing while the programme is off).
  await loyaltyForBatch(tx, ws, owned, orderIds, receivedAt);
  return { accepted: owned.length, duplicates, rejected, held };
}
