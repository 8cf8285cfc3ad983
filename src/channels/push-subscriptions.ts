// Web Push subscriptions of a customer: kept in the trait webpush_subscriptions (newest first), written through ingest.
import { DomainError } from '../lib/index.ts';
import { type Db, type Queryable, lock } from '../store/index.ts';
import { ingest } from '../ingest/index.ts';
import { urlRefusal, defaultOutboundPolicy } from '../net/index.ts';
import type { PushSubscriptionJson } from './webpush.ts';

export const SUBSCRIPTIONS_TRAIT = 'webpush_subscriptions';
/** Browsers and devices kept per customer; an older one beyond this is dropped. */
export const MAX_SUBSCRIPTIONS = 10;

export interface StoredSubscription extends PushSubscriptionJson {
  subscribedAt: string;
}

export interface SubscribeInput {
  userId?: string;
  anonymousId?: string;
  subscription: PushSubscriptionJson;
}

/** A subscription refused: 400 `invalid_request`, naming the field. */
export class SubscribeError extends DomainError {
  declare readonly field: string;
  constructor(field: string, message: string) {
    super('invalid_request', 400, `${field}: ${message}`, { field });
  }
}

/** The list after adding one (pure): same endpoint replaced, expired ones dropped, newest first, at most MAX_SUBSCRIPTIONS. */
export function addSubscription(existing: unknown, added: PushSubscriptionJson, now: Date): StoredSubscription[] {
  const fresh: StoredSubscription = {
    endpoint: added.endpoint,
    keys: { p256dh: added.keys.p256dh, auth: added.keys.auth },
    ...(added.expirationTime ? { expirationTime: added.expirationTime } : {}),
    subscribedAt: now.toISOString(),
  };
  const others = (Array.isArray(existing) ? (existing as StoredSubscription[]) : []).filter(
    (s) =>
      s &&
      typeof s.endpoint === 'string' &&
      s.endpoint !== added.endpoint &&
      !(s.expirationTime && s.expirationTime < now.getTime()),
  );
  return [fresh, ...others].slice(0, MAX_SUBSCRIPTIONS);
}

/**
 * A customer's stored subscriptions, newest first by when they subscribed (whatever order the trait holds them in; an
 * entry without a date counts as oldest). The dispatcher sends to the first one that is not suppressed.
 */
export function newestFirst(list: unknown): StoredSubscription[] {
  const subs = (Array.isArray(list) ? list : []).filter(
    (s): s is StoredSubscription =>
      !!s && typeof s === 'object' && typeof (s as StoredSubscription).endpoint === 'string',
  );
  const when = (s: StoredSubscription) => (typeof s.subscribedAt === 'string' ? Date.parse(s.subscribedAt) || 0 : 0);
  return subs
    .map((s, i) => ({ s, i }))
    .sort((a, b) => when(b.s) - when(a.s) || a.i - b.i)
    .map(({ s }) => s);
}

async function current(
  tx: Queryable,
  ws: string,
  input: SubscribeInput,
): Promise<{ list: unknown; at: string | null }> {
  const rows = await tx.query<{ list: unknown; at: string | null }>(
    `SELECT c.traits -> $4 AS list, c.trait_times ->> $4 AS at
     FROM identities i JOIN customers c ON c.workspace_id = i.workspace_id AND c.id = i.customer_id
     WHERE i.workspace_id = $1 AND ((i.kind = 'user' AND i.value = $2) OR (i.kind = 'anonymous' AND i.value = $3))
     ORDER BY i.kind = 'user' DESC LIMIT 1`,
    [ws, input.userId ?? null, input.anonymousId ?? null, SUBSCRIPTIONS_TRAIT],
  );
  return rows[0] ?? { list: null, at: null };
}

/** The open transaction seen as a database, so that ingest runs inside it (its own transaction becomes this one). */
function within(db: Db, tx: Queryable): Db {
  return {
    kind: db.kind,
    query: (sql, params) => tx.query(sql, params),
    transaction: (fn) => fn(tx),
    copyCsv: () => Promise.reject(new Error('not inside a subscription update')),
    close: () => Promise.reject(new Error('not inside a subscription update')),
  };
}

/**
 * Adds a browser's subscription to the customer (created if new) with an identify. Read, merge and write happen in one
 * transaction holding an advisory lock on the visitor, so concurrent subscribes of one customer (two devices, two
 * processes) queue instead of overwriting each other's list.
 */
export async function subscribeWebPush(
  db: Db,
  ws: string,
  input: SubscribeInput,
  now: Date,
): Promise<{ subscriptions: number }> {
  if (!input.userId && !input.anonymousId)
    throw new SubscribeError('userId', 'send userId or anonymousId: who this browser belongs to');
  // Anyone with the public write key registers endpoints: one Retain would never call is refused at once.
  const refused = urlRefusal(input.subscription.endpoint, defaultOutboundPolicy().allow);
  if (refused) throw new SubscribeError('subscription.endpoint', refused);
  const visitor = input.userId ? `user:${input.userId}` : `anonymous:${input.anonymousId}`;
  return db.transaction(async (tx) => {
    await lock(tx, 'pushSubscriptions', `${ws}/${visitor}`);
    const before = await current(tx, ws, input);
    // Later wins per trait: write at a time after what is stored, even when this clock is behind it.
    const at = new Date(Math.max(now.getTime(), before.at ? Date.parse(before.at) + 1 : 0));
    const list = addSubscription(before.list, input.subscription, at);
    const identify = {
      userId: input.userId,
      anonymousId: input.anonymousId,
      traits: { [SUBSCRIPTIONS_TRAIT]: list },
      timestamp: at.toISOString(),
    };
    const result = await ingest(within(db, tx), ws, [identify], { type: 'identify', receivedAt: now });
    const rejected = result.rejected[0];
    if (rejected) throw new SubscribeError(rejected.field || 'body', rejected.reason);
    return { subscriptions: list.length };
  });
}
