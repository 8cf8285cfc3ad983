// Measuring helpers: a Db wrapper that times every SQL statement and transaction, and an RSS sampler.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Db, Queryable } from '../src/store/db.ts';

export interface StatementStat {
  sql: string;
  calls: number;
  ms: number;
}

/** A short name for a statement: its first words, whitespace collapsed. */
const label = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 70);

/** Wraps a Db so that each statement's wall time (client side: network + server) is summed per statement text. */
export function timedDb(inner: Db) {
  const stats = new Map<string, StatementStat>();
  const tx = { count: 0, ms: 0 };
  const record = (sql: string, ms: number) => {
    const key = label(sql);
    const s = stats.get(key) ?? { sql: key, calls: 0, ms: 0 };
    s.calls++;
    s.ms += ms;
    stats.set(key, s);
  };
  const timed = (q: Queryable): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const t0 = performance.now();
      try {
        return await q.query<T>(sql, params);
      } finally {
        record(sql, performance.now() - t0);
      }
    },
    ...(q.copyRows && {
      async copyRows(table: string, columns: string[], text: string) {
        const t0 = performance.now();
        try {
          return await q.copyRows!(table, columns, text);
        } finally {
          record(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, performance.now() - t0);
        }
      },
    }),
  });
  const db: Db = {
    kind: inner.kind,
    query: (sql, params) => timed(inner).query(sql, params),
    async transaction(fn) {
      const t0 = performance.now();
      try {
        return await inner.transaction((t) => fn(timed(t)));
      } finally {
        tx.count++;
        tx.ms += performance.now() - t0;
      }
    },
    copyCsv: (table, columns, csv) => inner.copyCsv(table, columns, csv),
    close: () => inner.close(),
  } as Db;
  return {
    db,
    reset() {
      stats.clear();
      tx.count = 0;
      tx.ms = 0;
    },
    /** Statements by total time, largest first, and the transactions' total (BEGIN…COMMIT included). */
    report() {
      const list = [...stats.values()].sort((a, b) => b.ms - a.ms);
      return { statements: list, statementMs: list.reduce((s, x) => s + x.ms, 0), transactions: { ...tx } };
    },
  };
}

/** Samples process.memoryUsage().rss every `everyMs`; stop() gives start, peak and end in MB. */
export function rssSampler(everyMs = 100) {
  const mb = (b: number) => Math.round(b / 1024 / 1024);
  const start = process.memoryUsage().rss;
  let peak = start;
  const samples: number[] = [];
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
    samples.push(rss);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const end = process.memoryUsage().rss;
      peak = Math.max(peak, end);
      // RSS after each tenth of the run: shows whether memory grows with the file or stays flat.
      const deciles = Array.from({ length: 10 }, (_, i) =>
        mb(samples[Math.min(samples.length - 1, Math.floor(((i + 1) * samples.length) / 10) - 1)] ?? end),
      );
      const m = process.memoryUsage();
      // At the end: what the RSS is made of (JS heap; external = Buffers and WebAssembly memory such as PGlite's).
      const endParts = {
        heapUsedMb: mb(m.heapUsed),
        heapTotalMb: mb(m.heapTotal),
        externalMb: mb(m.external),
        arrayBuffersMb: mb(m.arrayBuffers),
      };
      return { startMb: mb(start), peakMb: mb(peak), endMb: mb(end), decilesMb: deciles, endParts };
    },
  };
}

/** Busy share of all cores since `since` (0..1); without an argument, the current counters. */
export function machineCpu(): { busy: number; total: number };
export function machineCpu(since: { busy: number; total: number }): number;
export function machineCpu(since?: { busy: number; total: number }) {
  const now = os.cpus().reduce(
    (acc, c) => {
      const t = c.times;
      const total = t.user + t.nice + t.sys + t.idle + t.irq;
      return { busy: acc.busy + total - t.idle, total: acc.total + total };
    },
    { busy: 0, total: 0 },
  );
  return since ? +((now.busy - since.busy) / (now.total - since.total)).toFixed(2) : now;
}

/** CPU seconds used so far by the given processes (Linux /proc; PostgreSQL on this machine), by pid. */
export function processCpu(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, in clock ticks of 1/100 s
    } catch {
      // not on Linux, or the process is gone
    }
  }
  return out;
}

/** Waits (at most maxMs) until the machine is nearly idle, so that other work does not skew a figure; returns the busy share seen last. */
export async function waitForQuiet(maxMs = 60_000, threshold = 0.25): Promise<number> {
  const until = Date.now() + maxMs;
  for (;;) {
    const t0 = machineCpu();
    await new Promise((r) => setTimeout(r, 2_000));
    const busy = machineCpu(t0);
    if (busy <= threshold || Date.now() >= until) return busy;
  }
}
