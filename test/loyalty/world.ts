// A loyalty test world: a workspace with its programme, ingest at a virtual clock, the loyalty job run as the worker
// would, and the checks every scenario ends with (balances equal the ledger's sums, lots agree with the balances).
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import {
  adjust,
  customerLoyalty,
  loyaltyPass,
  putProgram,
  redeem,
  type ProgramPatchInput,
} from '../../src/loyalty/index.ts';

export async function loyaltyWorld(t: TestDb, start: Date, program: ProgramPatchInput = { enabled: true }) {
  const ws = (await createWorkspace(t.db, 'loyalty')).id;
  let now = start;
  await putProgram(t.db, ws, program, now);
  const world = {
    ws,
    get now() {
      return now;
    },
    async send(...messages: object[]) {
      const r = await ingest(
        t.db,
        ws,
        messages.map((m) => ({ timestamp: now.toISOString(), ...m })),
        { receivedAt: now },
      );
      assert.deepEqual(r.rejected, []);
      return r;
    },
    order: (userId: string, orderId: string, total: number, more: object = {}) => ({
      type: 'track',
      userId,
      event: 'Order Completed',
      messageId: `m-${orderId}`,
      properties: { order_id: orderId, total, currency: 'USD', ...more },
    }),
    refund: (userId: string, orderId: string, amount: number | null, messageId = `r-${orderId}-${amount}`) => ({
      type: 'track',
      userId,
      event: 'Order Refunded',
      messageId,
      properties: { order_id: orderId, ...(amount === null ? {} : { total: amount }) },
    }),
    /** Moves the clock by "+14d" / "+3h" and runs the loyalty pass at the new time. */
    async advance(by: string) {
      const m = /^\+(\d+)([dhm])$/.exec(by)!;
      const unit = m[2] === 'd' ? 'days' : m[2] === 'h' ? 'hours' : 'minutes';
      now = DateTime.fromJSDate(now, { zone: 'UTC' })
        .plus({ [unit]: Number(m[1]) })
        .toJSDate();
      return loyaltyPass(t.db, ws, now);
    },
    at(to: Date) {
      now = to;
    },
    view: (customer: string) => customerLoyalty(t.db, ws, customer, now),
    async balance(customer: string) {
      const v = await customerLoyalty(t.db, ws, customer, now);
      return { available: v.available, pending: v.pending, tier: v.tier };
    },
    redeem: (customer: string, points: number, idempotencyKey: string) =>
      redeem(t.db, ws, { customer, points, idempotencyKey }, now),
    adjust: (customer: string, points: number, reason: string, idempotencyKey: string) =>
      adjust(t.db, ws, { customer, points, reason, idempotencyKey }, 'test', now),
    /** The invariant: every account's balances equal the sums of its ledger, and its spendable lots hold what it has. */
    async checkBooks() {
      const accounts = await t.db.query<{ customer_id: string; available: string; pending: string }>(
        'SELECT customer_id::text, available::text, pending::text FROM loyalty_accounts WHERE workspace_id = $1 ORDER BY customer_id',
        [ws],
      );
      const sums = await t.db.query<{ customer_id: string; available: string; pending: string }>(
        `SELECT customer_id::text, sum(available_delta)::text AS available, sum(pending_delta)::text AS pending FROM loyalty_ledger
         WHERE workspace_id = $1 GROUP BY customer_id ORDER BY customer_id`,
        [ws],
      );
      const byId = new Map(sums.map((s) => [s.customer_id, s]));
      for (const a of accounts) {
        const s = byId.get(a.customer_id) ?? { available: '0', pending: '0' };
        assert.equal(
          Number(a.available),
          Number(s.available),
          `customer ${a.customer_id}: available equals the ledger's sum`,
        );
        assert.equal(
          Number(a.pending),
          Number(s.pending),
          `customer ${a.customer_id}: pending equals the ledger's sum`,
        );
      }
      const lots = await t.db.query<{ customer_id: string; released: boolean; remaining: string }>(
        'SELECT customer_id::text, released, sum(remaining)::text AS remaining FROM loyalty_lots WHERE workspace_id = $1 GROUP BY customer_id, released',
        [ws],
      );
      for (const a of accounts) {
        const held = (released: boolean) =>
          Number(lots.find((l) => l.customer_id === a.customer_id && l.released === released)?.remaining ?? 0);
        assert.equal(
          held(true),
          Math.max(0, Number(a.available)),
          `customer ${a.customer_id}: spendable lots hold the spendable points`,
        );
        assert.equal(held(false), Number(a.pending), `customer ${a.customer_id}: pending lots hold the pending points`);
      }
    },
    async ledger(customer: string) {
      const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;
      return (await customerLoyalty(t.db, ws, customer, now)).ledger
        .map((r) =>
          [
            r.kind,
            ...(r.available ? [signed(r.available)] : []),
            ...(r.pending ? [`${signed(r.pending)} pending`] : []),
          ].join(' '),
        )
        .reverse();
    },
  };
  return world;
}
