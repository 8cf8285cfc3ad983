// Several API servers on one database: the same 50 customers arrive through both at once, in shuffled batches, some
// batches replayed on both. Identity creation races and replays across servers must leave exactly 50 customers with
// exact aggregates. On PostgreSQL the servers are real `retain serve` processes; on PGlite (one process by nature)
// they are two app instances sharing the database.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { buildApp } from '../../src/http/app.ts';
import { request, type Answer } from './server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USERS = 50;

interface Servers {
  urls: string[];
  kind: string;
  stop(): Promise<void>;
}

/** Starts `node bin/retain.mjs serve` against the database and resolves with the URL it prints. */
function startProcess(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/retain.mjs', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RETAIN_RATE_LIMIT_PER_MINUTE: '0',
      RETAIN_SKIP_DASHBOARD_BUILD: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('did not start within 20 s')), 20_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`retain serve: ${err.message}\n${output}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Retain is running at (http:\/\/[^\s]+) /.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`exited with ${code}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function startServers(t: TestDb): Promise<Servers> {
  if (t.url) {
    const started = await Promise.allSettled([startProcess(t.url), startProcess(t.url)]);
    const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(children.map((c) => stopProcess(c.child)));
      throw failed.reason;
    }
    const pids = children.map((c) => c.child.pid);
    assert.equal(new Set(pids).size, 2);
    return {
      urls: children.map((c) => c.url),
      kind: `2 retain serve processes (pids ${pids.join(', ')})`,
      stop: async () => void (await Promise.all(children.map((c) => stopProcess(c.child)))),
    };
  }
  const apps = await Promise.all(
    [0, 1].map(() => buildApp({ db: t.db, logLevel: 'silent', webDir: null, rateLimitPerMinute: 0 })),
  );
  const urls = await Promise.all(apps.map((a) => a.listen({ port: 0, host: '127.0.0.1' })));
  return {
    urls,
    kind: '2 app instances in this process',
    stop: async () => void (await Promise.all(apps.map((a) => a.close()))),
  };
}

/** A small seeded PRNG, so that a failing interleaving can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const user = (i: number) => `mp-user-${String(i).padStart(2, '0')}`;
/** Each user's three orders: different totals per user, on three different days. */
const totals = (i: number) => [10 + i, 20.5, 0.99 * ((i % 7) + 1)].map((n) => Math.round(n * 100) / 100);
const revenue = (i: number) => Math.round(totals(i).reduce((a, b) => a + b, 0) * 100) / 100;

function messagesOf(i: number) {
  const u = user(i);
  return [
    // Browsing before signing in: an anonymous profile, joined to the user by the identify wherever each one lands.
    {
      type: 'page',
      anonymousId: `${u}-device`,
      name: 'Home',
      messageId: `${u}-page`,
      timestamp: '2026-03-01T07:00:00Z',
    },
    {
      type: 'identify',
      userId: u,
      anonymousId: `${u}-device`,
      messageId: `${u}-identify`,
      timestamp: '2026-03-01T08:00:00Z',
      traits: { email: `${u}@example.com`, plan: i % 2 ? 'gold' : 'free' },
    },
    ...totals(i).map((total, k) => ({
      type: 'track',
      userId: u,
      event: 'Order Completed',
      messageId: `${u}-order-${k}`,
      timestamp: `2026-03-0${k + 2}T12:00:00Z`,
      properties: {
        orderId: `${u}-o${k}`,
        total,
        currency: 'EUR',
        products: [{ product_id: `sku-${k}`, price: total, quantity: 1 }],
      },
    })),
  ];
}

describe(`two API servers on one database (${backend})`, () => {
  let t: TestDb;
  let servers: Servers;
  before(async () => {
    t = await freshDb();
    servers = await startServers(t);
  });
  after(async () => {
    await servers?.stop();
    await t?.close();
  });

  it('the same 50 customers sent through both at once, with replays, give exactly 50 customers with exact aggregates', async () => {
    const random = prng(20261124);
    const all = Array.from({ length: USERS }, (_, i) => messagesOf(i)).flat();
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    // 25 batches of 10 shuffled messages, alternately to each server; every 4th batch is also sent to both servers again.
    const batches = Array.from({ length: Math.ceil(all.length / 10) }, (_, b) => all.slice(b * 10, b * 10 + 10));
    const sends: { url: string; batch: object[]; replay: boolean }[] = [];
    batches.forEach((batch, b) => {
      sends.push({ url: servers.urls[b % 2]!, batch, replay: false });
      if (b % 4 === 0) for (const url of servers.urls) sends.push({ url, batch, replay: true });
    });
    const order = sends.map((_, i) => i).sort(() => random() - 0.5);
    const answers: Answer[] = await Promise.all(
      order.map((i) =>
        request(sends[i]!.url, 'POST', '/v1/batch', { key: t.workspace.writeKey, body: { batch: sends[i]!.batch } }),
      ),
    );

    for (const a of answers) assert.equal(a.status, 200, `${servers.kind}: ${JSON.stringify(a.body)}`);
    const sum = (k: 'accepted' | 'duplicates') => answers.reduce((n, a) => n + a.body[k], 0);
    const replayed = sends.filter((s) => s.replay).length * 10;
    assert.deepEqual(
      { accepted: sum('accepted'), duplicates: sum('duplicates'), rejected: answers.flatMap((a) => a.body.rejected) },
      { accepted: all.length, duplicates: replayed, rejected: [] },
      'every message stored once, every replay counted as a duplicate',
    );

    const q = async (sql: string) => Number((await t.db.query<{ n: string | number }>(sql, [t.workspaceId]))[0]!.n);
    assert.deepEqual(
      {
        customers: await q('SELECT count(*) AS n FROM customers WHERE workspace_id = $1'),
        events: await q('SELECT count(*) AS n FROM events WHERE workspace_id = $1'),
        orders: await q('SELECT count(*) AS n FROM orders WHERE workspace_id = $1'),
        lines: await q('SELECT count(*) AS n FROM order_lines WHERE workspace_id = $1'),
        identities: await q('SELECT count(*) AS n FROM identities WHERE workspace_id = $1'),
        orphanEvents: await q(
          'SELECT count(*) AS n FROM events e WHERE workspace_id = $1 AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.workspace_id = e.workspace_id AND c.id = e.customer_id)',
        ),
      },
      {
        customers: USERS,
        events: USERS * 5,
        orders: USERS * 3,
        lines: USERS * 3,
        identities: USERS * 2,
        orphanEvents: 0,
      },
    );

    const rows = await t.db.query<{
      user_id: string;
      email: string;
      plan: string;
      orders_count: number;
      purchase_days: number;
      revenue_total: string;
      revenue_net: string;
      first_order_at: Date;
      last_order_at: Date;
      first_seen: Date;
      counters: string;
    }>(
      `SELECT c.user_id, c.email, c.traits->>'plan' AS plan, c.orders_count, c.purchase_days, c.revenue_total::text, c.revenue_net::text,
              c.first_order_at, c.last_order_at, c.first_seen,
              (SELECT string_agg(name || '=' || count, ',' ORDER BY name) FROM customer_event_counters k WHERE k.workspace_id = c.workspace_id AND k.customer_id = c.id) AS counters
         FROM customers c WHERE c.workspace_id = $1 ORDER BY c.user_id`,
      [t.workspaceId],
    );
    const actual = rows.map((r) => ({
      user: r.user_id,
      email: r.email,
      plan: r.plan,
      orders: Number(r.orders_count),
      days: Number(r.purchase_days),
      revenue: Number(r.revenue_total),
      net: Number(r.revenue_net),
      first: new Date(r.first_order_at).toISOString(),
      last: new Date(r.last_order_at).toISOString(),
      counters: r.counters,
      firstSeen: new Date(r.first_seen).toISOString(),
    }));
    const expected = Array.from({ length: USERS }, (_, i) => ({
      user: user(i),
      email: `${user(i)}@example.com`,
      plan: i % 2 ? 'gold' : 'free',
      orders: 3,
      days: 3,
      revenue: revenue(i),
      net: revenue(i),
      first: '2026-03-02T12:00:00.000Z',
      last: '2026-03-04T12:00:00.000Z',
      counters: 'Order Completed=3,identify=1,page=1',
      firstSeen: '2026-03-01T07:00:00.000Z',
    }));
    assert.deepEqual(actual, expected);
  });

  it('both servers answer reads consistently', async () => {
    const [a, b] = await Promise.all(
      servers.urls.map((url) =>
        request(url, 'GET', `/api/v1/customers?q=${user(7)}@example.com`, { key: t.workspace.adminKey }),
      ),
    );
    assert.deepEqual(a!.body, b!.body);
    assert.equal(a!.body.customers[0].aggregates.ordersCount, 3);
    assert.equal(a!.body.customers[0].aggregates.revenueTotal, revenue(7));
  });
});
