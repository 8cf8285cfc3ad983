// The loyalty job (worker): pending points that are due become spendable, lots past their expiry expire (first in,
// first out), and tiers due for review are reviewed — each an indexed range of what fell due, never a scan of everyone.
import type { Db } from '../store/index.ts';
import type { Job } from '../lib/index.ts';
import { Book } from './book.ts';
import { customersDue, enabledWorkspaces, readProgram, tiersDue } from './store.ts';
import { reviewTiers } from './tier-review.ts';
import { rewardReferrals } from './referrals.ts';

/** Customers per transaction. */
const BATCH = 500;

export interface LoyaltyPass {
  released: number;
  expired: number;
  tiersReviewed: number;
}

/** Everything due by `now` in one workspace, batch by batch. */
export async function loyaltyPass(db: Db, ws: string, now: Date): Promise<LoyaltyPass> {
  const result: LoyaltyPass = { released: 0, expired: 0, tiersReviewed: 0 };
  const program = await readProgram(db, ws);
  if (!program.enabled) return result;
  for (;;) {
    const moved = await db.transaction(async (tx) => {
      const customers = await customersDue(tx, ws, now, BATCH);
      if (!customers.length) return 0;
      const book = await Book.open(tx, ws, program, customers, now);
      await book.preloadLots(customers);
      const lots = (await Promise.all(customers.map((c) => book.lotsOf(c)))).flat();
      const releasing = lots.filter((l) => !l.released && l.availableAt <= now);
      const released = await book.release(releasing);
      await rewardReferrals(tx, ws, book, releasing, now);
      const expired = await book.expire(lots.filter((l) => l.remaining > 0 && l.expiresAt && l.expiresAt <= now));
      result.released += released;
      result.expired += expired;
      const n = released + expired;
      if (program.tiers.length) await reviewTiers(tx, ws, book, customers, now);
      await book.close(now);
      return n;
    });
    if (moved === 0) break;
  }
  let after = '0';
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const customers = await tiersDue(tx, ws, now, after, BATCH);
      if (!customers.length) return true;
      const book = await Book.open(tx, ws, program, customers, now);
      await reviewTiers(tx, ws, book, customers, now);
      await book.close(now);
      result.tiersReviewed += customers.length;
      after = customers.at(-1)!;
      return false;
    });
    if (done) break;
  }
  return result;
}

/** Runs every minute: releases and expiries are due at any time of day; tier reviews at their period's end. */
export const loyaltyJob: Job = {
  name: 'loyalty',
  everyMs: 60_000,
  async run(db, now) {
    for (const ws of await enabledWorkspaces(db)) await loyaltyPass(db, ws, now);
  },
};
