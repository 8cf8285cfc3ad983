// A concurrent writer of the same messageId: stored once, counted once, whoever commits first.
// On PostgreSQL another connection inserts the event and holds its transaction open while our batch runs: the batch
// must wait for it, start over, and see the event as a replay. PGlite serves one connection, so there the other
// writer commits just before the batch (the late replay); the outcome must be the same.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { openDb } from '../../src/store/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { getCustomer, searchCustomers } from '../../src/customers/customers.ts';

const at = (hh: string) => `2026-04-02T${hh}:00Z`;
const order = (id: string, total: number, hh: string) => ({
  type: 'track',
  userId: 'rae',
  event: 'Order Completed',
  messageId: `m-${id}`,
  timestamp: at(hh),
  properties: { orderId: id, total, products: [{ product_id: 'p1', price: total, quantity: 1 }] },
});

/** The other writer: the raced event as a bare row, as another process would have stored it. */
const otherWriterSql = `INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, properties, timestamp, received_at)
  VALUES ($1, 'm-r2', NULL, 'track', 'Order Completed', 'rae', '{}', now(), now())`;

describe(`a concurrent writer of the same messageId (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('the event is stored once and our batch counts it as a duplicate, not in the aggregates', async () => {
    const batch = [order('r1', 10, '10:00'), order('r2', 20, '11:00'), order('r3', 30, '12:00')];
    let result;
    if (t.url) {
      const other = await openDb({ url: t.url, poolSize: 1 });
      try {
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        const writer = other.transaction(async (tx) => {
          await tx.query(otherWriterSql, [t.workspaceId]);
          await held; // uncommitted while our batch looks and tries to insert
        });
        const ours = ingest(t.db, t.workspaceId, batch);
        // Our insert blocks on the other writer's uncommitted key: wait until it does, then let the other commit.
        for (let i = 0; i < 200; i++) {
          const [w] = await t.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (w!.n > 0) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        release();
        await writer;
        result = await ours;
      } finally {
        await other.close();
      }
    } else {
      await t.db.query(otherWriterSql, [t.workspaceId]);
      result = await ingest(t.db, t.workspaceId, batch);
    }
    assert.deepEqual([result.accepted, result.duplicates, result.rejected], [2, 1, []]);
    const [{ n }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND message_id = 'm-r2'",
      [t.workspaceId],
    );
    assert.equal(n, 1);
    const { customers } = await searchCustomers(t.db, t.workspaceId, { q: 'rae', limit: 5 });
    const { customer } = (await getCustomer(t.db, t.workspaceId, customers[0]!.id))!;
    assert.deepEqual([customer.aggregates.ordersCount, customer.aggregates.revenueTotal], [2, 40]);
  });
});
