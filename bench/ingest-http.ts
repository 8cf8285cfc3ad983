// Benchmark: ingest through POST /v1/batch end to end (HTTP, auth, validation, one transaction per batch), then a raw
// COPY of the same stored rows into a plain unindexed table, on one backend. Prints one BENCH_RESULT line (JSON).
import os from 'node:os';
import { performance as perfHooks } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../src/http/app.ts';
import { freshBenchDb, type Backend } from './backend.ts';
import { machineCpu, processCpu, timedDb } from './timing.ts';
import type { PhaseResult } from './ingest-clients.ts';
import { argValue, emit, scale } from './job.ts';

const backend = (argValue('backend') ?? 'pglite') as Backend;
const pg = backend === 'postgres';
const events = Math.round((pg ? 200_000 : 50_000) * scale());
const warmupEvents = Math.max(2_000, Math.round(events * 0.05));
const clients = Number(process.env.BENCH_CLIENTS ?? (pg ? 4 : 2));
const poolSize = Number(process.env.BENCH_POOL ?? 10);
const batchSize = Number(process.env.BENCH_BATCH ?? 500);
const COPY_COLUMNS = [
  'message_id',
  'customer_id',
  'type',
  'name',
  'user_id',
  'anonymous_id',
  'properties',
  'context',
  'timestamp',
  'received_at',
];

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return s === '' || /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

async function main() {
  const bench = await freshBenchDb(backend, { poolSize });
  const timed = timedDb(bench.db);
  const app = await buildApp({ db: timed.db, logLevel: 'silent', webDir: null, rateLimitPerMinute: 0 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  // tsx's loader hooks do not reach worker threads on Node 20: the worker registers them itself.
  const clientsFile = JSON.stringify(new URL('./ingest-clients.ts', import.meta.url).href);
  const worker = new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${clientsFile}); })`,
    {
      eval: true,
      workerData: { url, writeKey: bench.workspace.writeKey, clients, warmupEvents, events, batchSize, seed: 42 },
    },
  );
  const next = () =>
    new Promise<{ phase: string; result?: PhaseResult; error?: string; bytes?: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const fail = (msg: string) => {
    throw new Error(msg);
  };
  try {
    const ready = await next();
    worker.postMessage('warmup');
    const warm = await next();
    if (warm.error) fail(warm.error);
    // Planner statistics: a PostgreSQL server with autovacuum analyses the growing tables by itself; when the
    // server runs with autovacuum=off we stand in for it once, after the warm-up. PGlite has no autovacuum
    // process, so nothing is done there (that is what users get). BENCH_ANALYZE=0/1 overrides.
    const autovacuum = pg
      ? (await bench.db.query<{ autovacuum: string }>('SHOW autovacuum'))[0]!.autovacuum
      : 'none (PGlite)';
    const analyze = process.env.BENCH_ANALYZE ? process.env.BENCH_ANALYZE === '1' : pg && autovacuum === 'off';
    if (analyze) await bench.db.query('ANALYZE');
    if (pg) await bench.db.query('CHECKPOINT'); // the warm-up's dirty pages are not charged to the measured phase
    const backendPids = async () =>
      pg
        ? (
            await bench.db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')
          ).map((x) => x.pid)
        : [];
    const pgCpu0 = processCpu(await backendPids());
    timed.reset();
    const cpu0 = process.cpuUsage();
    const machine0 = machineCpu();
    const elu0 = perfHooks.eventLoopUtilization();
    worker.postMessage('measured');
    const measured = await next();
    if (measured.error) fail(measured.error);
    const cpu = process.cpuUsage(cpu0);
    const machineBusy = machineCpu(machine0);
    const pgCpu1 = processCpu(await backendPids());
    const pgCpuS = [...pgCpu1].reduce((sum, [pid, s]) => sum + s - (pgCpu0.get(pid) ?? 0), 0);
    const r = measured.result!;
    const profile = timed.report();
    await worker.terminate();
    await app.close();

    // Verify: every event sent is stored once, so a broken run cannot print a good figure.
    const expected = warm.result!.sent + r.sent;
    const [{ n: stored }] = await bench.db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM events WHERE workspace_id = $1',
      [bench.workspace.id],
    );
    const [{ customers, orders }] = await bench.db.query<{ customers: string; orders: string }>(
      'SELECT (SELECT count(*) FROM customers WHERE workspace_id = $1)::text AS customers, (SELECT count(*) FROM orders WHERE workspace_id = $1)::text AS orders',
      [bench.workspace.id],
    );
    const problems: string[] = [];
    if (Number(stored) !== expected) problems.push(`events stored ${stored} ≠ sent ${expected}`);
    if (r.accepted !== r.sent) problems.push(`accepted ${r.accepted} ≠ sent ${r.sent}`);
    if (r.rejected > 0 || r.duplicates > 0) problems.push(`${r.rejected} rejected, ${r.duplicates} duplicates`);

    // Raw COPY of the same stored rows (same columns and JSON text) into a plain table without indexes.
    await bench.db.query(`CREATE TABLE bench_events_copy (message_id text, customer_id bigint, type text, name text, user_id text, anonymous_id text,
      properties jsonb, context jsonb, timestamp timestamptz, received_at timestamptz)`);
    const chunks: string[] = [];
    let after = '';
    let rows = 0;
    for (;;) {
      const page = await bench.db.query<Record<string, unknown>>(
        `SELECT message_id, customer_id::text, type, name, user_id, anonymous_id, properties::text, context::text, timestamp::text, received_at::text
           FROM events WHERE workspace_id = $1 AND message_id > $2 ORDER BY message_id LIMIT 20000`,
        [bench.workspace.id, after],
      );
      if (page.length === 0) break;
      chunks.push(page.map((row) => COPY_COLUMNS.map((c) => csvField(row[c])).join(',')).join('\n') + '\n');
      rows += page.length;
      after = page.at(-1)!.message_id as string;
    }
    if (pg) await bench.db.query('CHECKPOINT');
    const c0 = performance.now();
    for (const csv of chunks) await bench.db.copyCsv('bench_events_copy', COPY_COLUMNS, csv);
    const copyMs = performance.now() - c0;
    const [{ n: copied }] = await bench.db.query<{ n: string }>('SELECT count(*)::text AS n FROM bench_events_copy');
    if (Number(copied) !== rows) problems.push(`COPY stored ${copied} ≠ ${rows}`);

    async function tableStats() {
      if (!pg) return undefined;
      return bench.db.query(
        `SELECT relname AS table, n_live_tup::int AS live, n_dead_tup::int AS dead, autoanalyze_count::int AS autoanalyzes, autovacuum_count::int AS autovacuums
           FROM pg_stat_user_tables WHERE relname IN ('events', 'customers', 'identities', 'customer_event_counters') ORDER BY relname`,
      );
    }
    const ingestRate = r.sent / (r.ms / 1000);
    const copyRate = rows / (copyMs / 1000);
    emit({
      job: 'ingest-http',
      backend,
      serverVersion: bench.serverVersion,
      ok: problems.length === 0,
      problems,
      clients,
      poolSize: pg ? poolSize : 1,
      batchSize,
      warmupEvents: warm.result!.sent,
      events: r.sent,
      requests: r.requests,
      bodyMb: Math.round(r.bytes / 1024 / 1024),
      seconds: r.ms / 1000,
      eventsPerSec: ingestRate,
      latencyMs: r.latencyMs,
      serverCpu: { userS: cpu.user / 1e6, systemS: cpu.system / 1e6 },
      clientThreadBusyS: +(r.clientBusyMs / 1000).toFixed(1),
      // CPU spent per stored event by the server process (minus the client thread) and its PostgreSQL backends:
      // unlike events/s, it hardly moves when other work shares the machine.
      cpuUsPerEvent: Math.round(
        (((cpu.user + cpu.system) / 1e6 - r.clientBusyMs / 1000 + (pg ? pgCpuS : 0)) * 1e6) / r.sent,
      ),
      postgresBackendsCpuS: pg ? +pgCpuS.toFixed(1) : undefined,
      machineCpuBusy: machineBusy,
      machineCores: os.cpus().length,
      autovacuum,
      analyzedAfterWarmup: analyze,
      mainThreadBusy: +perfHooks.eventLoopUtilization(elu0).utilization.toFixed(2),
      tables: await tableStats(),
      stored: { events: Number(stored), customers: Number(customers), orders: Number(orders) },
      copy: { rows, seconds: copyMs / 1000, eventsPerSec: copyRate },
      ratio: ingestRate / copyRate,
      db: {
        transactions: profile.transactions.count,
        transactionMs: profile.transactions.ms,
        statementMs: profile.statementMs,
        top: profile.statements
          .slice(0, 14)
          .map((s) => ({ sql: s.sql, calls: s.calls, ms: Math.round(s.ms), msPerCall: +(s.ms / s.calls).toFixed(2) })),
      },
      payloadMb: Math.round((ready.bytes ?? 0) / 1024 / 1024),
    });
  } finally {
    await app.close().catch(() => undefined);
    await worker.terminate().catch(() => undefined);
    await bench.close();
  }
}

await main();
