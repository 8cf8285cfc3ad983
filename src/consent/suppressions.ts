// Suppressions: addresses never to be sent to again on a channel (hard bounce, complaint, unsubscribed, invalid
// address), whatever the purpose. Addresses are kept normalised: e-mail lower-cased, phone numbers in E.164.
import { type Queryable, bulkRows } from '../store/index.ts';
import { CHANNELS, type Channel } from '../channels/index.ts';
import { normalizeEmail, normalizePhone } from '../identity/index.ts';
import { SUPPRESSION_REASONS, type SuppressionReason } from './types.ts';
import { ConsentError } from './errors.ts';

export interface Suppression {
  channel: Channel;
  address: string;
  reason: SuppressionReason;
  detail: string | null;
  at: Date;
}

/** The address as suppressions keep it; throws ConsentError naming the field when it cannot be one. */
export function suppressionAddress(channel: string, address: string): string {
  if (!(CHANNELS as readonly string[]).includes(channel))
    throw new ConsentError('invalid', `one of ${CHANNELS.join(', ')}`, 'channel');
  if (typeof address !== 'string' || !address.trim() || address.length > 2000)
    throw new ConsentError('invalid', 'the address to suppress', 'address');
  if (channel === 'email') {
    const email = normalizeEmail(address);
    if (!email) throw new ConsentError('invalid', `${JSON.stringify(address)} is not an e-mail address`, 'address');
    return email;
  }
  if (channel === 'sms') {
    const phone = normalizePhone(address);
    if (!phone)
      throw new ConsentError(
        'invalid',
        `${JSON.stringify(address)} is not a phone number in international format (+48…)`,
        'address',
      );
    return phone;
  }
  return address.trim();
}

/** Suppresses the address (a later suppression replaces the reason of an earlier one). */
export async function suppress(
  db: Queryable,
  ws: string,
  channel: Channel,
  address: string,
  reason: SuppressionReason,
  detail: string | null = null,
  at: Date = new Date(),
): Promise<Suppression> {
  if (!SUPPRESSION_REASONS.includes(reason))
    throw new ConsentError('invalid', `one of ${SUPPRESSION_REASONS.join(', ')}`, 'reason');
  const normalized = suppressionAddress(channel, address);
  await db.query(
    `INSERT INTO suppressions (workspace_id, channel, address, reason, detail, at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (workspace_id, channel, address) DO UPDATE SET reason = excluded.reason, detail = excluded.detail, at = excluded.at`,
    [ws, channel, normalized, reason, detail, at.toISOString()],
  );
  return { channel, address: normalized, reason, detail, at };
}

/**
 * Suppresses an address already normalised, unless it is suppressed as undeliverable (a hard bounce, an invalid
 * address, a complaint): an SMS STOP does not hide why a number cannot be sent to.
 */
export async function suppressUnlessUndeliverable(
  db: Queryable,
  ws: string,
  channel: Channel,
  address: string,
  reason: SuppressionReason,
  detail: string,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO suppressions (workspace_id, channel, address, reason, detail, at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (workspace_id, channel, address) DO UPDATE SET reason = excluded.reason, detail = excluded.detail, at = excluded.at
       WHERE suppressions.reason NOT IN ('hard_bounce', 'invalid_address', 'complaint')`,
    [ws, channel, address, reason, detail, at.toISOString()],
  );
}

/** Why the address is suppressed on the channel, or null. An address that cannot be normalised is not suppressed here. */
export async function isSuppressed(
  db: Queryable,
  ws: string,
  channel: Channel,
  address: string,
): Promise<SuppressionReason | null> {
  return (await suppressedAmong(db, ws, [{ channel, address }])).get(`${channel}\u0000${address}`) ?? null;
}

/** Which of these addresses are suppressed (the dispatcher's batch): reason by `channel + "\u0000" + address` as given. */
export async function suppressedAmong(
  db: Queryable,
  ws: string,
  pairs: { channel: Channel; address: string }[],
): Promise<Map<string, SuppressionReason>> {
  const wanted = new Map<string, string>(); // normalised key → key as given
  for (const p of pairs) {
    try {
      wanted.set(`${p.channel}\u0000${suppressionAddress(p.channel, p.address)}`, `${p.channel}\u0000${p.address}`);
    } catch {
      // an address that cannot be normalised is not suppressed here
    }
  }
  const out = new Map<string, SuppressionReason>();
  if (!wanted.size) return out;
  const keys = [...wanted.keys()].map((k) => k.split('\u0000') as [string, string]);
  const w = bulkRows(
    { channel: 'text', address: 'text' },
    keys.map(([channel, address]) => ({ channel, address })),
    { at: 2, as: 'w' },
  );
  const rows = await db.query<{ channel: string; address: string; reason: SuppressionReason }>(
    `SELECT s.channel, s.address, s.reason FROM suppressions s JOIN ${w.from}
       ON s.channel = w.channel AND s.address = w.address WHERE s.workspace_id = $1`,
    [ws, ...w.params],
  );
  for (const r of rows) out.set(wanted.get(`${r.channel}\u0000${r.address}`)!, r.reason);
  return out;
}

/** Suppressions by channel then address, from after the given (channel, address) on; at most limit. */
export async function listSuppressions(
  db: Queryable,
  ws: string,
  opts: { channel?: Channel; after?: [string, string]; limit?: number } = {},
): Promise<Suppression[]> {
  const rows = await db.query<{
    channel: Channel;
    address: string;
    reason: SuppressionReason;
    detail: string | null;
    at: Date | string;
  }>(
    `SELECT channel, address, reason, detail, at FROM suppressions
     WHERE workspace_id = $1 AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR (channel, address) > ($3::text, $4::text))
     ORDER BY channel, address LIMIT $5`,
    [ws, opts.channel ?? null, opts.after?.[0] ?? null, opts.after?.[1] ?? null, opts.limit ?? 100],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}

/** Lifts a suppression; false when there was none. With `onlyReason`, lifts it only when it has that reason. */
export async function removeSuppression(
  db: Queryable,
  ws: string,
  channel: Channel,
  address: string,
  onlyReason?: SuppressionReason,
): Promise<boolean> {
  const normalized = suppressionAddress(channel, address);
  const rows = await db.query(
    'DELETE FROM suppressions WHERE workspace_id = $1 AND channel = $2 AND address = $3 AND ($4::text IS NULL OR reason = $4) RETURNING 1',
    [ws, channel, normalized, onlyReason ?? null],
  );
  return rows.length > 0;
}
