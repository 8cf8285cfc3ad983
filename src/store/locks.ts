// Every advisory lock the code takes: one named id per lock, saying what it guards, and the statements that take them.
// Locks are transaction-scoped (pg_advisory_xact_lock): they end with the transaction, also when it fails.
import type { Queryable } from './db.ts';

/**
 * Lock classes: the first key of pg_advisory_xact_lock(int, int); the second is hashtext(key). Two classes never share
 * a number (test/store/locks.test.ts), so two kinds of lock never wait on each other by accident.
 */
export const LOCKS = {
  /** One customer's list of web push subscriptions (key: "ws/user:id" or "ws/anonymous:id"): concurrent subscribes queue. */
  pushSubscriptions: 8_008_001,
  /** Deciding one customer's marketing messages (key: "ws/customer id"): caps and quiet hours are counted by one round at a time. */
  decidingMessages: 8_008_002,
  /** One provider message id of a workspace (key: "ws/provider id"): a delivery report and the recording of that id take turns. */
  providerMessageId: 8_008_003,
  /** A workspace's segment runs (key: workspace id): one run at a time. */
  segmentRuns: 0x5e6,
  /** A workspace's segment definitions (key: workspace id): reference and cycle checks of two edits never run side by side. */
  segmentDefinitions: 0x5e7,
} as const;

export type LockClass = keyof typeof LOCKS;

/**
 * Single-key lock (pg_advisory_xact_lock(bigint)) of the migrations: several processes starting at once migrate one at
 * a time. Single-key locks are another key space than the two-key classes above.
 */
export const MIGRATIONS_LOCK = 4242_0001;

/** lock-migrations: waits for another process's migration, and holds the turn until the transaction ends. */
export const lockMigrations = async (tx: Queryable): Promise<void> => {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATIONS_LOCK]);
};

/** lock: waits for the lock of one key of a class, and holds it until the transaction ends. */
export async function lock(tx: Queryable, kind: LockClass, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCKS[kind], key]);
}

/** try-lock: takes the lock of one key of a class, or answers false at once when another transaction holds it. */
export async function tryLock(tx: Queryable, kind: LockClass, key: string): Promise<boolean> {
  const [row] = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [
    LOCKS[kind],
    key,
  ]);
  return row!.ok;
}

/**
 * lock-in-key-order: takes the locks of these keys of a class, sorted by hashtext(key): two transactions taking locks of
 * one class this way never wait on each other in a circle.
 */
export async function lockInKeyOrder(tx: Queryable, kind: LockClass, keys: string[]): Promise<void> {
  await tx.query(
    'SELECT count(pg_advisory_xact_lock($1, k)) FROM (SELECT DISTINCT hashtext(c) AS k FROM unnest($2::text[]) AS c ORDER BY k) AS keys',
    [LOCKS[kind], keys],
  );
}

/**
 * lock-orders: one workspace's order ids (single-key locks on hashtextextended("ws:order id")), taken in id order:
 * batches that place, refund or cancel the same orders take turns and never wait in a circle.
 */
export async function lockOrderIds(tx: Queryable, ws: string, orderIds: string[]): Promise<void> {
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || id, 0)) FROM (SELECT id FROM unnest($2::text[]) AS u(id) ORDER BY id) AS s`,
    [ws, orderIds],
  );
}
