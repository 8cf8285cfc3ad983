// The dispatcher's fair claim with a big outbox: `node --import tsx bench/claims.ts --backend postgres|pglite
// [--pending N]`. Writes N pending message intents (default 1M on PostgreSQL, 200k on PGlite) over 10 workspaces
// — one with 90 % of them (a broadcast's backlog), a tenth of all deferred to tomorrow — and times one claim round of
// 100 (claimDue with its transaction; median of 20). --explain prints the plan of the workspace scan.
import { performance } from 'node:perf_hooks';
import { freshBenchDb, type Backend } from './backend.ts';
import { argValue, emit } from './job.ts';
import { claimDue } from '../src/messaging/dispatch/claim.ts';

const backend = (argValue('backend') ?? 'postgres') as Backend;
const pending = Number(argValue('pending') ?? (backend === 'postgres' ? 1_000_000 : 200_000));
const ROUNDS = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const b = await freshBenchDb(backend);
try {
  const db = b.db;
  const now = new Date('2026-06-01T10:00:00Z');
  const loadStart = performance.now();
  for (let from = 0; from < pending; from += 100_000) {
    const to = Math.min(pending, from + 100_000);
    await db.query(
      `INSERT INTO message_intents (workspace_id, message_key, customer_id, purpose, template, channel, created_at, not_before)
       SELECT CASE WHEN g % 10 < 9 THEN 'ws_backlog' ELSE 'ws_' || (g % 9) END, 'k' || g, g, CASE WHEN g % 50 = 0 THEN 'transactional' ELSE 'marketing' END,
              'note', '{"fixed": "email"}', $1, CASE WHEN g % 10 = 3 THEN $2::timestamptz END
       FROM generate_series($3::bigint, $4::bigint) AS g`,
      [now, new Date(now.getTime() + 86_400_000), from, to - 1],
    );
  }
  await db.query('ANALYZE message_intents');
  const loadMs = performance.now() - loadStart;
  const time = async (claim: (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) => Promise<unknown[]>) => {
    const ms: number[] = [];
    let rows = 0;
    let workspaces = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const got = await db.transaction((tx) => claim(tx));
      ms.push(performance.now() - t0);
      rows = got.length;
      workspaces = new Set((got as { workspace_id: string }[]).map((r) => r.workspace_id)).size;
    }
    return { medianMs: Math.round(median(ms) * 10) / 10, rows, workspaces };
  };
  if (process.argv.includes('--explain')) {
    const explain = {
      query: async (sql: string, params?: unknown[]) => {
        const plan = await db.query<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        console.log(plan.map((r) => Object.values(r)[0]).join('\n'));
        return [];
      },
    };
    await claimDue(explain, now, 100);
  }
  const fair = await time((tx) => claimDue(tx, now, 100));
  const result = { backend, pending, loadSeconds: Math.round(loadMs / 100) / 10, fair };
  console.log(JSON.stringify(result));
  emit(result);
} finally {
  await b.close();
}
