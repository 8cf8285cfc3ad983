// Tier reviews on locked accounts: measure the customers over the rolling window, apply what reviewTier decides and put
// a `Tier Changed` event on the timeline of each who moved (journeys can start on it).
import type { Queryable } from '../store/index.ts';
import type { Book } from './book.ts';
import { tierEvent } from './events.ts';
import { reviewTier, windowStart } from './tiers.ts';
import { tierMeasures } from './store.ts';

/** Reviews the tiers of these customers (their accounts locked by the book); returns how many changed tier. */
export async function reviewTiers(
  tx: Queryable,
  ws: string,
  book: Book,
  customerIds: string[],
  now: Date,
): Promise<number> {
  const s = book.program;
  if (!s.tiers.length && ![...book.accounts.values()].some((a) => a.tier !== null)) return 0;
  const measures = await tierMeasures(tx, ws, customerIds, s.tierBasis, windowStart(s, now));
  let changed = 0;
  for (const id of customerIds) {
    const a = book.account(id);
    const move = reviewTier(
      s,
      { tier: a.tier, since: a.tierSince, reviewAt: a.tierReviewAt },
      measures.get(id) ?? 0,
      now,
    );
    if (!move) continue;
    if (move.direction !== 'renew') {
      book.events.push(tierEvent(id, a.tier, move.to.tier, now, move.direction));
      changed++;
    }
    a.tier = move.to.tier;
    a.tierSince = move.to.since;
    a.tierReviewAt = move.to.reviewAt;
    a.changed = true;
  }
  return changed;
}
