// Loyalty's SQL, one named and commented query function each: programme settings, accounts (locked FOR UPDATE before
// any movement), the append-only ledger, lots, and the due releases and expiries the loyalty job works through.
import { type Queryable, bulkRows } from '../store/index.ts';
import { ProgramSettings, defaultProgram } from './program.ts';

export interface AccountRow {
  customerId: string;
  available: number;
  pending: number;
  tier: string | null;
  tierSince: Date | null;
  tierReviewAt: Date | null;
  referralCode: string | null;
  /** Set when a movement changed it (saveAccounts writes only these). */
  changed?: boolean;
}

export interface LotRow {
  ledgerId: string;
  customerId: string;
  orderId: string | null;
  points: number;
  remaining: number;
  clawed: number;
  earnedAt: Date;
  availableAt: Date;
  released: boolean;
  expiresAt: Date | null;
  changed?: boolean;
}

export type LedgerKind = 'earn' | 'bonus' | 'release' | 'redeem' | 'clawback' | 'expire' | 'adjust' | 'referral';

export interface LedgerRow {
  id: string;
  customerId: string;
  kind: LedgerKind;
  available: number;
  pending: number;
  source: string;
  reason: string | null;
  actor: string | null;
  details: Record<string, unknown>;
  at: Date;
}

export type NewLedgerRow = Omit<LedgerRow, 'id'>;

// -- name: read-program: the workspace's programme settings (the defaults, switched off, when never set).
export async function readProgram(q: Queryable, ws: string): Promise<ProgramSettings> {
  const [row] = await q.query<{ settings: unknown }>('SELECT settings FROM loyalty_programs WHERE workspace_id = $1', [
    ws,
  ]);
  return row ? ProgramSettings.parse(row.settings) : defaultProgram();
}

// -- name: save-program: replaces the workspace's programme settings.
export async function saveProgram(q: Queryable, ws: string, settings: ProgramSettings, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO loyalty_programs (workspace_id, settings, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
    [ws, JSON.stringify(settings), at],
  );
}

type RawAccount = {
  customer_id: string;
  available: string;
  pending: string;
  tier: string | null;
  tier_since: Date | null;
  tier_review_at: Date | null;
  referral_code: string | null;
};
const account = (r: RawAccount): AccountRow => ({
  customerId: r.customer_id,
  available: Number(r.available),
  pending: Number(r.pending),
  tier: r.tier,
  tierSince: r.tier_since ? new Date(r.tier_since) : null,
  tierReviewAt: r.tier_review_at ? new Date(r.tier_review_at) : null,
  referralCode: r.referral_code,
});
const ACCOUNT_COLUMNS =
  'customer_id::text, available::text, pending::text, tier, tier_since, tier_review_at, referral_code';

// -- name: lock-accounts: creates the customers' accounts that are missing, then locks all of them in id order.
export async function lockAccounts(
  tx: Queryable,
  ws: string,
  customerIds: string[],
  at: Date,
): Promise<Map<string, AccountRow>> {
  const ids = [...new Set(customerIds)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  if (!ids.length) return new Map();
  await tx.query(
    `INSERT INTO loyalty_accounts (workspace_id, customer_id, updated_at)
     SELECT $1, id, $3 FROM unnest($2::bigint[]) AS u(id) ORDER BY id ON CONFLICT DO NOTHING`,
    [ws, ids, at],
  );
  const rows = await tx.query<RawAccount>(
    `SELECT ${ACCOUNT_COLUMNS} FROM loyalty_accounts WHERE workspace_id = $1 AND customer_id = ANY($2::bigint[]) ORDER BY loyalty_accounts.customer_id FOR UPDATE`,
    [ws, ids],
  );
  return new Map(rows.map((r) => [r.customer_id, account(r)]));
}

// -- name: read-account: one customer's account without locking it (null: no point ever moved).
export async function readAccount(q: Queryable, ws: string, customerId: string): Promise<AccountRow | null> {
  const [row] = await q.query<RawAccount>(
    `SELECT ${ACCOUNT_COLUMNS} FROM loyalty_accounts WHERE workspace_id = $1 AND customer_id = $2`,
    [ws, customerId],
  );
  return row ? account(row) : null;
}

// -- name: save-accounts: writes the balances and tiers of the accounts a movement changed.
export async function saveAccounts(tx: Queryable, ws: string, accounts: Iterable<AccountRow>, at: Date): Promise<void> {
  const changed = [...accounts].filter((a) => a.changed);
  if (!changed.length) return;
  const t = bulkRows(
    {
      customer_id: 'bigint',
      available: 'bigint',
      pending: 'bigint',
      tier: 'text',
      tier_since: 'timestamptz',
      tier_review_at: 'timestamptz',
    },
    changed.map((a) => ({
      customer_id: a.customerId,
      available: a.available,
      pending: a.pending,
      tier: a.tier,
      tier_since: a.tierSince,
      tier_review_at: a.tierReviewAt,
    })),
    { at: 3 },
  );
  await tx.query(
    `UPDATE loyalty_accounts a SET available = t.available, pending = t.pending, tier = t.tier, tier_since = t.tier_since,
       tier_review_at = t.tier_review_at, updated_at = $2
     FROM ${t.from} WHERE a.workspace_id = $1 AND a.customer_id = t.customer_id`,
    [ws, at, ...t.params],
  );
  for (const a of changed) a.changed = false;
}

// -- name: append-ledger: appends movements whose sources are not in the ledger yet; the ids of those appended, by source.
export async function appendLedger(tx: Queryable, ws: string, rows: NewLedgerRow[]): Promise<Map<string, string>> {
  if (!rows.length) return new Map();
  const t = bulkRows(
    {
      customer_id: 'bigint',
      kind: 'text',
      available_delta: 'bigint',
      pending_delta: 'bigint',
      source: 'text',
      reason: 'text',
      actor: 'text',
      details: 'jsonb',
      at: 'timestamptz',
    },
    rows.map((r) => ({
      customer_id: r.customerId,
      kind: r.kind,
      available_delta: r.available,
      pending_delta: r.pending,
      source: r.source,
      reason: r.reason,
      actor: r.actor,
      details: r.details,
      at: r.at,
    })),
    { at: 2, ordinality: true },
  );
  const inserted = await tx.query<{ id: string; source: string }>(
    `INSERT INTO loyalty_ledger (workspace_id, customer_id, kind, available_delta, pending_delta, source, reason, actor, details, at)
     SELECT $1, ${t.columns} FROM ${t.from} ORDER BY n ON CONFLICT (workspace_id, source) DO NOTHING RETURNING id::text, source`,
    [ws, ...t.params],
  );
  return new Map(inserted.map((r) => [r.source, r.id]));
}

// -- name: has-source: whether a movement with this source is in the ledger (a replay does nothing).
/** @public (loyalty's own callers are still landing) */
export async function hasSource(q: Queryable, ws: string, source: string): Promise<boolean> {
  return (
    (await q.query('SELECT 1 FROM loyalty_ledger WHERE workspace_id = $1 AND source = $2', [ws, source])).length > 0
  );
}

type RawLedger = {
  id: string;
  customer_id: string;
  kind: LedgerKind;
  available_delta: string;
  pending_delta: string;
  source: string;
  reason: string | null;
  actor: string | null;
  details: Record<string, unknown>;
  at: Date;
};
const ledgerRow = (r: RawLedger): LedgerRow => ({
  id: r.id,
  customerId: r.customer_id,
  kind: r.kind,
  available: Number(r.available_delta),
  pending: Number(r.pending_delta),
  source: r.source,
  reason: r.reason,
  actor: r.actor,
  details: r.details,
  at: new Date(r.at),
});
const LEDGER_COLUMNS =
  'id::text, customer_id::text, kind, available_delta::text, pending_delta::text, source, reason, actor, details, at';

// -- name: ledger-by-source: the movement a source made, if any (the first answer of a replayed redemption).
export async function ledgerBySource(q: Queryable, ws: string, source: string): Promise<LedgerRow | null> {
  const [row] = await q.query<RawLedger>(
    `SELECT ${LEDGER_COLUMNS} FROM loyalty_ledger WHERE workspace_id = $1 AND source = $2`,
    [ws, source],
  );
  return row ? ledgerRow(row) : null;
}

// -- name: customer-ledger: a customer's movements, newest first.
export async function customerLedger(
  q: Queryable,
  ws: string,
  customerId: string,
  limit: number,
): Promise<LedgerRow[]> {
  const rows = await q.query<RawLedger>(
    `SELECT ${LEDGER_COLUMNS} FROM loyalty_ledger WHERE workspace_id = $1 AND customer_id = $2 ORDER BY loyalty_ledger.at DESC, loyalty_ledger.id DESC LIMIT $3`,
    [ws, customerId, limit],
  );
  return rows.map(ledgerRow);
}

type RawLot = {
  ledger_id: string;
  customer_id: string;
  order_id: string | null;
  points: string;
  remaining: string;
  clawed: string;
  earned_at: Date;
  available_at: Date;
  released: boolean;
  expires_at: Date | null;
};
const lot = (r: RawLot): LotRow => ({
  ledgerId: r.ledger_id,
  customerId: r.customer_id,
  orderId: r.order_id,
  points: Number(r.points),
  remaining: Number(r.remaining),
  clawed: Number(r.clawed),
  earnedAt: new Date(r.earned_at),
  availableAt: new Date(r.available_at),
  released: r.released,
  expiresAt: r.expires_at ? new Date(r.expires_at) : null,
});
const LOT_COLUMNS =
  'ledger_id::text, customer_id::text, order_id, points::text, remaining::text, clawed::text, earned_at, available_at, released, expires_at';

// -- name: insert-lots: the lots that credits made.
export async function insertLots(tx: Queryable, ws: string, lots: LotRow[]): Promise<void> {
  if (!lots.length) return;
  const t = bulkRows(
    {
      ledger_id: 'bigint',
      customer_id: 'bigint',
      order_id: 'text',
      points: 'bigint',
      remaining: 'bigint',
      clawed: 'bigint',
      earned_at: 'timestamptz',
      available_at: 'timestamptz',
      released: 'boolean',
      expires_at: 'timestamptz',
    },
    lots.map((l) => ({
      ledger_id: l.ledgerId,
      customer_id: l.customerId,
      order_id: l.orderId,
      points: l.points,
      remaining: l.remaining,
      clawed: l.clawed,
      earned_at: l.earnedAt,
      available_at: l.availableAt,
      released: l.released,
      expires_at: l.expiresAt,
    })),
    { at: 2 },
  );
  await tx.query(`INSERT INTO loyalty_lots (workspace_id, ${t.columns}) SELECT $1, ${t.columns} FROM ${t.from}`, [
    ws,
    ...t.params,
  ]);
}

// -- name: open-lots: the customers' lots with points left, first in first out (the accounts are locked by the caller).
export async function openLots(tx: Queryable, ws: string, customerIds: string[]): Promise<LotRow[]> {
  const rows = await tx.query<RawLot>(
    `SELECT ${LOT_COLUMNS} FROM loyalty_lots WHERE workspace_id = $1 AND customer_id = ANY($2::bigint[]) AND remaining > 0 ORDER BY loyalty_lots.earned_at, loyalty_lots.ledger_id`,
    [ws, customerIds],
  );
  return rows.map(lot);
}

// -- name: order-lots: the lots the orders earned (for their claw-back).
export async function orderLots(tx: Queryable, ws: string, orderIds: string[]): Promise<LotRow[]> {
  const rows = await tx.query<RawLot>(
    `SELECT ${LOT_COLUMNS} FROM loyalty_lots WHERE workspace_id = $1 AND order_id = ANY($2::text[]) ORDER BY loyalty_lots.ledger_id`,
    [ws, orderIds],
  );
  return rows.map(lot);
}

// -- name: save-lots: writes what is left of the lots a movement changed, their claw-back and release.
export async function saveLots(tx: Queryable, ws: string, lots: Iterable<LotRow>): Promise<void> {
  const changed = [...lots].filter((l) => l.changed);
  if (!changed.length) return;
  const t = bulkRows(
    { ledger_id: 'bigint', remaining: 'bigint', clawed: 'bigint', released: 'boolean' },
    changed.map((l) => ({ ledger_id: l.ledgerId, remaining: l.remaining, clawed: l.clawed, released: l.released })),
    { at: 2 },
  );
  await tx.query(
    `UPDATE loyalty_lots l SET remaining = t.remaining, clawed = t.clawed, released = t.released FROM ${t.from}
     WHERE l.workspace_id = $1 AND l.ledger_id = t.ledger_id`,
    [ws, ...t.params],
  );
  for (const l of changed) l.changed = false;
}

// -- name: customers-due: up to `limit` customers with a lot to release or to expire by `now`, in id order.
export async function customersDue(q: Queryable, ws: string, now: Date, limit: number): Promise<string[]> {
  const rows = await q.query<{ customer_id: string }>(
    `SELECT DISTINCT customer_id::text FROM (
       (SELECT customer_id FROM loyalty_lots WHERE workspace_id = $1 AND NOT released AND available_at <= $2 ORDER BY available_at LIMIT $3)
       UNION ALL
       (SELECT customer_id FROM loyalty_lots WHERE workspace_id = $1 AND remaining > 0 AND expires_at IS NOT NULL AND expires_at <= $2 ORDER BY expires_at LIMIT $3)
     ) due`,
    [ws, now, limit],
  );
  return rows.map((r) => r.customer_id);
}

// -- name: loyalty-workspaces: workspaces whose programme is switched on.
export async function enabledWorkspaces(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ workspace_id: string }>(
    "SELECT workspace_id FROM loyalty_programs WHERE (settings->>'enabled')::boolean ORDER BY workspace_id",
  );
  return rows.map((r) => r.workspace_id);
}

// -- name: ledger-sums: per customer the ledger's sums (the invariant: they equal the account's balances).
/** @public (loyalty's own callers are still landing) */
export async function ledgerSums(
  q: Queryable,
  ws: string,
): Promise<{ customerId: string; available: number; pending: number }[]> {
  const rows = await q.query<{ customer_id: string; available: string; pending: string }>(
    `SELECT customer_id::text, sum(available_delta)::text AS available, sum(pending_delta)::text AS pending FROM loyalty_ledger
     WHERE workspace_id = $1 GROUP BY customer_id ORDER BY customer_id`,
    [ws],
  );
  return rows.map((r) => ({ customerId: r.customer_id, available: Number(r.available), pending: Number(r.pending) }));
}

// -- name: tier-measures: per customer what tiers measure over the window from `since`: points earned (net of
// claw-backs) or money spent (net of refunds, in the orders' own amounts).
export async function tierMeasures(
  q: Queryable,
  ws: string,
  customerIds: string[],
  basis: 'points' | 'spend',
  since: Date,
): Promise<Map<string, number>> {
  if (!customerIds.length) return new Map();
  const rows =
    basis === 'points'
      ? await q.query<{ customer_id: string; measure: string }>(
          `SELECT customer_id::text, sum(available_delta + pending_delta)::text AS measure FROM loyalty_ledger
       WHERE workspace_id = $1 AND customer_id = ANY($2::bigint[]) AND at > $3 AND kind IN ('earn', 'bonus', 'referral', 'clawback')
       GROUP BY customer_id`,
          [ws, customerIds, since],
        )
      : await q.query<{ customer_id: string; measure: string }>(
          `SELECT customer_id::text, sum(total - refunded)::text AS measure FROM orders
       WHERE workspace_id = $1 AND customer_id = ANY($2::bigint[]) AND placed_at > $3 GROUP BY customer_id`,
          [ws, customerIds, since],
        );
  return new Map(rows.map((r) => [r.customer_id, Number(r.measure)]));
}

// -- name: tiers-due: up to `limit` customers whose tier is due for its review by `now`, after `after` (a cursor).
export async function tiersDue(q: Queryable, ws: string, now: Date, after: string, limit: number): Promise<string[]> {
  const rows = await q.query<{ customer_id: string }>(
    `SELECT customer_id::text FROM loyalty_accounts WHERE workspace_id = $1 AND tier_review_at <= $2 AND customer_id > $3
     ORDER BY loyalty_accounts.customer_id LIMIT $4`,
    [ws, now, after, limit],
  );
  return rows.map((r) => r.customer_id);
}

export interface OrderState {
  orderId: string;
  customerId: string | null;
  total: number;
  refunded: number;
  status: string;
}

// -- name: order-states: the orders as ingest left them (total, refunded so far, status), for their claw-backs.
export async function orderStates(q: Queryable, ws: string, orderIds: string[]): Promise<Map<string, OrderState>> {
  const rows = await q.query<{
    order_id: string;
    customer_id: string | null;
    total: string;
    refunded: string;
    status: string;
  }>(
    'SELECT order_id, customer_id::text, total::text, refunded::text, status FROM orders WHERE workspace_id = $1 AND order_id = ANY($2::text[])',
    [ws, orderIds],
  );
  return new Map(
    rows.map((r) => [
      r.order_id,
      {
        orderId: r.order_id,
        customerId: r.customer_id,
        total: Number(r.total),
        refunded: Number(r.refunded),
        status: r.status,
      },
    ]),
  );
}

// -- name: find-customer: a customer by internal id (following merges) or, failing that, by userId; null when neither.
export async function findCustomer(q: Queryable, ws: string, ref: string): Promise<string | null> {
  const rows = await q.query<{ id: string }>(
    `SELECT id::text FROM (
       SELECT c.id, 1 AS pref FROM customers c WHERE $2 ~ '^[0-9]{1,18}$' AND c.workspace_id = $1
         AND c.id = coalesce((SELECT to_id FROM customer_merges WHERE workspace_id = $1 AND from_id = CASE WHEN $2 ~ '^[0-9]{1,18}$' THEN $2::bigint END), CASE WHEN $2 ~ '^[0-9]{1,18}$' THEN $2::bigint END)
       UNION ALL
       SELECT c.id, 2 FROM customers c WHERE c.workspace_id = $1 AND c.user_id = $2
     ) f ORDER BY pref LIMIT 1`,
    [ws, ref],
  );
  return rows[0]?.id ?? null;
}

// -- name: points-expiring: a customer's points left in lots that expire by `until`, and the first such date.
export async function pointsExpiring(
  q: Queryable,
  ws: string,
  customerId: string,
  until: Date,
): Promise<{ points: number; first: Date | null }> {
  const [row] = await q.query<{ points: string | null; first: Date | null }>(
    `SELECT sum(remaining)::text AS points, min(expires_at) AS first FROM loyalty_lots
     WHERE workspace_id = $1 AND customer_id = $2 AND remaining > 0 AND expires_at IS NOT NULL AND expires_at <= $3`,
    [ws, customerId, until],
  );
  return { points: Number(row?.points ?? 0), first: row?.first ? new Date(row.first) : null };
}

// -- name: liability: points not spent yet across the workspace's accounts (spendable and pending), and how many hold any.
export async function liability(
  q: Queryable,
  ws: string,
): Promise<{ available: number; pending: number; accounts: number }> {
  const [row] = await q.query<{ available: string | null; pending: string | null; accounts: string }>(
    `SELECT sum(greatest(available, 0))::text AS available, sum(pending)::text AS pending, count(*) FILTER (WHERE available > 0 OR pending > 0)::text AS accounts
     FROM loyalty_accounts WHERE workspace_id = $1`,
    [ws],
  );
  return {
    available: Number(row?.available ?? 0),
    pending: Number(row?.pending ?? 0),
    accounts: Number(row?.accounts ?? 0),
  };
}

export interface ExpiringLot {
  customerId: string;
  /** The day (UTC) the points expire, and how many of them, over the customer's lots expiring that day. */
  day: string;
  points: number;
  expiresAt: Date;
}

// -- name: lots-expiring-in: points whose expiry, less `days`, falls in (after, now]: who to remind that their points
// expire in `days` days (optionally only a segment's members), per customer and expiry day.
export async function lotsExpiringIn(
  q: Queryable,
  ws: string,
  days: number,
  after: Date,
  now: Date,
  segment?: string,
): Promise<ExpiringLot[]> {
  const rows = await q.query<{ customer_id: string; day: string; points: string; expires_at: Date }>(
    `SELECT l.customer_id::text, to_char(l.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(l.remaining)::text AS points, min(l.expires_at) AS expires_at
     FROM loyalty_lots l
     WHERE l.workspace_id = $1 AND l.remaining > 0 AND l.expires_at > $2::timestamptz + make_interval(days => $4) AND l.expires_at <= $3::timestamptz + make_interval(days => $4)
       ${segment ? 'AND EXISTS (SELECT 1 FROM segment_members m WHERE m.workspace_id = $1 AND m.segment_id = $5 AND m.customer_id = l.customer_id)' : ''}
     GROUP BY l.customer_id, day ORDER BY l.customer_id, day`,
    segment ? [ws, after, now, days, segment] : [ws, after, now, days],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    day: r.day,
    points: Number(r.points),
    expiresAt: new Date(r.expires_at),
  }));
}

export interface MessageLoyaltyRow {
  available: number;
  pending: number;
  tier: string | null;
  expiring: number;
  expiringAt: Date | null;
}

// -- name: message-loyalty: for each message of a batch, its customer's points, tier and points expiring by `until`.
export async function messageLoyalty(
  q: Queryable,
  subjects: { ws: string; customerId: string }[],
  until: Date,
): Promise<MessageLoyaltyRow[]> {
  if (!subjects.length) return [];
  const t = bulkRows(
    { ws: 'text', customer_id: 'bigint' },
    subjects.map((s) => ({ ws: s.ws, customer_id: s.customerId })),
    { at: 2, as: 'u', ordinality: true },
  );
  const rows = await q.query<{
    n: string;
    available: string | null;
    pending: string | null;
    tier: string | null;
    expiring: string | null;
    expiring_at: Date | null;
  }>(
    `SELECT u.n::text, a.available::text, a.pending::text, a.tier,
       (SELECT sum(l.remaining) FROM loyalty_lots l WHERE l.workspace_id = u.ws AND l.customer_id = u.customer_id AND l.remaining > 0 AND l.expires_at <= $1)::text AS expiring,
       (SELECT min(l.expires_at) FROM loyalty_lots l WHERE l.workspace_id = u.ws AND l.customer_id = u.customer_id AND l.remaining > 0 AND l.expires_at <= $1) AS expiring_at
     FROM ${t.from} LEFT JOIN loyalty_accounts a ON a.workspace_id = u.ws AND a.customer_id = u.customer_id ORDER BY u.n`,
    [until, ...t.params],
  );
  return rows.map((r) => ({
    available: Number(r.available ?? 0),
    pending: Number(r.pending ?? 0),
    tier: r.tier,
    expiring: Number(r.expiring ?? 0),
    expiringAt: r.expiring_at ? new Date(r.expiring_at) : null,
  }));
}

// -- name: referrer-by-code: the customer whose referral code this is, with their e-mail and phone.
export async function referrerByCode(
  q: Queryable,
  ws: string,
  code: string,
): Promise<{ id: string; email: string | null; phone: string | null } | null> {
  const [row] = await q.query<{ id: string; email: string | null; phone: string | null }>(
    `SELECT c.id::text, c.email, c.phone FROM loyalty_accounts a JOIN customers c ON c.workspace_id = a.workspace_id AND c.id = a.customer_id
     WHERE a.workspace_id = $1 AND a.referral_code = $2`,
    [ws, code],
  );
  return row ?? null;
}

// -- name: customer-addresses: the customers' e-mail and phone (the self-referral check).
export async function customerAddresses(
  q: Queryable,
  ws: string,
  ids: string[],
): Promise<Map<string, { email: string | null; phone: string | null }>> {
  const rows = await q.query<{ id: string; email: string | null; phone: string | null }>(
    'SELECT id::text, email, phone FROM customers WHERE workspace_id = $1 AND id = ANY($2::bigint[])',
    [ws, ids],
  );
  return new Map(rows.map((r) => [r.id, { email: r.email, phone: r.phone }]));
}

// -- name: used-device: whether any event of the customer came from this device (context.device.id).
export async function usedDevice(q: Queryable, ws: string, customerId: string, deviceId: string): Promise<boolean> {
  return (
    (
      await q.query(
        `SELECT 1 FROM events WHERE workspace_id = $1 AND customer_id = $2 AND context->'device'->>'id' = $3 LIMIT 1`,
        [ws, customerId, deviceId],
      )
    ).length > 0
  );
}

// -- name: record-referral: the referee's referral (their first code only: a later one changes nothing).
export async function recordReferral(
  q: Queryable,
  ws: string,
  r: {
    refereeId: string;
    referrerId: string;
    code: string;
    status: 'pending' | 'refused';
    reason: string | null;
    at: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO loyalty_referrals (workspace_id, referee_id, referrer_id, code, status, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [ws, r.refereeId, r.referrerId, r.code, r.status, r.reason, r.at],
  );
}

// -- name: pending-referrals: the pending referrals of these referees.
export async function pendingReferrals(
  q: Queryable,
  ws: string,
  refereeIds: string[],
): Promise<{ refereeId: string; referrerId: string }[]> {
  if (!refereeIds.length) return [];
  const rows = await q.query<{ referee_id: string; referrer_id: string }>(
    `SELECT referee_id::text, referrer_id::text FROM loyalty_referrals WHERE workspace_id = $1 AND referee_id = ANY($2::bigint[]) AND status = 'pending' ORDER BY loyalty_referrals.referee_id FOR UPDATE`,
    [ws, refereeIds],
  );
  return rows.map((r) => ({ refereeId: r.referee_id, referrerId: r.referrer_id }));
}

// -- name: reward-referral: marks a referral rewarded by this order.
export async function markReferralRewarded(
  q: Queryable,
  ws: string,
  refereeId: string,
  orderId: string,
): Promise<void> {
  await q.query(
    `UPDATE loyalty_referrals SET status = 'rewarded', order_id = $3 WHERE workspace_id = $1 AND referee_id = $2`,
    [ws, refereeId, orderId],
  );
}

// -- name: set-referral-code: gives the customer's account this code unless it has one; the account's code after.
export async function setReferralCode(
  q: Queryable,
  ws: string,
  customerId: string,
  code: string,
  at: Date,
): Promise<string | null> {
  await q.query(
    'INSERT INTO loyalty_accounts (workspace_id, customer_id, updated_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [ws, customerId, at],
  );
  const [row] = await q.query<{ referral_code: string }>(
    `UPDATE loyalty_accounts SET referral_code = coalesce(referral_code, $3) WHERE workspace_id = $1 AND customer_id = $2 RETURNING referral_code`,
    [ws, customerId, code],
  );
  return row?.referral_code ?? null;
}

// -- name: referral-of: a customer's own referral code and the referral that brought them, if any.
export async function referralOf(
  q: Queryable,
  ws: string,
  customerId: string,
): Promise<{ code: string | null; referredBy: { referrerId: string; status: string; reason: string | null } | null }> {
  const [a] = await q.query<{ referral_code: string | null }>(
    'SELECT referral_code FROM loyalty_accounts WHERE workspace_id = $1 AND customer_id = $2',
    [ws, customerId],
  );
  const [r] = await q.query<{ referrer_id: string; status: string; reason: string | null }>(
    'SELECT referrer_id::text, status, reason FROM loyalty_referrals WHERE workspace_id = $1 AND referee_id = $2',
    [ws, customerId],
  );
  return {
    code: a?.referral_code ?? null,
    referredBy: r ? { referrerId: r.referrer_id, status: r.status, reason: r.reason } : null,
  };
}
