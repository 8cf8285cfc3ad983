// Reads remembered for one transaction: a batch (a dispatcher claim) reads a workspace's template, defaults or keys once,
// not once per message. Keyed by the transaction object, so nothing outlives it (pass a transaction, never the Db).
import type { Queryable } from './db.ts';

const memos = new WeakMap<Queryable, Map<string, Promise<unknown>>>();

export function oncePerTransaction<T>(tx: Queryable, key: string, read: () => Promise<T>): Promise<T> {
  let memo = memos.get(tx);
  if (!memo) memos.set(tx, (memo = new Map()));
  if (!memo.has(key)) memo.set(key, read());
  return memo.get(key) as Promise<T>;
}
