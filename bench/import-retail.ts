// Benchmark: import the whole UCI Online Retail file (orders, preset online-retail) through importFile on one backend,
// with time, lines/s and the process RSS sampled every 100 ms. Prints one BENCH_RESULT line (JSON).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshBenchDb, type Backend } from './backend.ts';
import os from 'node:os';
import { performance as perfHooks } from 'node:perf_hooks';
import { machineCpu, processCpu, rssSampler, timedDb } from './timing.ts';
import { argValue, emit } from './job.ts';
import { findDataset } from '../src/datasets/locate.ts';
import { loadConfig } from '../src/config.ts';

const backend = (argValue('backend') ?? 'pglite') as Backend;
// The file: BENCH_RETAIL_FILE, else where `retain data fetch online-retail` put it (or the offline copy ../shared/data).
const file =
  process.env.BENCH_RETAIL_FILE ??
  (await findDataset('online-retail', loadConfig()))?.path ??
  'online_retail.csv.gz (run `retain data fetch online-retail`)';

async function loadImportFile() {
  // src/import/ is written in parallel; the signature this benchmark is written against:
  // importFile(db, workspaceId, { kind: 'orders', preset: 'online-retail', file, ... }) → summary.
  try {
    const mod = (await import('../src/import/import.ts')) as { importFile?: unknown };
    if (typeof mod.importFile === 'function')
      return mod.importFile as (
        db: unknown,
        ws: string,
        opts: Record<string, unknown>,
      ) => Promise<Record<string, unknown>>;
  } catch {
    // not there yet
  }
  return null;
}

async function main() {
  const importFile = await loadImportFile();
  if (!importFile)
    return emit({
      job: 'import-retail',
      backend,
      ok: false,
      skipped: true,
      problems: ['importFile not found in src/import/import.ts'],
    });
  if (!existsSync(file))
    return emit({ job: 'import-retail', backend, ok: false, skipped: true, problems: [`data file missing: ${file}`] });
  const bench = await freshBenchDb(backend, { prepareElsewhere: true });
  const timed = timedDb(bench.db);
  const tmp = await mkdtemp(join(tmpdir(), 'retain-bench-import-'));
  try {
    const pg = backend === 'postgres';
    const backendPids = async () =>
      pg
        ? (
            await bench.db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')
          ).map((x) => x.pid)
        : [];
    if (pg) await bench.db.query('CHECKPOINT');
    global.gc?.();
    const pgCpu0 = processCpu(await backendPids());
    const machine0 = machineCpu();
    const elu0 = perfHooks.eventLoopUtilization();
    const rss = rssSampler(100);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const summary = await importFile(timed.db, bench.workspace.id, {
      kind: 'orders',
      preset: 'online-retail',
      file,
      rejectsFile: join(tmp, 'rejects.csv'),
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const memory = rss.stop();
    const machineBusy = machineCpu(machine0);
    const mainThreadBusy = +perfHooks.eventLoopUtilization(elu0).utilization.toFixed(2);
    const pgCpu1 = processCpu(await backendPids());
    const pgCpuS = [...pgCpu1].reduce((sum, [pid, s]) => sum + s - (pgCpu0.get(pid) ?? 0), 0);
    const profile = timed.report();

    const [{ orders, adjustments, lines }] = await bench.db.query<{
      orders: string;
      adjustments: string;
      lines: string;
    }>(
      `SELECT (SELECT count(*) FROM orders WHERE workspace_id = $1)::text AS orders,
              (SELECT count(*) FROM order_adjustments WHERE workspace_id = $1)::text AS adjustments,
              (SELECT count(*) FROM order_lines WHERE workspace_id = $1)::text AS lines`,
      [bench.workspace.id],
    );
    const problems: string[] = [];
    if (!summary.complete) problems.push('import did not complete');
    if (Number(orders) + Number(adjustments) !== summary.accepted)
      problems.push(`orders ${orders} + refunds ${adjustments} ≠ accepted ${summary.accepted}`);
    emit({
      job: 'import-retail',
      backend,
      serverVersion: bench.serverVersion,
      ok: problems.length === 0,
      problems,
      file,
      summary: { ...summary, rejectsFile: undefined },
      stored: { orders: Number(orders), refunds: Number(adjustments), orderLines: Number(lines) },
      seconds: ms / 1000,
      linesPerSec: (summary.lines as number) / (ms / 1000),
      rss: memory,
      cpu: { userS: cpu.user / 1e6, systemS: cpu.system / 1e6 },
      postgresBackendsCpuS: pg ? +pgCpuS.toFixed(1) : undefined,
      machineCpuBusy: machineBusy,
      machineCores: os.cpus().length,
      mainThreadBusy,
      db: {
        transactions: profile.transactions.count,
        transactionMs: profile.transactions.ms,
        statementMs: profile.statementMs,
        top: profile.statements
          .slice(0, 10)
          .map((s) => ({ sql: s.sql, calls: s.calls, ms: Math.round(s.ms), msPerCall: +(s.ms / s.calls).toFixed(2) })),
      },
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await bench.close();
  }
}

await main();
