// Benchmark: journey timers and immediate triggers.
// (a) Throughput: 1M runs on PostgreSQL (100k on PGlite, times BENCH_SCALE) whose delay timers are all due, drained by
//     2 runner loops (one per core) claiming batches with SKIP LOCKED; each run passes its delay and writes a message
//     intent (2 steps). Figure: steps fired per second.
// (b) Lateness: with those runs done and another 1M timers pending far in the future, timers falling due at a steady
//     rate (10,000/s, or half the measured capacity when that is less, for 20 s) are fired by the worker's journeys job on the real clock; figure: p50 /
//     p99 of (fired at − wake time).
// (c) Event → intent: an event matching an immediate trigger is ingested; the worker's journeys job (polling every
//     50 ms) enters the run and writes the intent; figure: p50 / p99 of commit → intent row, over 200 events.
// Every run must end with exactly its steps logged and one intent each, or the job reports FAILED.
import { freshBenchDb, type Backend } from './backend.ts';
import { argValue, emit, scale } from './job.ts';
import { rssSampler } from './timing.ts';
import { activateJourney, createJourney, runDue } from '../src/journeys/index.ts';
import { runJourneysJob } from '../src/journeys/store/tick.ts';
import { startWorker } from '../src/server/worker.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { createTemplate } from '../src/messaging/templates/store.ts';
import { saveChannel } from '../src/channels/store.ts';
import type { Db } from '../src/store/db.ts';
import { pino } from 'pino';

const backend = (argValue('backend') ?? 'pglite') as Backend;
const pg = backend === 'postgres';
const RUNS = Math.round((pg ? 1_000_000 : 100_000) * scale());
const log = (msg: string) => process.stderr.write(msg + '\n');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function journey(db: Db, ws: string, id: string, trigger: object, steps: object[], start: string) {
  await createJourney(db, ws, { id, name: id, definition: { purpose: 'transactional', trigger, start, steps } });
  await activateJourney(db, ws, id);
}

/** n runs at the delay step `wait` of journey `id`, their timers armed and due at wake(i). */
async function pendingRuns(
  db: Db,
  ws: string,
  id: string,
  from: number,
  n: number,
  wakeSql: string,
  params: unknown[] = [],
) {
  await db.query(
    `INSERT INTO journey_runs (workspace_id, journey_id, version, customer_id, status, step_id, wake_at, context, started_at, updated_at)
     SELECT $1, $2, 1, g, 'active', 'wait', w.at, jsonb_build_object('enteredAt', now(), 'timer', jsonb_build_object('step', 'wait', 'until', w.at)), now(), now()
     FROM generate_series($3::bigint, $4::bigint) g, LATERAL (SELECT ${wakeSql} AS at) w`,
    [ws, id, from, from + n - 1, ...params],
  );
}

async function main() {
  const b = await freshBenchDb(backend, { poolSize: 6 });
  const { db } = b;
  const ws = b.workspace.id;
  const problems: string[] = [];
  const mem = rssSampler();
  try {
    // a journey goes live only with its templates and a provider for its channel (the customers have no address: the
    // worker's dispatcher skips their messages as unreachable without calling it)
    for (const id of ['nudge', 'pong'])
      await createTemplate(db, ws, {
        id,
        name: id,
        defaultLocale: 'en',
        content: { en: { email: { subject: id, html: `<p>${id}</p>` } } },
      });
    await saveChannel(db, ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: 9, secure: false, from: 'Bench <bench@example.com>' },
    });
    const steps = [
      { id: 'wait', type: 'delay', duration: 'PT1M', next: 'send' },
      { id: 'send', type: 'send', template: 'nudge', channel: { fixed: 'email' } },
    ];
    await journey(db, ws, 'timers', { type: 'event', event: 'Bench Timer' }, steps, 'wait');
    await journey(db, ws, 'far', { type: 'event', event: 'Bench Far' }, steps, 'wait');
    await journey(
      db,
      ws,
      'immediate',
      { type: 'event', event: 'Ping', key: 'n' },
      [{ id: 'send', type: 'send', template: 'pong', channel: { fixed: 'email' } }],
      'send',
    );
    log(`customers and ${RUNS} due timers…`);
    await db.query(
      `INSERT INTO customers (workspace_id, id, user_id) SELECT $1, g, 'u' || g FROM generate_series(1, $2::int) g`,
      [ws, RUNS],
    );
    await pendingRuns(
      db,
      ws,
      'timers',
      1,
      RUNS,
      `now() - interval '1 minute' + (g % 60000) * interval '1 millisecond'`,
    );
    await pendingRuns(db, ws, 'far', 1, RUNS, `now() + interval '30 days' + g * interval '1 second'`);
    await db.query('ANALYZE journey_runs');

    // (a) drain every due timer with two runner loops
    const loops = 2;
    let steps_ = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: loops }, async () => {
        for (;;) {
          const r = await runDue(db, new Date(), { batch: 1000 });
          steps_ += r.steps;
          if (r.claimed === 0) break;
        }
      }),
    );
    const drainS = (performance.now() - t0) / 1000;
    const stepsPerSecond = Math.round(steps_ / drainS);
    log(`(a) ${steps_} steps in ${drainS.toFixed(1)} s: ${stepsPerSecond}/s`);
    const [check] = await db.query<{ open: number; logs: number; intents: number }>(
      `SELECT (SELECT count(*)::int FROM journey_runs WHERE journey_id = 'timers' AND ended_at IS NULL) AS open,
              (SELECT count(*)::int FROM journey_step_log WHERE journey_id = 'timers') AS logs,
              (SELECT count(*)::int FROM message_intents WHERE journey_id = 'timers') AS intents`,
    );
    if (check!.open !== 0 || check!.logs !== 2 * RUNS || check!.intents !== RUNS)
      problems.push(`(a) not exact: ${JSON.stringify(check)}`);

    // (b) lateness at a steady rate on the real clock, by the worker's job
    // Timers falling due per second: the target's 10,000, or half the measured capacity if that is less (2 steps a run).
    const rate = Math.max(100, Math.min(10_000, Math.round(stepsPerSecond / 2 / 2)));
    const seconds = 20;
    const lateRuns = rate * seconds;
    // The 1M runs just finished left 1M dead rows: what autovacuum (or the worker's maintain-database job where autovacuum
    // is off, as on this server) cleans up before long. Without it every claim walks their dead index entries first.
    if (pg) await db.query('VACUUM ANALYZE journey_runs');
    await db.query(
      `INSERT INTO customers (workspace_id, id, user_id) SELECT $1, g, 'u' || g FROM generate_series($2::bigint, $3::bigint) g`,
      [ws, RUNS + 1, RUNS + lateRuns],
    );
    const base = new Date(Date.now() + 8000);
    await pendingRuns(
      db,
      ws,
      'timers',
      RUNS + 1,
      lateRuns,
      `$5::timestamptz + ((g - $3::bigint) * 1000.0 / $6) * interval '1 millisecond'`,
      [base, rate],
    );
    await db.query("SELECT setval('customer_ids', $1)", [RUNS + lateRuns + 1]); // ingest's new customers come after these
    const lateness: number[] = [];
    const worker = startWorker(db, { jobs: [{ ...runJourneysJob, everyMs: 50 }], log: pino(pino.destination(2)) });
    const started = Date.now();
    while (Date.now() - started < (seconds + 15) * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      const [open] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM journey_runs WHERE journey_id = 'timers' AND ended_at IS NULL",
      );
      if (open!.n === 0) break;
    }
    const rows = await db.query<{ ms: number }>(
      `SELECT extract(epoch FROM l.at - ($2::timestamptz + ((l.customer_id - $3::bigint) * 1000.0 / $4) * interval '1 millisecond')) * 1000 AS ms
       FROM journey_step_log l WHERE l.journey_id = 'timers' AND l.step_id = 'wait' AND l.customer_id > $1`,
      [RUNS, base, RUNS + 1, rate],
    );
    for (const r of rows) lateness.push(Number(r.ms));
    if (lateness.length !== lateRuns) problems.push(`(b) ${lateness.length} of ${lateRuns} timers fired`);

    // (c) event → intent with the job polling every 50 ms
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await ingest(db, ws, [
        { type: 'track', userId: `ping-${i}`, event: 'Ping', properties: { n: i }, messageId: `ping-${i}` },
      ]);
      const committed = performance.now();
      // Probe on indexes only (identities, then the customer's intents), so the measuring costs the job nothing.
      const [who] = await db.query<{ id: string }>(
        "SELECT customer_id::text AS id FROM identities WHERE workspace_id = $1 AND kind = 'user' AND value = $2",
        [ws, `ping-${i}`],
      );
      for (;;) {
        const [hit] = await db.query(
          "SELECT 1 FROM message_intents WHERE workspace_id = $1 AND customer_id = $2 AND journey_id = 'immediate'",
          [ws, who!.id],
        );
        if (hit) break;
        if (performance.now() - t > 5000) {
          problems.push(`(c) event ${i}: no intent after 5 s`);
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(performance.now() - committed);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
    worker.stop();
    const memory = mem.stop();
    emit({
      backend,
      ok: problems.length === 0,
      problems,
      runs: RUNS,
      pendingFar: RUNS,
      loops,
      drainSeconds: +drainS.toFixed(1),
      stepsPerSecond,
      lateness: {
        rate,
        seconds,
        p50Ms: Math.round(pct(lateness, 50)),
        p99Ms: Math.round(pct(lateness, 99)),
        maxMs: Math.round(pct(lateness, 100)),
      },
      eventToIntent: {
        events: latencies.length,
        p50Ms: +pct(latencies, 50).toFixed(1),
        p99Ms: +pct(latencies, 99).toFixed(1),
      },
      memory,
      serverVersion: b.serverVersion,
    });
  } finally {
    await b.close();
  }
}

main().catch((err) => {
  emit({ backend, ok: false, problems: [String(err?.stack ?? err)] });
  process.exit(1);
});
