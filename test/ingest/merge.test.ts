// Identity merges: when a known customer turns out to be an anonymous visitor too, the visitor's consents (topics,
// double opt-in confirmations) and profile carry over with each value taken from whichever profile set it later; trait
// names that look like our own column keys never overwrite a column; and, on PostgreSQL, a batch that read the visitor
// just before a concurrent login merged it starts over instead of writing to a customer that no longer exists.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import type { Db, Queryable } from '../../src/store/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';

const at = (day: string) => `2026-0${day}T10:00:00Z`;

describe(`identity merges (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  async function workspace() {
    const ws = (await createWorkspace(t.db, 'merge')).id;
    const send = async (...messages: object[]) => assert.deepEqual((await ingest(t.db, ws, messages)).rejected, []);
    const customer = async (userId: string) =>
      (
        await t.db.query<{
          id: string;
          email: string | null;
          timezone: string | null;
          traits: Record<string, unknown>;
          orders_count: number;
          revenue_total: string;
        }>(
          'SELECT id::text, email, timezone, traits, orders_count, revenue_total::text FROM customers WHERE workspace_id = $1 AND user_id = $2',
          [ws, userId],
        )
      )[0]!;
    return { ws, send, customer };
  }

  it("the visitor's topic choices and confirmed consent carry over to the customer it is merged into", async () => {
    const w = await workspace();
    await w.send(
      { type: 'page', anonymousId: 'dev-1', name: 'Home', timestamp: at('1-01') },
      { type: 'identify', userId: 'ann', timestamp: at('1-01') },
    );
    const [visitor] = await t.db.query<{ id: string }>(
      "SELECT customer_id::text AS id FROM identities WHERE workspace_id = $1 AND value = 'dev-1'",
      [w.ws],
    );
    await t.db.query(
      `INSERT INTO consents (workspace_id, customer_id, channel, purpose, topic, granted, source, at, confirmed_at) VALUES
       ($1, $2, '*', 'marketing', 'promos', false, 'preference_center', '2026-01-02T10:00:00Z', NULL),
       ($1, $2, 'email', 'marketing', '', true, 'signup_form', '2026-01-02T10:00:00Z', '2026-01-02T10:05:00Z')`,
      [w.ws, visitor!.id],
    );
    await w.send({ type: 'identify', userId: 'ann', anonymousId: 'dev-1', timestamp: at('1-03') });
    const rows = await t.db.query<{ channel: string; topic: string; granted: boolean; confirmed: boolean }>(
      `SELECT channel, topic, granted, confirmed_at IS NOT NULL AS confirmed FROM consents WHERE workspace_id = $1 AND customer_id = $2 ORDER BY channel`,
      [w.ws, (await w.customer('ann')).id],
    );
    assert.deepEqual(
      rows.map(
        (r) => `${r.channel}/${r.topic} ${r.granted ? 'granted' : 'revoked'}${r.confirmed ? ', confirmed' : ''}`,
      ),
      ['*/promos revoked', 'email/ granted, confirmed'],
    );
  });

  it('after a merge the e-mail and time zone are the ones set later, whichever profile set them', async () => {
    const w = await workspace();
    await w.send({
      type: 'identify',
      userId: 'bob',
      traits: { email: 'old@example.com' },
      context: { timezone: 'Europe/Paris' },
      timestamp: at('1-01'),
    });
    await w.send({
      type: 'identify',
      anonymousId: 'dev-2',
      traits: { email: 'new@example.com' },
      context: { timezone: 'Asia/Tokyo' },
      timestamp: at('2-01'),
    });
    await w.send({ type: 'identify', userId: 'bob', anonymousId: 'dev-2', timestamp: at('3-01') });
    const bob = await w.customer('bob');
    assert.deepEqual([bob.email, bob.traits.email, bob.timezone], ['new@example.com', 'new@example.com', 'Asia/Tokyo']);
  });

  it('traits named like the column keys ($email) never set a column; other $-traits and "constructor" are kept as traits', async () => {
    const w = await workspace();
    await w.send({
      type: 'identify',
      userId: 'cy',
      traits: {
        email: 'cy@example.com',
        $email: 'Not An Email',
        $phone: '12',
        $name: 'Cy',
        constructor: 'acme',
        toString: 'x',
      },
      timestamp: at('1-01'),
    });
    const cy = await w.customer('cy');
    assert.equal(cy.email, 'cy@example.com');
    assert.deepEqual(cy.traits, { email: 'cy@example.com', $name: 'Cy', constructor: 'acme', toString: 'x' });
  });

  // Two batches at once need two connections: PGlite has one, so a PostgreSQL case.
  if (backend === 'postgres')
    it('an order read against the visitor just before a login merged it lands on the customer: the batch starts over', async () => {
      const w = await workspace();
      await w.send(
        { type: 'page', anonymousId: 'dev-3', name: 'Home', timestamp: at('1-01') },
        { type: 'identify', userId: 'dee', timestamp: at('1-01') },
      );
      const paused = pauseAfterFirstRead(t.db);
      const order = ingest(paused.db, w.ws, [
        {
          type: 'track',
          anonymousId: 'dev-3',
          event: 'Order Completed',
          properties: { orderId: 'd1', total: 50 },
          timestamp: at('1-02'),
        },
      ]);
      await paused.reached; // the order's batch has read dev-3 → the visitor, and waits
      await w.send({ type: 'identify', userId: 'dee', anonymousId: 'dev-3', timestamp: at('1-03') }); // the login merges the visitor into dee
      paused.resume();
      assert.equal((await order).accepted, 1);
      const dee = await w.customer('dee');
      assert.deepEqual([dee.orders_count, dee.revenue_total], [1, '50.00']);
      const [orphans] = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM events e WHERE e.workspace_id = $1 AND e.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.workspace_id = e.workspace_id AND c.id = e.customer_id)',
        [w.ws],
      );
      assert.equal(orphans!.n, 0, 'no event points at a customer that no longer exists');
    });
});

/** The database, but the first transaction that runs the batch's first read waits after it until resumed. */
function pauseAfterFirstRead(db: Db) {
  let reach!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  let resume!: () => void;
  const resumed = new Promise<void>((r) => (resume = r));
  let paused = false;
  const wrap = (tx: Queryable): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const rows = await tx.query<T>(sql, params);
      if (!paused && sql.includes('WITH found AS')) {
        paused = true;
        reach();
        await resumed;
      }
      return rows;
    },
    copyRows: tx.copyRows?.bind(tx),
  });
  const wrapped: Db = {
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    copyCsv: (table, columns, csv) => db.copyCsv(table, columns, csv),
    close: () => db.close(),
  };
  return { db: wrapped, reached, resume };
}
