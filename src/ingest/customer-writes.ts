// Each customer a batch touches is written once: a new one inserted whole (profile and aggregates), a known one updated by its deltas.
import { type Queryable, bulkRows, type BulkRow } from '../store/index.ts';
import {
  addToKnownCustomers,
  iso,
  NO_DELTA,
  recordPurchaseDays,
  removeCancelledDays,
  type CustomerDelta,
} from './aggregates.ts';
import type { Adjustment, PlacedOrder } from './orders.ts';
import { queueChanges } from '../customers/index.ts';
import { applyPatches, profileColumns, updateProfiles, type Patch } from './profile.ts';
import type { Held } from './address-guard.ts';

const byId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0); // numeric order of bigint text

export interface CustomerWrites {
  /** New customers of this batch (id → user id), not in the table yet. */
  created: Map<string, string | null>;
  deltas: Map<string, CustomerDelta>;
  orders: PlacedOrder[];
  adjustments: Adjustment[];
  patches: Map<string, Patch[]>;
  /** Sent with the public key: e-mail and phone changes of a customer are held and listed here (address-guard.ts). */
  held?: Held[];
}

export async function writeCustomers(tx: Queryable, ws: string, w: CustomerWrites): Promise<void> {
  // purchase days: + the new days of the batch's orders, − the days left without a completed order by a cancellation
  const newDays = await recordPurchaseDays(tx, ws, w.orders);
  for (const [id, n] of await removeCancelledDays(tx, ws, w.adjustments)) newDays.set(id, (newDays.get(id) ?? 0) - n);
  const touched = [...new Set([...w.deltas.keys(), ...w.created.keys()])].sort(byId);
  if (touched.length === 0) return;
  await insertNewCustomers(tx, ws, w, newDays);
  const known = touched.filter((id) => !w.created.has(id));
  const wantProfile = new Set(known.filter((id) => w.patches.has(id)));
  const states = await addToKnownCustomers(tx, ws, known, w.deltas, newDays, wantProfile);
  await updateProfiles(tx, ws, w.patches, states, w.held);
  await queueChanges(tx, ws, touched);
}

/** A new customer as inserted whole: profile, first aggregates and purchase days. */
const NEW_CUSTOMER_COLUMNS = {
  id: 'bigint',
  user_id: 'text',
  email: 'text',
  phone: 'text',
  locale: 'text',
  timezone: 'text',
  traits: 'jsonb',
  trait_times: 'jsonb',
  first_seen: 'timestamptz',
  last_seen: 'timestamptz',
  first_order_at: 'timestamptz',
  last_order_at: 'timestamptz',
  orders_count: 'int',
  purchase_days: 'int',
  revenue_total: 'numeric',
  revenue_net: 'numeric',
} as const;

/** Inserts the batch's new customers, each whole (profile from its patches, aggregates from its deltas), in one statement. */
async function insertNewCustomers(
  tx: Queryable,
  ws: string,
  w: CustomerWrites,
  newDays: Map<string, number>,
): Promise<void> {
  if (w.created.size === 0) return;
  const rows: BulkRow<typeof NEW_CUSTOMER_COLUMNS>[] = [...w.created].map(([id, userId]) => {
    const d = w.deltas.get(id) ?? NO_DELTA;
    const state = { traits: {}, trait_times: {} };
    applyPatches(state, w.patches.get(id) ?? [], w.held);
    const p = profileColumns(state);
    return {
      id,
      user_id: userId,
      email: p.email,
      phone: p.phone,
      locale: p.locale,
      timezone: p.timezone,
      traits: p.traits,
      trait_times: p.times,
      first_seen: iso(d.firstSeen),
      last_seen: iso(d.lastSeen),
      first_order_at: iso(d.firstOrderAt),
      last_order_at: iso(d.lastOrderAt),
      orders_count: d.orders,
      purchase_days: newDays.get(id) ?? 0,
      revenue_total: d.revenueTotal,
      revenue_net: d.revenueNet,
    };
  });
  const t = bulkRows(NEW_CUSTOMER_COLUMNS, rows, { at: 2 });
  await tx.query(`INSERT INTO customers (workspace_id, ${t.columns}) SELECT $1, ${t.columns} FROM ${t.from}`, [
    ws,
    ...t.params,
  ]);
}
