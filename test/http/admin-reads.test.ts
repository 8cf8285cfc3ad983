// Expensive admin reads cannot starve ingest: a few at a time per workspace (more wait, beyond that 503 with
// Retry-After), and on PostgreSQL each under a statement_timeout (422 in words for the marketer) on its own pool, so
// that ingest keeps its connections while previews hang.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { adminReader } from '../../src/http/admin-read.ts';
import { DomainError } from '../../src/lib/errors.ts';
import { serve, type Answer, type Served } from './server.ts';

/** A promise and the function that settles it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe(`admin reads: a few at a time per workspace (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('one runs, four wait their turn, the sixth is refused 503 with Retry-After; turns are handed back', async () => {
    const read = adminReader({ timeoutMs: 5000, perWorkspace: 1 });
    const held = gate();
    const done: string[] = [];
    const first = read(t.db, 'ws-a', 'segment_preview', async (q) => {
      await q.query('SELECT 1');
      await held.opened;
      done.push('first');
    });
    const waiting = [1, 2, 3, 4].map((n) =>
      read(t.db, 'ws-a', 'segment_preview', async (q) => {
        await q.query('SELECT 1');
        done.push(`waited ${n}`);
      }),
    );
    await assert.rejects(
      read(t.db, 'ws-a', 'segment_preview', async () => done.push('sixth')),
      (err: DomainError) => {
        assert.deepEqual([err.status, err.code, err.details], [503, 'busy', { retryAfter: 5 }]);
        assert.match(
          err.message,
          /^This workspace already runs 1 expensive reads .* wait for them to finish, then try again\.$/,
        );
        return true;
      },
    );
    assert.deepEqual(done, []);
    held.open();
    await Promise.all([first, ...waiting]);
    assert.deepEqual(done, ['first', 'waited 1', 'waited 2', 'waited 3', 'waited 4']);
    // Turns are handed back: the workspace may read again.
    assert.equal(
      await read(t.db, 'ws-a', 'customer_search', async (q) => (await q.query<{ n: number }>('SELECT 2 AS n'))[0]!.n),
      2,
    );
  });

  it('an admin read cannot write', async () => {
    const read = adminReader({ timeoutMs: 5000, perWorkspace: 1 });
    await assert.rejects(
      read(t.db, 'ws-a', 'segment_preview', (q) => q.query("UPDATE workspaces SET name = 'changed'")),
      /read-only transaction/,
    );
  });
});

// A statement_timeout needs a server that keeps time: PGlite runs each statement to its end (see docs/architecture.md,
// "Admin reads"), and has one connection, so neither a hung preview nor a starved pool can be set up on it.
if (backend === 'postgres') {
  describe('admin reads on PostgreSQL: a statement_timeout and their own pool', () => {
    let s: Served;
    let locker: pg.Client;
    before(async () => {
      s = await serve({ adminReads: { timeoutMs: 400, perWorkspace: 2 } });
      const r = await s.call('POST', '/api/v1/segments', {
        key: s.adminKey,
        body: { id: 'vip', name: 'VIP', definition: { trait: 'plan', op: 'equals', value: 'gold' } },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      locker = new pg.Client({ connectionString: s.t.url });
      await locker.connect();
    });
    after(async () => {
      await locker.end();
      await s.close();
    });

    /** Holds segment_members locked (an evaluation rewriting it, say): a preview that reads it waits. */
    async function lockMembers(): Promise<() => Promise<void>> {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE segment_members IN ACCESS EXCLUSIVE MODE');
      return async () => void (await locker.query('ROLLBACK'));
    }
    const preview = (server: Served) =>
      server.call('POST', '/api/v1/segments/preview', {
        key: server.adminKey,
        body: { definition: { segment: 'vip', op: 'member' } },
      });

    it('a preview stopped by its statement_timeout answers 422 saying what to simplify, not 500', async () => {
      const unlock = await lockMembers();
      const fallback = setTimeout(() => void unlock(), 10_000); // without a timeout the preview would wait for the lock
      try {
        const r = await preview(s);
        assert.equal(r.status, 422, JSON.stringify(r.body));
        assert.equal(r.body.error, 'too_expensive');
        assert.match(
          r.body.message,
          /^This segment is too expensive to preview \(it ran for more than 0\.4 s and was stopped\): simplify it/,
        );
      } finally {
        clearTimeout(fallback);
        await unlock();
      }
      assert.equal((await preview(s)).status, 200);
    });

    it('twelve hung previews do not starve ingest: events are accepted while they wait', async () => {
      const patient = await serve({ adminReads: { timeoutMs: 30_000, perWorkspace: 2 } }, s.t);
      const unlock = await lockMembers();
      const order: string[] = [];
      let previews: Promise<Answer>[];
      try {
        previews = Array.from({ length: 12 }, () =>
          preview(patient).then((a) => (order.push(`preview ${a.status}`), a)),
        );
        await new Promise((r) => setTimeout(r, 300)); // the previews reach the database
        const fallback = setTimeout(() => void unlock().then(() => order.push('unlocked')), 10_000);
        const ingested = await patient.call('POST', '/v1/track', {
          key: patient.writeKey,
          body: { userId: 'u1', event: 'Viewed' },
        });
        clearTimeout(fallback);
        order.push(`ingest ${ingested.status}`);
      } finally {
        if (!order.includes('unlocked')) await unlock();
      }
      const answers = await Promise.all(previews);
      await patient.close();
      // The two over the workspace's turns and waiting room were refused at once; ingest answered before any preview ran.
      assert.deepEqual(order.filter((o) => !o.startsWith('preview 503')).slice(0, 1), ['ingest 200']);
      assert.deepEqual(answers.map((a) => a.status).sort(), [...Array(10).fill(200), 503, 503]);
    });
  });
}
