// Lots arithmetic (pure): points are spent, clawed back and expired lot by lot, first in first out; each function
// changes the lots it is given in memory and marks them changed, and says how much it took.
import { DateTime } from 'luxon';
import type { LotRow } from './store.ts';

/** First in, first out: by when earned, then by ledger order. */
export const fifo = (a: LotRow, b: LotRow): number =>
  a.earnedAt.getTime() - b.earnedAt.getTime() || Number(BigInt(a.ledgerId) - BigInt(b.ledgerId));

/** Takes up to n points from the lots, oldest first; returns how many it took. */
export function takeFifo(lots: LotRow[], n: number): number {
  let left = n;
  for (const l of [...lots].sort(fifo)) {
    if (left <= 0) break;
    const take = Math.min(l.remaining, left);
    if (take <= 0) continue;
    l.remaining -= take;
    l.changed = true;
    left -= take;
  }
  return n - left;
}

/** When points earned at `at` expire (null: never). */
export const expiryOf = (at: Date, months: number | null): Date | null =>
  months === null ? null : DateTime.fromJSDate(at, { zone: 'UTC' }).plus({ months }).toJSDate();

/** When points earned at `at` can be spent. */
export const availableFrom = (at: Date, pendingDays: number): Date => new Date(at.getTime() + pendingDays * 86_400_000);
