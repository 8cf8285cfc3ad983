// Identity merge: folds an anonymous profile into a known customer, moving its events, orders, carts and aggregates.
import type { Queryable } from '../store/index.ts';
import { mergeTraits } from './traits.ts';
import { profileColumns, storedState, type StoredProfile } from './profile.ts';
import { mergeJourneyState } from '../journeys/index.ts';
import { ConcurrentWrite } from './concurrent-write.ts';
import { moveCarts } from '../carts/index.ts';
import { mergeLoyalty } from '../loyalty/index.ts';

/** `keepAddresses` (the public key): the survivor keeps its e-mail and phone, whichever profile set its own later. */
export async function mergeCustomers(
  tx: Queryable,
  ws: string,
  from: string,
  to: string,
  opts: { keepAddresses?: boolean } = {},
): Promise<void> {
  const args = [ws, from, to];
  // Both profiles are locked first (in id order), so a batch that has just read one of them either finished writing
  // to it already (its rows are moved below) or will find it gone and retry.
  const rows = await tx.query<StoredProfile & { id: string }>(
    `SELECT id::text, traits, trait_times, email, phone, locale, timezone FROM customers
     WHERE workspace_id = $1 AND id IN ($2, $3) ORDER BY customers.id FOR UPDATE`,
    args,
  );
  const source = rows.find((r) => r.id === from);
  const target = rows.find((r) => r.id === to);
  if (!source || !target) throw new ConcurrentWrite('a customer to merge was merged or erased concurrently');
  // Each trait, e-mail, phone, locale and time zone from whichever profile set it later.
  const merged = profileColumns(mergeTraits(storedState(target), storedState(source)));
  if (opts.keepAddresses) {
    merged.email = target.email ?? merged.email;
    merged.phone = target.phone ?? merged.phone;
  }

  for (const table of ['events', 'identities', 'orders', 'order_adjustments']) {
    await tx.query(`UPDATE ${table} SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2`, args);
  }
  await tx.query(
    `INSERT INTO customer_event_counters (workspace_id, customer_id, name, count, first_at, last_at)
     SELECT workspace_id, $3, name, count, first_at, last_at FROM customer_event_counters WHERE workspace_id = $1 AND customer_id = $2
     ON CONFLICT (workspace_id, customer_id, name) DO UPDATE SET count = customer_event_counters.count + excluded.count,
       first_at = LEAST(customer_event_counters.first_at, excluded.first_at), last_at = GREATEST(customer_event_counters.last_at, excluded.last_at)`,
    args,
  );
  await tx.query('DELETE FROM customer_event_counters WHERE workspace_id = $1 AND customer_id = $2', [ws, from]);
  await tx.query(
    `INSERT INTO customer_purchase_days (workspace_id, customer_id, day)
     SELECT workspace_id, $3, day FROM customer_purchase_days WHERE workspace_id = $1 AND customer_id = $2 ON CONFLICT DO NOTHING`,
    args,
  );
  await tx.query('DELETE FROM customer_purchase_days WHERE workspace_id = $1 AND customer_id = $2', [ws, from]);
  await tx.query(
    `INSERT INTO consents (workspace_id, customer_id, channel, purpose, topic, granted, source, ip, text_version, at, confirmed_at)
     SELECT workspace_id, $3, channel, purpose, topic, granted, source, ip, text_version, at, confirmed_at FROM consents
      WHERE workspace_id = $1 AND customer_id = $2
     ON CONFLICT DO NOTHING`,
    args,
  );
  await tx.query('DELETE FROM consents WHERE workspace_id = $1 AND customer_id = $2', [ws, from]);
  await moveCarts(tx, ws, from, to);
  await mergeLoyalty(tx, ws, from, to);

  await tx.query(
    `UPDATE customers t SET
       first_seen = LEAST(t.first_seen, f.first_seen), last_seen = GREATEST(t.last_seen, f.last_seen),
       first_order_at = LEAST(t.first_order_at, f.first_order_at), last_order_at = GREATEST(t.last_order_at, f.last_order_at),
       orders_count = t.orders_count + f.orders_count, revenue_total = t.revenue_total + f.revenue_total,
       revenue_net = t.revenue_net + f.revenue_net,
       purchase_days = (SELECT count(*) FROM customer_purchase_days d WHERE d.workspace_id = $1 AND d.customer_id = $3),
       email = $6, phone = $7, locale = $8, timezone = $9, traits = $4::jsonb, trait_times = $5::jsonb
     FROM customers f WHERE t.workspace_id = $1 AND t.id = $3 AND f.workspace_id = $1 AND f.id = $2`,
    [
      ...args,
      JSON.stringify(merged.traits),
      JSON.stringify(merged.times),
      merged.email,
      merged.phone,
      merged.locale,
      merged.timezone,
    ],
  );
  await tx.query('DELETE FROM customer_changes WHERE workspace_id = $1 AND customer_id = $2', [ws, from]);
  await mergeJourneyState(tx, ws, from, to);
  await tx.query('DELETE FROM segment_members WHERE workspace_id = $1 AND customer_id = $2', [ws, from]);
  await tx.query('DELETE FROM customers WHERE workspace_id = $1 AND id = $2', [ws, from]);
  await tx.query('UPDATE customer_merges SET to_id = $3 WHERE workspace_id = $1 AND to_id = $2', args);
  await tx.query(
    'INSERT INTO customer_merges (workspace_id, from_id, to_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    args,
  );
}
