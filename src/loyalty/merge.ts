// Loyalty when two profiles become one (an identity merge): the merged-away customer's ledger and lots follow their
// events and orders to the survivor, whose balances become the sums (its tier, else the other's); referrals follow both sides.
import type { Queryable } from '../store/index.ts';

// -- name: merge-loyalty: moves the ledger and lots of `from` to `to` and folds the two accounts into one (in the merge's transaction).
export async function mergeLoyalty(tx: Queryable, ws: string, from: string, to: string): Promise<void> {
  // a referral follows its referee (the survivor keeps the one it had, if any) and its referrer
  await tx.query(
    'UPDATE loyalty_referrals r SET referee_id = $3 WHERE workspace_id = $1 AND referee_id = $2 AND NOT EXISTS (SELECT 1 FROM loyalty_referrals x WHERE x.workspace_id = $1 AND x.referee_id = $3)',
    [ws, from, to],
  );
  await tx.query('DELETE FROM loyalty_referrals WHERE workspace_id = $1 AND referee_id = $2', [ws, from]);
  await tx.query('UPDATE loyalty_referrals SET referrer_id = $3 WHERE workspace_id = $1 AND referrer_id = $2', [
    ws,
    from,
    to,
  ]);
  const [fromAccount] = await tx.query<{ available: string }>(
    'SELECT available::text FROM loyalty_accounts WHERE workspace_id = $1 AND customer_id = $2 FOR UPDATE',
    [ws, from],
  );
  if (!fromAccount) return;
  await tx.query(
    `INSERT INTO loyalty_accounts (workspace_id, customer_id, available, pending, tier, tier_since, tier_review_at, referral_code, updated_at)
     SELECT workspace_id, $3, available, pending, tier, tier_since, tier_review_at, NULL, updated_at FROM loyalty_accounts WHERE workspace_id = $1 AND customer_id = $2
     ON CONFLICT (workspace_id, customer_id) DO UPDATE SET available = loyalty_accounts.available + excluded.available,
       pending = loyalty_accounts.pending + excluded.pending, tier = coalesce(loyalty_accounts.tier, excluded.tier),
       tier_since = coalesce(loyalty_accounts.tier_since, excluded.tier_since), tier_review_at = coalesce(loyalty_accounts.tier_review_at, excluded.tier_review_at)`,
    [ws, from, to],
  );
  await tx.query('UPDATE loyalty_ledger SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2', [
    ws,
    from,
    to,
  ]);
  await tx.query('UPDATE loyalty_lots SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2', [
    ws,
    from,
    to,
  ]);
  await tx.query('DELETE FROM loyalty_accounts WHERE workspace_id = $1 AND customer_id = $2', [ws, from]);
}
