// npm run bench [-- <filter>…]: runs each benchmark file in its own process (clean memory figures, optional CPU
// profile), prints the machine and a figure table, and writes the figures into docs/BENCHMARKS.md.
//
// Filters pick jobs by name or backend (e.g. `npm run bench -- ingest postgres`). Environment:
//   BENCH_DATABASE_URL  PostgreSQL admin URL (default postgres://postgres@127.0.0.1:5432/postgres); a fresh database
//                       retain_bench_<random> is created per job and dropped after it. Unreachable → PostgreSQL skipped.
//   BENCH_BACKENDS      pglite,postgres (default both)
//   BENCH_SCALE         multiplies the ingest event counts (1 = 200k on PostgreSQL, 50k on PGlite) and the synthetic shops of
//                       segments (1M customers / 20M events on PostgreSQL, 100k / 2M on PGlite) and models (1M customers pure,
//                       1M through the product on PostgreSQL, 100k on PGlite)
//   BENCH_CLIENTS, BENCH_POOL, BENCH_BATCH  ingest: HTTP clients (4 PG / 2 PGlite), pg pool size (10), events per batch (500)
//   BENCH_PROFILE=1     writes a V8 CPU profile per job into bench/.profiles (summarise with bench/profile-summary.ts)
//   BENCH_WRITE_DOCS=0  do not update docs/BENCHMARKS.md
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { openDb } from '../src/store/db.ts';
import { ADMIN_URL, type Backend } from './backend.ts';
import { RESULT_PREFIX, scale } from './job.ts';
import { waitForQuiet } from './timing.ts';

type Result = Record<string, any>;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = `${ROOT}docs/BENCHMARKS.md`;
const JOB_TIMEOUT_MS = 6 * 60_000;
const filters = process.argv.slice(2);
const backends = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim()) as Backend[];
const profile = process.env.BENCH_PROFILE === '1';

const JOBS: { name: string; file: string; timeoutMs?: number }[] = [
  { name: 'ingest-http', file: 'bench/ingest-http.ts' },
  { name: 'import-retail', file: 'bench/import-retail.ts' },
  // loading the 1M-customer / 20M-event shop takes ~3 minutes of the job on a 2-core machine
  { name: 'segments', file: 'bench/segments.ts', timeoutMs: 15 * 60_000 },
  { name: 'models', file: 'bench/models.ts', timeoutMs: 12 * 60_000 },
  { name: 'journeys', file: 'bench/journeys.ts', timeoutMs: 15 * 60_000 },
  { name: 'messaging', file: 'bench/messaging.ts', timeoutMs: 10 * 60_000 },
  { name: 'broadcast', file: 'bench/broadcast.ts', timeoutMs: 30 * 60_000 },
  { name: 'loyalty', file: 'bench/loyalty.ts', timeoutMs: 20 * 60_000 },
  // 1M customers / 2.5M orders made with generate_series, then the Measure reports
  { name: 'measure', file: 'bench/measure.ts', timeoutMs: 20 * 60_000 },
  // orders ingested with and without the Measure aggregates' triggers
  { name: 'measure-ingest', file: 'bench/measure-ingest.ts' },
];

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const label = (b: string) => (b === 'postgres' ? 'PostgreSQL' : 'PGlite');

async function postgresVersion(): Promise<string | null> {
  try {
    const db = await openDb({ url: ADMIN_URL, poolSize: 1 });
    try {
      const [row] = await db.query<{ server_version: string }>('SHOW server_version');
      return row!.server_version;
    } finally {
      await db.close();
    }
  } catch {
    return null;
  }
}

function runJob(file: string, backend: Backend, timeoutMs = JOB_TIMEOUT_MS): Promise<Result> {
  const args = ['--import', 'tsx', '--expose-gc'];
  if (profile) {
    mkdirSync(`${ROOT}bench/.profiles`, { recursive: true });
    args.push(
      '--cpu-prof',
      `--cpu-prof-dir=${ROOT}bench/.profiles`,
      `--cpu-prof-name=${file.replace(/\W+/g, '_')}-${backend}-${Date.now()}.cpuprofile`,
    );
  }
  args.push(file, '--backend', backend);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)));
      resolve({
        backend,
        ok: false,
        problems: [
          `exited with ${code}${code === null ? ' (timeout)' : ''}: ${(err || out).trim().split('\n').slice(-6).join(' | ')}`,
        ],
      });
    });
  });
}

function machine(pgVersion: string | null) {
  const pglite = JSON.parse(readFileSync(`${ROOT}node_modules/@electric-sql/pglite/package.json`, 'utf8'))
    .version as string;
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    postgres: pgVersion ?? 'not reachable',
    pglite,
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    scale: scale(),
  };
}

interface Row {
  benchmark: string;
  backend: string;
  figure: string;
  target: string;
  status: string;
}

const status = (ok: boolean | null) => (ok === null ? '—' : ok ? 'met' : '**missed**');
const msOrS = (ms: number) =>
  ms >= 10_000 ? `${fmt(ms / 1000, 1)} s` : ms >= 1000 ? `${fmt(ms / 1000, 2)} s` : `${fmt(ms, ms < 10 ? 1 : 0)} ms`;
const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};
/** Where the time of a timed section went: its top statements (bench/timing.ts), as "x ms in `SQL…`". */
const topSql = (top: { sql: string; calls: number; ms: number }[] | undefined, n = 2) =>
  (top ?? [])
    .slice(0, n)
    .map(
      (t) =>
        `${fmt(t.ms)} ms in \`${t.sql.replaceAll('|', '\\|').slice(0, 48)}…\`${t.calls > 1 ? ` (${t.calls} calls)` : ''}`,
    )
    .join(', ');

/** bench/segments.ts: full evaluation, incremental run after 10,000 events, time crossing, memory. */
function segmentRows(r: Result, backend: Backend): Row[] {
  const b = label(backend);
  const s = r.shop;
  // the targets are for 1M customers / 20M events on PostgreSQL; other scales and PGlite are reported without a verdict
  const atScale = backend === 'postgres' && s.customers >= 1_000_000;
  const judge = (ok: boolean) => (atScale ? status(ok) : '—');
  const scaleNote = `${fmt(s.customers)} customers, ${fmt(s.events.total)} events`;
  const target = (t: string) => (atScale ? t : `${t} at 1M / 20M on PostgreSQL`);
  const f = r.full;
  const inc = r.incremental;
  const cross = r.crossing;
  const incMs = inc.rounds.map((x: Result) => x.ms);
  const round = inc.rounds[0];
  return [
    {
      benchmark:
        'Segment of 3 conditions (orders ≥ 3, no order for 90 days, ≥ 2 Product Viewed in 30 days): full re-evaluation (evaluateSegment)',
      backend: b,
      figure:
        `**${msOrS(f.reevalMedianMs)}** (median of ${f.reevalMs.length}, no membership change; ${scaleNote}; ${fmt(f.entered)} members). ` +
        `The read alone (compile() + count, as a preview runs it): ${msOrS(f.countMedianMs)}. Time: ${topSql(f.reevalTop, 1)}`,
      target: target('≤ 1 s'),
      status: judge(f.reevalMedianMs <= 1000),
    },
    {
      benchmark: 'Same segment: first full evaluation (every member an entry: rows, Segment Entered events, counters)',
      backend: b,
      figure: `**${msOrS(f.firstMs)}** (${fmt(f.entered)} entries written; caches cold after the load). Time: ${topSql(f.firstTop, 2)}`,
      target: target('≤ 1 s'),
      status: judge(f.firstMs <= 1000),
    },
    {
      benchmark:
        'Same segment: incremental run after 10,000 new events for 10,000 customers (ingest() not timed, then runIncremental)',
      backend: b,
      figure:
        `**${msOrS(median(incMs))}** (median of ${incMs.length} rounds: ${incMs.map((x: number) => fmt(x)).join(', ')} ms; each drains ${fmt(round.changed)} changed customers and ` +
        `re-evaluates ~${fmt(round.candidates)}, e.g. +${round.entered} −${round.exited}; after each, members = a full recompute, row by row). ` +
        `Time of round 1: ${topSql(round.top, 2)}`,
      target: target('≤ 100 ms'),
      status: judge(median(incMs) <= 100),
    },
    {
      benchmark: 'Same segment: time-crossing run, clock + 1 day, no new events (runIncremental)',
      backend: b,
      figure:
        `${msOrS(cross.medianMs)} (median of ${cross.rounds.length}: ${cross.rounds.map((x: Result) => fmt(x.ms)).join(', ')} ms; ~${fmt(cross.rounds[0].candidates)} candidates from the crossing queries, ` +
        `+${cross.rounds[0].entered} −${cross.rounds[0].exited}; members = full recompute). Time of day 1: ${topSql(cross.rounds[0].top, 2)}`,
      target: '—',
      status: '—',
    },
    {
      benchmark: 'Segments: process RSS during the measured runs',
      backend: b,
      figure:
        `peak ${r.rss.measured.peakMb} MB (start ${r.rss.measured.startMb} MB${backend === 'pglite' ? ', PGlite included' : '; PostgreSQL is another process'}); ` +
        `whole job incl. the load ${r.rss.job.peakMb} MB`,
      target: '—',
      status: '—',
    },
    {
      benchmark: 'Segments: loading the synthetic shop (not a measured figure)',
      backend: b,
      figure:
        `${fmt(r.load.seconds)} s for ${scaleNote} (${fmt(s.orders)} orders; BG/NBD purchase histories), of which index builds ${fmt(r.load.phases.indexes ?? 0)} s. ` +
        `Machine busy with other work just before the job: ${fmt(100 * (r.machineBusyBefore ?? 0))} %`,
      target: '—',
      status: '—',
    },
  ];
}

/** bench/models.ts: CDNOW fit, 1M fit + score in the pure core (once, it does not use the database), product run. */
function modelRows(r: Result, backend: Backend, withPure: boolean): Row[] {
  const out: Row[] = [];
  const a = r.cdnow;
  const p = r.pure;
  if (withPure && a) {
    out.push({
      benchmark: `BG/NBD + Gamma-Gamma fit on CDNOW (${fmt(a.customers)} customers, ${fmt(a.groups)} distinct (x, t_x, T)), warm`,
      backend: 'none (pure)',
      figure:
        `**${fmt(a.warmMedianMs, 1)} ms** median of ${a.warmMs.length} fits (BG/NBD ${fmt(a.warmMedianSplitMs.bgnbd, 1)} ms, ${a.iterations.bgnbd} iterations; ` +
        `Gamma-Gamma ${fmt(a.warmMedianSplitMs.gammaGamma, 1)} ms, ${a.iterations.gammaGamma} iterations); estimates = the published ones to 3 figures`,
      target: '≤ 20 ms',
      status: status(a.warmMedianMs <= 20),
    });
    out.push({
      benchmark: 'Same fit, cold (the first in a fresh process: V8 compiles the code)',
      backend: 'none (pure)',
      figure: `**${fmt(a.coldMs, 1)} ms**`,
      target: '≤ 20 ms',
      status: status(a.coldMs <= 20),
    });
  }
  if (withPure && p) {
    const ph = p.phases;
    const atScale = p.customers >= 1_000_000;
    out.push({
      benchmark: `Fit + score ${fmt(p.customers)} synthetic customers, pure core (groupSummaries → fitBgNbd + fitGammaGamma → scores, expected order value, CLV for each)`,
      backend: 'none (pure)',
      figure:
        `**${msOrS(p.totalMs)}**: grouping ${fmt(ph.group)} ms (${fmt(p.groups)} distinct triples), BG/NBD fit ${fmt(ph.fitBgNbd)} ms, ` +
        `Gamma-Gamma fit ${fmt(ph.fitGammaGamma)} ms (per repeat buyer: ${fmt(p.repeatBuyers)}), P(alive) + expected purchases per triple ${fmt(ph.scoreGroups)} ms, ` +
        `12-month CLV per triple ${fmt(ph.clvGroups)} ms, per customer ${fmt(ph.scoreCustomers)} ms`,
      target: atScale ? '≤ 3 s' : '≤ 3 s at 1M',
      status: atScale ? status(p.totalMs <= 3000) : '—',
    });
    out.push({
      benchmark: `Memory of that fit + score (process RSS every 20 ms)`,
      backend: 'none (pure)',
      figure: `peak **${p.rss.peakMb} MB** (at the start ${p.rss.startMb} MB, of which the ${fmt(p.customers)} simulated summaries held as JS objects)`,
      target: atScale ? 'flat, ≤ 300 MB' : '—',
      status: atScale ? status(p.rss.peakMb <= 300) : '—',
    });
  }
  const c = r.product;
  if (c) {
    const runs = c.runs as Result[];
    const atScale = c.customers >= 1_000_000;
    const run = (x: Result) =>
      `**${msOrS(x.ms)}** (fit: reading ${fmt((x.bgnbd.dataMs + x.gammaGamma.dataMs) / 1000, 1)} s + fitting ${fmt((x.bgnbd.durationMs + x.gammaGamma.durationMs) / 1000, 1)} s; ` +
      `scoring ${fmt(x.scoring.durationMs / 1000, 1)} s: ${fmt(x.scoring.written ?? x.scoring.customers)} written, ${fmt(x.scoring.changed)} queued as changed, ${fmt(x.scoring.stageChanges)} stage events; ` +
      `CPU: Node ${x.nodeCpuMs === undefined ? '?' : fmt(x.nodeCpuMs / 1000, 1)} s${x.pgCpuMs == null ? '' : `, PostgreSQL backends ${fmt(x.pgCpuMs / 1000, 1)} s`}; ` +
      (x.updates
        ? `customers rows updated ${fmt(x.updates.rows)}, of them HOT ${fmt(x.updates.hot)}, heap ${fmt(x.updates.heapMb)} MB after; `
        : '') +
      `time: ${topSql(x.top, 3)})`;
    out.push({
      benchmark: `Fit + score through the product (runModels), ${fmt(c.customers)} customers, ${fmt(c.orders)} orders`,
      backend: label(backend),
      figure:
        runs.map((x) => `${x.label} run ${run(x)}`).join('. ') +
        `. Machine busy with other work just before the job: ${fmt(100 * (r.machineBusyBefore ?? 0))} %`,
      target: atScale ? '≤ 3 s' : '—',
      status: atScale ? status(Math.min(...runs.map((x) => x.ms)) <= 3000) + ' (best run)' : '—',
    });
    out.push({
      benchmark: 'Memory of the product runs (process RSS every 50 ms)',
      backend: label(backend),
      figure:
        runs
          .map((x) => `${x.label} run peak **${x.rss.peakMb} MB** (per tenth: ${x.rss.decilesMb.join(', ')})`)
          .join('; ') + `${backend === 'pglite' ? '; PGlite runs in this process' : ''}`,
      target: atScale ? 'flat, ≤ 300 MB' : '—',
      status: atScale ? status(Math.max(...runs.map((x) => x.rss.peakMb)) <= 300) : '—',
    });
  }
  return out;
}

/** bench/journeys.ts: timers drained per second, lateness at a steady rate, event → intent. */
function journeyRows(r: Result, backend: Backend): Row[] {
  const b = label(backend);
  const pg = backend === 'postgres';
  const atScale = pg && r.runs >= 1_000_000;
  return [
    {
      benchmark: `Journey timers: ${fmt(r.runs)} due timers (and ${fmt(r.pendingFar)} more pending in 30 days) drained by ${r.loops} runner loops (delay passed + message intent = 2 steps a run)`,
      backend: b,
      figure: `**${fmt(r.stepsPerSecond)} steps/s** (${fmt(r.runs * 2)} steps in ${fmt(r.drainSeconds, 1)} s); every run ended with its 2 steps logged and 1 intent`,
      target: pg ? (atScale ? '≥ 10,000/s' : '≥ 10,000/s at 1M pending') : '—',
      status: atScale ? status(r.stepsPerSecond >= 10_000) : '—',
    },
    {
      benchmark: `Journey timer lateness: timers falling due at ${fmt(r.lateness.rate)}/s for ${r.lateness.seconds} s, fired by the worker's journeys job on the real clock`,
      backend: b,
      figure: `p50 **${fmt(r.lateness.p50Ms)} ms**, p99 **${fmt(r.lateness.p99Ms)} ms**, max ${fmt(r.lateness.maxMs)} ms`,
      target: '≤ 1 s (p99)',
      status: status(r.lateness.p99Ms <= 1000),
    },
    {
      benchmark:
        'Event → message intent, immediate trigger (ingest() commit → the journeys job enters the run and writes the intent)',
      backend: b,
      figure: `p50 **${fmt(r.eventToIntent.p50Ms, 1)} ms**, p99 **${fmt(r.eventToIntent.p99Ms, 1)} ms** over ${r.eventToIntent.events} events (job polling every 50 ms)`,
      target: '≤ 100 ms (p99)',
      status: status(r.eventToIntent.p99Ms <= 100),
    },
    {
      benchmark: 'Journeys: process RSS during the job',
      backend: b,
      figure: `peak ${r.memory.peakMb} MB (start ${r.memory.startMb} MB${pg ? '; PostgreSQL is another process' : ', PGlite included'})`,
      target: '—',
      status: '—',
    },
  ];
}

function rows(results: { job: string; backend: Backend; r: Result }[]): Row[] {
  const out: Row[] = [];
  let pureShown = false;
  for (const { job, backend, r } of results) {
    const b = label(backend);
    if (!r.ok) {
      const what = r.skipped ? 'skipped' : 'FAILED';
      out.push({
        benchmark: job,
        backend: b,
        figure: `${what}: ${(r.problems ?? []).join('; ')}`,
        target: '',
        status: what,
      });
      continue;
    }
    if (Array.isArray(r.rows)) {
      out.push(...(r.rows as Row[])); // a job that formats its own rows (bench/messaging.ts, bench/broadcast.ts)
    } else if (job === 'ingest-http') {
      const target = backend === 'postgres' ? 50_000 : 20_000;
      out.push({
        benchmark: 'Ingest, batch HTTP API',
        backend: b,
        figure:
          `**${fmt(r.eventsPerSec)} events/s** (${fmt(r.events)} events in ${fmt(r.seconds, 1)} s; ${r.clients} clients × batches of ${r.batchSize}` +
          `${backend === 'postgres' ? `, pool ${r.poolSize}` : ''}; p50/p99 ${r.latencyMs.p50}/${r.latencyMs.p99} ms per batch). ` +
          `CPU ${fmt(r.cpuUsPerEvent)} µs per event${backend === 'postgres' ? ' (server process + PostgreSQL backends)' : ' (one thread: PGlite runs on the event loop)'}: at most ` +
          `~${fmt(Math.round(((backend === 'postgres' ? r.machineCores : 1) * 1e6) / r.cpuUsPerEvent / 100) * 100)} events/s on ` +
          `${backend === 'postgres' ? `${r.machineCores} otherwise idle cores` : 'an otherwise idle core'}`,
        target: `≥ ${fmt(target)} events/s`,
        status: status(r.eventsPerSec >= target),
      });
      out.push({
        benchmark: 'Raw COPY of the same rows (plain table, no index)',
        backend: b,
        figure: `${fmt(r.copy.eventsPerSec)} events/s (${fmt(r.copy.rows)} rows in ${fmt(r.copy.seconds, 2)} s)`,
        target: '—',
        status: '—',
      });
      out.push({
        benchmark: 'Ingest ÷ COPY',
        backend: b,
        figure: `${fmt(r.ratio, 2)}`,
        target: backend === 'postgres' ? '≥ 0.5' : '—',
        status: backend === 'postgres' ? status(r.ratio >= 0.5) : '—',
      });
    } else if (job === 'segments') {
      out.push(...segmentRows(r, backend));
    } else if (job === 'models') {
      out.push(...modelRows(r, backend, !pureShown));
      pureShown = true;
    } else if (job === 'journeys') {
      out.push(...journeyRows(r, backend));
    } else if (job === 'import-retail') {
      const s = r.summary;
      out.push({
        benchmark: 'Import Online Retail (orders preset)',
        backend: b,
        figure: `**${fmt(r.seconds, 1)} s, ${fmt(r.linesPerSec)} lines/s** (${fmt(s.lines)} lines → ${fmt(r.stored.orders)} orders, ${fmt(r.stored.refunds)} refunds, ${fmt(r.stored.orderLines)} order lines; ${s.rejected} rejected)`,
        target: '—',
        status: '—',
      });
      const m = r.rss;
      out.push({
        benchmark: 'Import memory (process RSS every 100 ms)',
        backend: b,
        figure:
          `start ${m.startMb} MB, **peak ${m.peakMb} MB**, end ${m.endMb} MB; per tenth of the run: ${m.decilesMb.join(', ')} MB` +
          (m.endParts
            ? `; at the end JS heap ${m.endParts.heapUsedMb} MB used, external (Buffers, WebAssembly) ${m.endParts.externalMb} MB`
            : ''),
        target: 'flat, ≤ 300 MB',
        status: status(m.peakMb <= 300),
      });
    }
  }
  return out;
}

function table(list: Row[]): string {
  const head = '| benchmark | backend | figure | target (design §9) | status |\n|---|---|---|---|---|';
  return [head, ...list.map((r) => `| ${r.benchmark} | ${r.backend} | ${r.figure} | ${r.target} | ${r.status} |`)].join(
    '\n',
  );
}

function breakdown(results: { job: string; backend: Backend; r: Result }[]): string {
  const parts: string[] = [];
  for (const { job, backend, r } of results) {
    if (!r.ok || !r.db) continue;
    const wall = r.seconds * 1000;
    const cpu = r.serverCpu ?? r.cpu;
    const nodeCpu = cpu.userS + cpu.systemS;
    const cpuLine =
      r.machineCpuBusy === undefined
        ? ` Node process CPU ${fmt(nodeCpu, 1)} s.`
        : ` CPU during the measured ${fmt(wall / 1000, 1)} s on ${r.machineCores} cores: Node process (server + client thread) ${fmt(nodeCpu, 1)} s` +
          (r.postgresBackendsCpuS !== undefined ? `, PostgreSQL backends ${fmt(r.postgresBackendsCpuS, 1)} s` : '') +
          `; whole machine ${fmt(100 * r.machineCpuBusy)} % busy; server event loop ${fmt(100 * r.mainThreadBusy)} % busy.` +
          (r.analyzedAfterWarmup
            ? ' ANALYZE was run once after the warm-up (this server runs with autovacuum=off).'
            : '');
    parts.push(
      `**${job}, ${label(backend)}**: ${fmt(r.db.transactions)} transactions, ${fmt(r.db.transactionMs / r.db.transactions, 1)} ms each on average; ` +
        `SQL time summed over connections ${fmt(r.db.statementMs / 1000, 1)} s for ${fmt(wall / 1000, 1)} s of wall time.${cpuLine} ` +
        `Machine busy with other work just before the job: ${fmt(100 * (r.machineBusyBefore ?? 0))} %.\n\n` +
        '| statement | calls | total ms | ms/call | share of SQL time |\n|---|---|---|---|---|\n' +
        r.db.top
          .slice(0, 8)
          .map(
            (s: Result) =>
              `| \`${s.sql.replaceAll('|', '\\|')}…\` | ${fmt(s.calls)} | ${fmt(s.ms)} | ${s.msPerCall} | ${fmt((100 * s.ms) / r.db.statementMs)} % |`,
          )
          .join('\n'),
    );
  }
  return parts.join('\n\n');
}

const START = '<!-- bench:results:start (written by npm run bench) -->';
const END = '<!-- bench:results:end -->';

function writeDoc(block: string) {
  const intro = `# Benchmarks

Measured by \`npm run bench\` (targets: \`/work/shared/design.md\` §9). Each benchmark runs in its own Node process
on a fresh database: PGlite in a temporary data directory, and PostgreSQL in a new \`retain_bench_<random>\`
database that is dropped afterwards.

\`\`\`sh
npm run bench                          # everything, PGlite and PostgreSQL (3–4 minutes, up to 8 on a busy machine)
npm run bench -- ingest postgres       # filter by benchmark and/or backend
BENCH_SCALE=0.2 npm run bench          # fewer events (ingest: 200k on PostgreSQL and 50k on PGlite at scale 1)
BENCH_DATABASE_URL=postgres://user@host:5432/postgres npm run bench
BENCH_PROFILE=1 npm run bench -- ingest postgres   # + a V8 CPU profile per job in bench/.profiles
node --import tsx bench/profile-summary.ts bench/.profiles/<file>.cpuprofile
\`\`\`

Other settings: \`BENCH_BACKENDS=pglite,postgres\`, \`BENCH_CLIENTS\`, \`BENCH_POOL\`, \`BENCH_BATCH\`, \`BENCH_WRITE_DOCS=0\`.
Only the block between the two markers below is rewritten by a run; the analysis after it is written by hand.

`;
  const current = existsSync(DOC) ? readFileSync(DOC, 'utf8') : intro + `${START}\n${END}\n`;
  const i = current.indexOf(START);
  const j = current.indexOf(END);
  const next =
    i >= 0 && j > i
      ? current.slice(0, i) + `${START}\n${block}\n${END}` + current.slice(j + END.length)
      : current + `\n${START}\n${block}\n${END}\n`;
  writeFileSync(DOC, next);
}

async function main() {
  const pgVersion = await postgresVersion();
  const selected = JOBS.flatMap((job) => backends.map((backend) => ({ ...job, backend }))).filter((j) =>
    filters.every((f) => j.name.includes(f) || j.backend.includes(f)),
  );
  const results: { job: string; backend: Backend; r: Result }[] = [];
  for (const j of selected) {
    if (j.backend === 'postgres' && !pgVersion) {
      results.push({
        job: j.name,
        backend: j.backend,
        r: {
          ok: false,
          skipped: true,
          problems: [`PostgreSQL not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//…@')}`],
        },
      });
      continue;
    }
    process.stderr.write(`running ${j.name} on ${label(j.backend)}… `);
    // Other work on the machine skews the figures: wait (up to a minute) for it to calm down, and say how busy it was.
    const busyBefore = await waitForQuiet();
    const t0 = Date.now();
    const r = await runJob(j.file, j.backend, j.timeoutMs);
    r.machineBusyBefore = busyBefore;
    process.stderr.write(`${r.ok ? 'done' : 'FAILED'} in ${fmt((Date.now() - t0) / 1000, 1)} s\n`);
    results.push({ job: j.name, backend: j.backend, r });
  }
  const m = machine(pgVersion);
  const machineLine = `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM; Node ${m.node}; PostgreSQL ${m.postgres}; PGlite ${m.pglite}. Date: ${m.date}. BENCH_SCALE=${m.scale}.`;
  const tbl = table(rows(results));
  const missed = rows(results).filter((r) => r.status.includes('missed'));
  console.log(`\n${machineLine}\n\n${tbl}\n`);
  const bd = breakdown(results);
  console.log(bd + '\n');
  const failed = results.filter((x) => !x.r.ok && !x.r.skipped);
  if (process.env.BENCH_WRITE_DOCS !== '0' && failed.length === 0 && filters.length === 0) {
    const busiest = Math.max(...results.map((x) => x.r.machineBusyBefore ?? 0));
    const busyNote =
      busiest > 0.25
        ? `**This run shared the machine with other work** (up to ${fmt(100 * busiest)} % of the CPU busy when a job started): events/s and lines/s are understated; the CPU µs per event is the steadier figure.\n\n`
        : '';
    const block =
      `${machineLine}\n\n${busyNote}${tbl}\n\n${missed.length > 0 ? `Missed targets in this run: ${missed.map((r) => `${r.benchmark} on ${r.backend}`).join('; ')}. What limits them: see "Where the time goes" below.\n\n` : ''}` +
      `### Time per SQL statement (client-side wall time, measured phase)\n\n${bd}\n`;
    writeDoc(block);
    console.log(`figures written to ${DOC}`);
  } else if (filters.length > 0 || failed.length > 0) {
    console.log(`docs/BENCHMARKS.md not updated (${failed.length > 0 ? 'a benchmark failed' : 'filtered run'}).`);
  }
  if (failed.length > 0) process.exitCode = 1;
}

await main();
