// Benchmark: what keeping the Measure aggregates costs the ingest. Orders (Order Completed, batches of 500 through
// ingest()) for 5,000 known customers, timed in alternating rounds with the orders triggers of migration 040 enabled
// and disabled (ALTER TABLE … DISABLE TRIGGER); orders per second, best round of each. 20k orders a round on
// PostgreSQL, 5k on PGlite (times BENCH_SCALE).
import { freshBenchDb, type Backend } from './backend.ts';
import { argValue, emit, scale } from './job.ts';
import { ingest } from '../src/ingest/ingest.ts';

const backend = (argValue('backend') ?? 'pglite') as Backend;
const pg = backend === 'postgres';
const ORDERS = Math.round((pg ? 20_000 : 5_000) * scale());
const CUSTOMERS = 5_000;
const BATCH = 500;
const TRIGGERS = ['orders_measure_insert', 'orders_measure_update', 'orders_measure_delete'];
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function main() {
  const b = await freshBenchDb(backend);
  const { db } = b;
  const ws = b.workspace.id;
  const receivedAt = new Date();
  let seq = 0;
  const batch = (n: number) =>
    Array.from({ length: n }, () => {
      const i = seq++;
      return {
        type: 'track' as const,
        userId: `u${i % CUSTOMERS}`,
        event: 'Order Completed',
        timestamp: new Date(receivedAt.getTime() - (i % 700) * 86_400_000).toISOString(),
        properties: { order_id: `o${i}`, total: 10 + (i % 90), currency: 'EUR' },
      };
    });
  const round = async (): Promise<number> => {
    const t0 = performance.now();
    for (let sent = 0; sent < ORDERS; sent += BATCH)
      await ingest(db, ws, batch(Math.min(BATCH, ORDERS - sent)), { receivedAt });
    return ORDERS / ((performance.now() - t0) / 1000);
  };
  const setTriggers = (on: boolean) =>
    db.query(TRIGGERS.map((t) => `ALTER TABLE orders ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${t}`).join('; '));
  try {
    // Every customer known before timing (the first sight of a customer costs the same either way).
    for (let sent = 0; sent < CUSTOMERS; sent += BATCH) await ingest(db, ws, batch(BATCH), { receivedAt });
    const rates = { on: [] as number[], off: [] as number[] };
    for (let r = 0; r < 2; r++) {
      await setTriggers(true);
      rates.on.push(await round());
      await setTriggers(false);
      rates.off.push(await round());
    }
    await setTriggers(true);
    await db.query('SELECT measure_rebuild($1)', [ws]);
    const [{ n }] = await db.query<{ n: string }>(
      'SELECT sum(orders)::text AS n FROM customer_months WHERE workspace_id = $1',
      [ws],
    );
    const total = CUSTOMERS + 4 * ORDERS;
    const problems = Number(n) === total ? [] : [`the aggregates hold ${n} orders, not ${total}`];
    const on = Math.max(...rates.on);
    const off = Math.max(...rates.off);
    emit({
      ok: problems.length === 0,
      backend,
      problems,
      ordersPerRound: ORDERS,
      rates,
      rows: [
        {
          benchmark: `Measure: ingest of orders with the aggregates' triggers (${fmt(ORDERS)} orders, batches of ${BATCH})`,
          backend: pg ? 'PostgreSQL' : 'PGlite',
          figure: `**${fmt(on)} orders/s** (best of 2; ${rates.on.map(fmt).join(', ')})`,
          target: '—',
          status: '—',
        },
        {
          benchmark: `Measure: the same without them`,
          backend: pg ? 'PostgreSQL' : 'PGlite',
          figure: `**${fmt(off)} orders/s** (best of 2; ${rates.off.map(fmt).join(', ')}): triggers cost ${fmt(100 * (1 - on / off))} %`,
          target: '—',
          status: '—',
        },
      ],
    });
  } finally {
    await b.close();
  }
}

await main();
