// npm run bench [-- <filter>…]: runs each benchmark file in its own process (clean memory figures, optional CPU
// profile), prints the machine and a figure table, and writes the figures into docs/BENCHMARKS.md.
//
// Filters pick jobs by name or backend (e.g. `npm run bench -- ingest postgres`). Environment:
//   BENCH_DATABASE_URL  PostgreSQL admin URL (default postgres://postgres@127.0.0.1:5432/postgres); a fresh database
//                       retain_bench_<random> is created per job and dropped after it. Unreachable → PostgreSQL skipped.
//   BENCH_BACKENDS      pglite,postgres (default both)
//   BENCH_SCALE         multiplies the ingest event counts (1 = 200k on PostgreSQL, 50k on PGlite)
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

const JOBS = [
  { name: 'ingest-http', file: 'bench/ingest-http.ts' },
  { name: 'import-retail', file: 'bench/import-retail.ts' },
];

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
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

function runJob(file: string, backend: Backend): Promise<Result> {
  const args = ['--import', 'tsx', '--expose-gc'];
  if (profile) {
    mkdirSync(`${ROOT}bench/.profiles`, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${ROOT}bench/.profiles`, `--cpu-prof-name=${file.replace(/\W+/g, '_')}-${backend}-${Date.now()}.cpuprofile`);
  }
  args.push(file, '--backend', backend);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), JOB_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)));
      resolve({ backend, ok: false, problems: [`exited with ${code}${code === null ? ' (timeout)' : ''}: ${(err || out).trim().split('\n').slice(-6).join(' | ')}`] });
    });
  });
}

function machine(pgVersion: string | null) {
  const pglite = JSON.parse(readFileSync(`${ROOT}node_modules/@electric-sql/pglite/package.json`, 'utf8')).version as string;
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

function rows(results: { job: string; backend: Backend; r: Result }[]): Row[] {
  const out: Row[] = [];
  for (const { job, backend, r } of results) {
    const b = label(backend);
    if (!r.ok) {
      const what = r.skipped ? 'skipped' : 'FAILED';
      out.push({ benchmark: job, backend: b, figure: `${what}: ${(r.problems ?? []).join('; ')}`, target: '', status: what });
      continue;
    }
    if (job === 'ingest-http') {
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
          (m.endParts ? `; at the end JS heap ${m.endParts.heapUsedMb} MB used, external (Buffers, WebAssembly) ${m.endParts.externalMb} MB` : ''),
        target: 'flat, ≤ 300 MB',
        status: status(m.peakMb <= 300),
      });
    }
  }
  return out;
}

function table(list: Row[]): string {
  const head = '| benchmark | backend | figure | target (design §9) | status |\n|---|---|---|---|---|';
  return [head, ...list.map((r) => `| ${r.benchmark} | ${r.backend} | ${r.figure} | ${r.target} | ${r.status} |`)].join('\n');
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
          (r.analyzedAfterWarmup ? ' ANALYZE was run once after the warm-up (this server runs with autovacuum=off).' : '');
    parts.push(
      `**${job}, ${label(backend)}**: ${fmt(r.db.transactions)} transactions, ${fmt(r.db.transactionMs / r.db.transactions, 1)} ms each on average; ` +
        `SQL time summed over connections ${fmt(r.db.statementMs / 1000, 1)} s for ${fmt(wall / 1000, 1)} s of wall time.${cpuLine} ` +
        `Machine busy with other work just before the job: ${fmt(100 * (r.machineBusyBefore ?? 0))} %.\n\n` +
        '| statement | calls | total ms | ms/call | share of SQL time |\n|---|---|---|---|---|\n' +
        r.db.top
          .slice(0, 8)
          .map((s: Result) => `| \`${s.sql.replaceAll('|', '\\|')}…\` | ${fmt(s.calls)} | ${fmt(s.ms)} | ${s.msPerCall} | ${fmt((100 * s.ms) / r.db.statementMs)} % |`)
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
  const next = i >= 0 && j > i ? current.slice(0, i) + `${START}\n${block}\n${END}` + current.slice(j + END.length) : current + `\n${START}\n${block}\n${END}\n`;
  writeFileSync(DOC, next);
}

async function main() {
  const pgVersion = await postgresVersion();
  const selected = JOBS.flatMap((job) => backends.map((backend) => ({ ...job, backend })))
    .filter((j) => filters.every((f) => j.name.includes(f) || j.backend.includes(f)));
  const results: { job: string; backend: Backend; r: Result }[] = [];
  for (const j of selected) {
    if (j.backend === 'postgres' && !pgVersion) {
      results.push({ job: j.name, backend: j.backend, r: { ok: false, skipped: true, problems: [`PostgreSQL not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//…@')}`] } });
      continue;
    }
    process.stderr.write(`running ${j.name} on ${label(j.backend)}… `);
    // Other work on the machine skews the figures: wait (up to a minute) for it to calm down, and say how busy it was.
    const busyBefore = await waitForQuiet();
    const t0 = Date.now();
    const r = await runJob(j.file, j.backend);
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
    const busyNote = busiest > 0.25
      ? `**This run shared the machine with other work** (up to ${fmt(100 * busiest)} % of the CPU busy when a job started): events/s and lines/s are understated; the CPU µs per event is the steadier figure.\n\n`
      : '';
    const block = `${machineLine}\n\n${busyNote}${tbl}\n\n${missed.length > 0 ? `Missed targets in this run: ${missed.map((r) => `${r.benchmark} on ${r.backend}`).join('; ')}. What limits them: see "Where the time goes" below.\n\n` : ''}` +
      `### Time per SQL statement (client-side wall time, measured phase)\n\n${bd}\n`;
    writeDoc(block);
    console.log(`figures written to ${DOC}`);
  } else if (filters.length > 0 || failed.length > 0) {
    console.log(`docs/BENCHMARKS.md not updated (${failed.length > 0 ? 'a benchmark failed' : 'filtered run'}).`);
  }
  if (failed.length > 0) process.exitCode = 1;
}

await main();
