// Benchmark: what loyalty costs. (a) Order events through ingest() with the programme on (pending period, expiry,
// tiers) against the same events with it off, in alternating halves, as a ratio; (b) the loyalty job's passes over every
// customer's lots — releasing the pending points, then expiring them with the tier reviews at the period's end; (c) the
// liability report. Run: node --import tsx bench/loyalty.ts --backend pglite|postgres
import { argValue, emit, scale } from './job.ts';
import { freshBenchDb, type Backend } from './backend.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { createWorkspace } from '../src/workspaces/workspaces.ts';
import { liabilityReport, loyaltyPass, putProgram } from '../src/loyalty/index.ts';

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const BATCH = 500;
const ORDERS_PER_CUSTOMER = 4;

async function main() {
  const backend = (argValue('backend') ?? 'pglite') as Backend;
  const pg = backend === 'postgres';
  const N = Math.round((pg ? 100_000 : 20_000) * scale());
  const b = await freshBenchDb(backend);
  const problems: string[] = [];
  try {
    const { db } = b;
    const start = new Date('2026-01-05T10:00:00Z');
    const off = (await createWorkspace(db, 'loyalty-off')).id;
    const on = (await createWorkspace(db, 'loyalty-on')).id;
    await putProgram(
      db,
      on,
      {
        enabled: true,
        pendingDays: 14,
        expiryMonths: 12,
        tierPeriodMonths: 12,
        tiers: [
          { name: 'Silver', threshold: 300 },
          { name: 'Gold', threshold: 1000, multiplier: 1.5 },
        ],
      },
      start,
    );
    const customers = Math.max(1, Math.floor(N / ORDERS_PER_CUSTOMER));
    const batches = (prefix: string, from: number, to: number) => {
      const out: object[][] = [];
      for (let i = from; i < to; i += BATCH) {
        out.push(
          Array.from({ length: Math.min(BATCH, to - i) }, (_, k) => {
            const n = i + k;
            return {
              type: 'track',
              userId: `${prefix}-c${n % customers}`,
              event: 'Order Completed',
              messageId: `${prefix}-m${n}`,
              timestamp: start.toISOString(),
              properties: {
                order_id: `${prefix}-o${n}`,
                total: 20 + (n % 400),
                currency: 'USD',
                products: [{ product_id: `p${n % 50}`, price: 20 + (n % 400), quantity: 1 }],
              },
            };
          }),
        );
      }
      return out;
    };
    const ms = { off: 0, on: 0 };
    // alternating halves, so that other work on a shared machine falls on both sides alike
    for (const [from, to] of [
      [0, N / 2],
      [N / 2, N],
    ] as const) {
      for (const [side, ws] of [
        ['off', off],
        ['on', on],
      ] as const) {
        const t0 = performance.now();
        for (const batch of batches(side, from, to)) {
          const r = await ingest(db, ws, batch, { receivedAt: start });
          if (r.rejected.length) problems.push(`${side}: ${JSON.stringify(r.rejected[0])}`);
        }
        ms[side] += performance.now() - t0;
      }
    }
    const [lots] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM loyalty_lots WHERE workspace_id = $1',
      [on],
    );
    if (lots!.n !== N) problems.push(`expected ${N} lots, found ${lots!.n}`);

    let t0 = performance.now();
    const release = await loyaltyPass(db, on, new Date(start.getTime() + 15 * 86_400_000));
    const releaseMs = performance.now() - t0;
    t0 = performance.now();
    const expiry = await loyaltyPass(db, on, new Date('2027-02-05T10:00:00Z'));
    const expiryMs = performance.now() - t0;
    if (release.released !== N || expiry.expired !== N)
      problems.push(`released ${release.released}, expired ${expiry.expired} of ${N}`);
    t0 = performance.now();
    const liability = await liabilityReport(db, on);
    const liabilityMs = performance.now() - t0;
    if (liability.points !== 0) problems.push(`liability after expiry: ${liability.points}`);

    const rate = (n: number, m: number) => Math.round(n / (m / 1000));
    const label = pg ? 'PostgreSQL' : 'PGlite';
    emit({
      backend,
      ok: problems.length === 0,
      problems,
      orders: N,
      customers,
      ms,
      release,
      expiry,
      rows: [
        {
          benchmark: `Loyalty at ingest: ${fmt(N)} Order Completed events (${fmt(customers)} customers, batches of ${BATCH}) with the programme on (14-day pending, 12-month expiry, 2 tiers) vs off`,
          backend: label,
          figure: `on **${fmt(rate(N, ms.on))} events/s**, off ${fmt(rate(N, ms.off))} events/s: **ingest with loyalty ÷ without = ${fmt(ms.off / ms.on, 2)}** (${fmt(ms.on / 1000, 1)} s vs ${fmt(ms.off / 1000, 1)} s)`,
          target: '—',
          status: '—',
        },
        {
          benchmark: `Loyalty job: release ${fmt(N)} pending lots of ${fmt(customers)} customers, then expire them all with ${fmt(expiry.tiersReviewed)} tier reviews at the period's end`,
          backend: label,
          figure: `release **${fmt(releaseMs / 1000, 1)} s** (${fmt(rate(N, releaseMs))} lots/s); expiry + tier reviews **${fmt(expiryMs / 1000, 1)} s** (${fmt(rate(N, expiryMs))} lots/s)`,
          target: '—',
          status: '—',
        },
        {
          benchmark: `Liability report over ${fmt(customers)} accounts`,
          backend: label,
          figure: `**${fmt(liabilityMs, 1)} ms**`,
          target: '—',
          status: '—',
        },
      ],
    });
  } finally {
    await b.close();
  }
}

main().catch((err) => {
  emit({ backend: argValue('backend'), ok: false, problems: [String(err?.stack ?? err)] });
  process.exitCode = 1;
});
