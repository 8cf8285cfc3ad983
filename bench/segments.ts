// Benchmark: segment membership over a synthetic shop (bench/shop.ts: 1M customers and 20M events on PostgreSQL,
// 100k / 2M on PGlite, times BENCH_SCALE) with a 3-condition segment that takes the aggregate, time-crossing and
// event paths: orders_count ≥ 3 AND days_since_last_order > 90 AND 'Product Viewed' at least 2 times in the last
// 30 days ("frequent buyers who lapsed and are browsing again").
//
// Measured: (a) the full evaluation (evaluateSegment) — the first one, which writes every entry, and three
// re-evaluations — and the bare count a preview runs (compile() + count); (b) three rounds of: 10,000 new events for
// 10,000 customers ingested through ingest() (not timed), then one incremental run (runIncremental, timed); (c) two
// time-crossing runs, the clock moving one day each with no new events. After every run of (b) and (c) the members
// must equal a fresh recompute (compile() + a query, compared row by row) and entries − exits logged must equal the
// members: a broken run reports FAILED, never a figure. Prints one BENCH_RESULT line (JSON).
import { randomBytes } from 'node:crypto';
import { ADMIN_URL, freshBenchDb, type Backend, type BenchDb } from './backend.ts';
import { argValue, emit, scale } from './job.ts';
import { rssSampler, timedDb } from './timing.ts';
import { loadShop, type Shop } from './shop.ts';
import { compile, createSegment, evaluateSegment, runIncremental, type Condition } from '../src/segments/index.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { seededRandom } from '../src/models/simulate.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { createWorkspace } from '../src/workspaces/workspaces.ts';

const backend = (argValue('backend') ?? 'pglite') as Backend;
const pg = backend === 'postgres';
const customers = Math.round((pg ? 1_000_000 : 100_000) * scale());
const events = customers * 20;
const NEW_EVENTS = Math.min(10_000, customers);
const INCREMENTAL_ROUNDS = 3;
const CROSSING_ROUNDS = 2;
const SEGMENT = 'win_back';
const DEFINITION: Condition = {
  and: [
    { aggregate: 'orders_count', op: 'gte', value: 3 },
    { aggregate: 'days_since_last_order', op: 'gt', value: 90 },
    { event: 'Product Viewed', op: 'at_least', count: 2, days: 30 },
  ],
};
const MIN = 60_000;
const DAY = 86_400_000;

const log = (msg: string) => process.stderr.write(msg + '\n');

/**
 * BENCH_SHOP_TEMPLATE=<database> (PostgreSQL, for repeated experiments): the shop is loaded once into that database
 * and kept; each run measures a copy of it (CREATE DATABASE … TEMPLATE, dropped afterwards), with any newer migrations
 * applied, instead of loading the shop again. Without it, every run loads a fresh shop.
 */
async function shopFromTemplate(template: string): Promise<{ bench: BenchDb; shop: Shop }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(template))
    throw new Error(`BENCH_SHOP_TEMPLATE must be a plain database name, not ${template}`);
  const withDb = (name: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  const root = await openDb({ url: ADMIN_URL, poolSize: 1 });
  try {
    const [known] = await root.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [
      template,
    ]);
    if (!known!.n) {
      log(`loading the shop into ${template} (kept for later runs)…`);
      await root.query(`CREATE DATABASE ${template}`);
      const db = await openDb({ url: withDb(template), poolSize: 4 });
      try {
        await migrate(db);
        const ws = await createWorkspace(db, 'bench');
        const shop = await loadShop(db, ws.id, { customers, events, log });
        await db.query('CREATE TABLE bench_template (workspace_id text NOT NULL, shop jsonb NOT NULL)');
        await db.query('INSERT INTO bench_template VALUES ($1, $2::jsonb)', [ws.id, JSON.stringify(shop)]);
      } catch (err) {
        await db.close();
        await root.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
        throw err;
      }
      await db.close();
    }
    const name = `retain_bench_${randomBytes(6).toString('hex')}`;
    await root.query(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY`);
    const db = await openDb({ url: withDb(name), poolSize: 4 });
    await migrate(db);
    const [meta] = await db.query<{ workspace_id: string; shop: Shop & { now: string } }>(
      'SELECT workspace_id, shop FROM bench_template',
    );
    if (meta!.shop.customers !== customers)
      throw new Error(
        `${template} holds ${meta!.shop.customers} customers, not ${customers}: drop it or change BENCH_SCALE`,
      );
    const [{ server_version }] = await db.query<{ server_version: string }>('SHOW server_version');
    const close = async () => {
      await db.close().catch(() => undefined);
      const r = await openDb({ url: ADMIN_URL, poolSize: 1 });
      await r.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await r.close();
    };
    return {
      bench: {
        db,
        workspace: { id: meta!.workspace_id } as BenchDb['workspace'],
        serverVersion: server_version!,
        close,
      },
      shop: { ...meta!.shop, now: new Date(meta!.shop.now) },
    };
  } finally {
    await root.close();
  }
}
const ms = (since: number) => +(performance.now() - since).toFixed(1);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The top statements of a timed section, as run.ts shows them. */
function top(report: ReturnType<ReturnType<typeof timedDb>['report']>, n = 6) {
  return report.statements.slice(0, n).map((s) => ({ sql: s.sql, calls: s.calls, ms: +s.ms.toFixed(1) }));
}

/** Members as stored vs a fresh recompute at `now` (compile + query): counts and the symmetric difference. */
async function verify(db: Db, ws: string, now: Date) {
  const { where, params } = compile(DEFINITION, now);
  const seg = `$${params.length + 2}`;
  const [r] = await db.query<{ want: number; have: number; missing: number; extra: number }>(
    `WITH want AS MATERIALIZED (SELECT c.id FROM customers c WHERE ${where}),
          have AS MATERIALIZED (SELECT customer_id AS id FROM segment_members WHERE workspace_id = $1 AND segment_id = ${seg}::text)
     SELECT (SELECT count(*) FROM want)::int AS want, (SELECT count(*) FROM have)::int AS have,
            (SELECT count(*) FROM (SELECT id FROM want EXCEPT SELECT id FROM have) d)::int AS missing,
            (SELECT count(*) FROM (SELECT id FROM have EXCEPT SELECT id FROM want) d)::int AS extra`,
    [ws, ...params, SEGMENT],
  );
  // every entry and exit is an event: entries − exits logged must be the current members
  const [e] = await db.query<{ entered: number; exited: number }>(
    `SELECT coalesce(sum(count) FILTER (WHERE name = 'Segment Entered'), 0)::int AS entered,
            coalesce(sum(count) FILTER (WHERE name = 'Segment Exited'), 0)::int AS exited
       FROM customer_event_counters WHERE workspace_id = $1 AND name IN ('Segment Entered', 'Segment Exited')`,
    [ws],
  );
  return { ...r!, loggedEntered: e!.entered, loggedExited: e!.exited };
}

function checkVerify(what: string, v: Awaited<ReturnType<typeof verify>>, problems: string[]) {
  if (v.want !== v.have || v.missing || v.extra) {
    problems.push(`${what}: members ${v.have} ≠ full recompute ${v.want} (${v.missing} missing, ${v.extra} extra)`);
  }
  if (v.loggedEntered - v.loggedExited !== v.have) {
    problems.push(`${what}: Segment Entered ${v.loggedEntered} − Exited ${v.loggedExited} ≠ members ${v.have}`);
  }
}

/** 10,000 customers (some members, many lapsed frequent buyers, the rest anyone) with one new event each. */
async function newEvents(db: Db, ws: string, from: Date, minutes: number, round: number) {
  const rng = seededRandom(7 + round);
  const pick = <T>(list: T[], k: number, taken: Set<T>): T[] => {
    const out: T[] = [];
    const copy = [...list];
    for (let i = copy.length - 1; i > 0 && out.length < k; i--) {
      const j = Math.floor(rng() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      if (!taken.has(copy[i]!)) {
        out.push(copy[i]!);
        taken.add(copy[i]!);
      }
    }
    return out;
  };
  const members = (
    await db.query<{ id: string }>(
      'SELECT customer_id::text AS id FROM segment_members WHERE workspace_id = $1 AND segment_id = $2',
      [ws, SEGMENT],
    )
  ).map((r) => r.id);
  const lapsed = (
    await db.query<{ id: string }>(
      `SELECT id::text AS id FROM customers WHERE workspace_id = $1 AND orders_count >= 3 AND last_order_at <= $2::timestamptz`,
      [ws, new Date(from.getTime() - 91 * DAY).toISOString()],
    )
  ).map((r) => r.id);
  const taken = new Set<string>();
  const chosen = [
    ...pick(members, Math.round(NEW_EVENTS * 0.1), taken),
    ...pick(lapsed, Math.round(NEW_EVENTS * 0.4), taken),
  ];
  while (chosen.length < NEW_EVENTS) {
    const id = String(1 + Math.floor(rng() * customers));
    if (!taken.has(id)) {
      taken.add(id);
      chosen.push(id);
    }
  }
  return chosen.map((id, i) => {
    const u = rng();
    const timestamp = new Date(from.getTime() + Math.ceil(rng() * minutes * MIN - 1)).toISOString();
    const base = { userId: `u${id}`, messageId: `bench-new-${round}-${i}`, timestamp };
    if (u < 0.6)
      return {
        ...base,
        type: 'track',
        event: 'Product Viewed',
        properties: { productId: `p${Math.floor(rng() * 4096)}` },
      };
    if (u < 0.85) return { ...base, type: 'page', name: 'Home', properties: { path: '/' } };
    return {
      ...base,
      type: 'track',
      event: 'Order Completed',
      properties: { orderId: `NEW-${round}-${id}`, total: Math.round(rng() * 10_000) / 100 + 5, currency: 'USD' },
    };
  });
}

async function main() {
  const problems: string[] = [];
  const rssAll = rssSampler(100);
  let rss: ReturnType<typeof rssSampler> | null = null;
  const template = pg ? process.env.BENCH_SHOP_TEMPLATE : undefined;
  const fromTemplate = template ? await shopFromTemplate(template) : null;
  const bench = fromTemplate?.bench ?? (await freshBenchDb(backend, { prepareElsewhere: !pg, poolSize: 4 }));
  const ws = bench.workspace.id;
  try {
    if (!fromTemplate)
      log(
        `loading ${customers.toLocaleString('en-US')} customers and ${events.toLocaleString('en-US')} events (${backend})…`,
      );
    const shop = fromTemplate?.shop ?? (await loadShop(bench.db, ws, { customers, events, log }));
    const now0 = shop.now;
    const timed = timedDb(bench.db);
    const db = timed.db;
    await createSegment(db, ws, {
      id: SEGMENT,
      name: 'Win-back: 3+ orders, none for 90 days, browsing again',
      definition: DEFINITION,
    });
    global.gc?.();
    rss = rssSampler(50);

    // (a) full evaluation: the first (every member is an entry: rows + events written), then re-evaluations (no change)
    timed.reset();
    let t = performance.now();
    const first = await evaluateSegment(db, ws, SEGMENT, now0);
    const firstMs = ms(t);
    const firstTop = top(timed.report());
    const reevalMs: number[] = [];
    let reevalTop: ReturnType<typeof top> = [];
    for (let i = 0; i < 3; i++) {
      timed.reset();
      t = performance.now();
      const again = await evaluateSegment(db, ws, SEGMENT, now0);
      reevalMs.push(ms(t));
      reevalTop = top(timed.report());
      if (again.entered || again.exited)
        problems.push(`re-evaluation ${i + 1} changed membership (${again.entered} in, ${again.exited} out)`);
    }
    // the read alone: compile() + a count, what a preview costs
    const { where, params } = compile(DEFINITION, now0);
    const countMs: number[] = [];
    let counted = 0;
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      const [c] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers c WHERE ${where}`, [
        ws,
        ...params,
      ]);
      countMs.push(ms(t));
      counted = c!.n;
    }
    if (counted !== first.entered) problems.push(`first evaluation entered ${first.entered} ≠ count ${counted}`);
    // the first evaluation queued its entries in customer_changes (for segments built on this one): drain them
    t = performance.now();
    let settle = await runIncremental(db, ws, now0);
    while (settle.more) settle = await runIncremental(db, ws, now0);
    const settleMs = ms(t);
    log(
      `full: first ${firstMs} ms (${first.entered} entered), re-evaluations ${reevalMs.join(', ')} ms, count ${countMs.join(', ')} ms`,
    );

    // (b) rounds of 10,000 new events through ingest() (not timed), each followed by one incremental run (timed)
    const rounds: Record<string, any>[] = [];
    let clock = now0;
    for (let round = 0; round < INCREMENTAL_ROUNDS; round++) {
      const next = new Date(clock.getTime() + 10 * MIN);
      const messages = await newEvents(db, ws, clock, 10, round);
      t = performance.now();
      let accepted = 0;
      for (let i = 0; i < messages.length; i += 500) {
        const r = await ingest(bench.db, ws, messages.slice(i, i + 500), { receivedAt: next });
        accepted += r.accepted;
        if (r.rejected.length) problems.push(`ingest rejected ${r.rejected.length}: ${r.rejected[0]!.reason}`);
      }
      const ingestMs = ms(t);
      if (accepted !== messages.length)
        problems.push(`round ${round + 1}: ingest accepted ${accepted} of ${messages.length}`);
      const [{ n: queued }] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM customer_changes WHERE workspace_id = $1',
        [ws],
      );
      // the server writes the ingest's dirty pages in the background by the time the worker's 15 s tick comes
      if (pg) await db.query('CHECKPOINT');
      global.gc?.();
      timed.reset();
      t = performance.now();
      const inc = await runIncremental(db, ws, next);
      const incMs = ms(t);
      const incTop = top(timed.report(), 8);
      const seg = inc.segments[0];
      if (!inc.ran || inc.errors.length || !seg || seg.mode !== 'incremental')
        problems.push(`round ${round + 1}: incremental run ${JSON.stringify(inc)}`);
      if (inc.changed !== queued || inc.more)
        problems.push(
          `round ${round + 1}: the run drained ${inc.changed} of ${queued} queued changes (more: ${inc.more})`,
        );
      const check = await verify(bench.db, ws, next);
      checkVerify(`after incremental run ${round + 1}`, check, problems);
      log(
        `incremental ${round + 1}: ${incMs} ms (${inc.changed} changed, ${seg?.candidates} candidates, +${seg?.entered} −${seg?.exited}); members ${check.have} = recompute ${check.want}`,
      );
      rounds.push({
        events: messages.length,
        customers: new Set(messages.map((m) => m.userId)).size,
        ingestMs,
        queued,
        ms: incMs,
        changed: inc.changed,
        candidates: seg?.candidates,
        entered: seg?.entered,
        exited: seg?.exited,
        top: incTop,
        verify: check,
      });
      clock = next;
    }

    // (c) the clock moves one day at a time, no new events: only time conditions change
    const crossings: Record<string, any>[] = [];
    for (let day = 0; day < CROSSING_ROUNDS; day++) {
      const next = new Date(clock.getTime() + DAY);
      timed.reset();
      t = performance.now();
      const cross = await runIncremental(db, ws, next);
      const crossMs = ms(t);
      const crossTop = top(timed.report(), 8);
      const seg = cross.segments[0];
      if (!cross.ran || cross.errors.length || !seg || seg.mode !== 'incremental' || cross.changed !== 0)
        problems.push(`crossing run ${day + 1}: ${JSON.stringify(cross)}`);
      const check = await verify(bench.db, ws, next);
      checkVerify(`after time-crossing run ${day + 1}`, check, problems);
      log(
        `crossing ${day + 1}: ${crossMs} ms (${seg?.candidates} candidates, +${seg?.entered} −${seg?.exited}); members ${check.have} = recompute ${check.want}`,
      );
      crossings.push({
        ms: crossMs,
        candidates: seg?.candidates,
        entered: seg?.entered,
        exited: seg?.exited,
        top: crossTop,
        verify: check,
      });
      clock = next;
    }
    const measuredRss = rss.stop();

    const plan = pg
      ? (
          await bench.db.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) SELECT count(*) FROM customers c WHERE ${where}`,
            [ws, ...params],
          )
        ).map((r) => r['QUERY PLAN'])
      : undefined;
    const settings = pg
      ? await bench.db.query<{ name: string; setting: string }>(
          "SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit', 'autovacuum', 'max_parallel_workers_per_gather') ORDER BY name",
        )
      : undefined;
    emit({
      job: 'segments',
      backend,
      serverVersion: bench.serverVersion,
      ok: problems.length === 0,
      problems,
      shop: {
        customers: shop.customers,
        events: shop.events,
        orders: shop.orders,
        repeatBuyers: shop.repeatBuyers,
        now: now0.toISOString(),
      },
      load: { seconds: shop.seconds, phases: shop.phases },
      definition: DEFINITION,
      members: {
        afterFull: first.entered,
        afterIncremental: rounds.map((r) => r.verify.have),
        afterCrossing: crossings.map((r) => r.verify.have),
      },
      full: {
        firstMs,
        entered: first.entered,
        firstTop,
        reevalMs,
        reevalMedianMs: median(reevalMs),
        reevalTop,
        countMs,
        countMedianMs: median(countMs),
        settleMs,
      },
      incremental: { rounds, medianMs: median(rounds.map((r) => r.ms)), maxMs: Math.max(...rounds.map((r) => r.ms)) },
      crossing: {
        rounds: crossings,
        medianMs: median(crossings.map((r) => r.ms)),
        maxMs: Math.max(...crossings.map((r) => r.ms)),
      },
      rss: {
        measured: measuredRss,
        job: ((j) => ({ ...j, peakMb: Math.max(j.peakMb, measuredRss.peakMb) }))(rssAll.stop()),
      },
      plan,
      settings,
    });
  } catch (err) {
    emit({
      job: 'segments',
      backend,
      ok: false,
      problems: [`${(err as Error).stack ?? err}`.split('\n').slice(0, 4).join(' | ')],
    });
  } finally {
    rss?.stop();
    rssAll.stop();
    await bench.close();
  }
}

await main();
