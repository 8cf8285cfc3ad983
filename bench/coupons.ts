// Coupons: how fast codes are given out (assignCoupons, as the dispatcher calls it, in rounds of 100 messages; on
// PostgreSQL also two rounds at once, which SKIP LOCKED keeps apart) and what redemption costs ingest (Order Completed
// with a `coupon` against the same orders without one). Run: node --import tsx bench/coupons.ts --backend pglite|postgres
import { freshBenchDb, type Backend } from './backend.ts';
import { argValue, emit, scale } from './job.ts';
import { createPool, importCodes, assignCoupons } from '../src/coupons/index.ts';
import { ingest } from '../src/ingest/ingest.ts';

const backend = (argValue('backend') ?? 'pglite') as Backend;
const CODES = Math.round((backend === 'postgres' ? 40_000 : 20_000) * scale());
const ROUND = 100;
const BATCH = 500;
const now = new Date('2026-06-01T10:00:00Z');

const b = await freshBenchDb(backend, { poolSize: 4 });
const ws = b.workspace.id;
const { db } = b;
try {
  await createPool(
    db,
    ws,
    {
      id: 'bench',
      name: 'Bench',
      value: { kind: 'percent', amount: 10 },
      valueMap: { by: 'rfm_segment', map: { Champions: 20 }, default: 10 },
      validity: { days: 30 },
      lowStock: 0,
    },
    now,
  );
  const codes = Array.from({ length: CODES }, (_, i) => `B-${String(i).padStart(7, '0')}`);
  await importCodes(db, ws, 'bench', JSON.stringify(codes), 'json', now);

  // 1. Assignment: rounds of 100 messages, each its own transaction (one lane; then two at once on PostgreSQL).
  const intents = (from: number, n: number) =>
    Array.from({ length: n }, (_, k) => {
      const i = from + k;
      return {
        id: String(i),
        workspace_id: ws,
        customer_id: String(i + 1),
        journey_id: 'j',
        run_id: String(i + 1),
        step_id: 'gift',
        message_key: `journey:j:run:${i + 1}:gift`,
        coupon_pool: 'bench',
      };
    });
  const lanes = backend === 'postgres' ? 2 : 1;
  const half = Math.floor(CODES / 2);
  let t0 = performance.now();
  for (let i = 0; i < half; i += ROUND) await db.transaction((tx) => assignCoupons(tx, intents(i, ROUND), now));
  const oneLane = half / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  const perLane = Math.floor((CODES - half) / lanes);
  await Promise.all(
    Array.from({ length: lanes }, async (_, l) => {
      for (let i = 0; i < perLane; i += ROUND)
        await db.transaction((tx) => assignCoupons(tx, intents(half + l * perLane + i, ROUND), now));
    }),
  );
  const lanesRate = (perLane * lanes) / ((performance.now() - t0) / 1000);
  const [given] = await db.query<{ n: number; runs: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT run_id)::int AS runs FROM coupon_codes WHERE workspace_id = $1 AND customer_id IS NOT NULL`,
    [ws],
  );

  // 2. Redemption at ingest: the same orders with and without a coupon, in batches of 500.
  const ORDERS = Math.min(given!.n, Math.round((backend === 'postgres' ? 20_000 : 10_000) * scale()));
  const orders = (prefix: string, withCoupon: boolean) =>
    Array.from({ length: ORDERS }, (_, i) => ({
      type: 'track',
      userId: `${prefix}${i}`,
      event: 'Order Completed',
      messageId: `${prefix}-m-${i}`,
      timestamp: new Date(now.getTime() + 86_400_000).toISOString(),
      properties: {
        orderId: `${prefix}-o-${i}`,
        total: 30,
        currency: 'EUR',
        ...(withCoupon ? { coupon: codes[i] } : {}),
      },
    }));
  const timeIngest = async (events: object[]) => {
    const start = performance.now();
    for (let i = 0; i < events.length; i += BATCH)
      await ingest(db, ws, events.slice(i, i + BATCH), { receivedAt: now });
    return events.length / ((performance.now() - start) / 1000);
  };
  const plain = await timeIngest(orders('p', false));
  const withCoupons = await timeIngest(orders('c', true));
  const [redeemed] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM coupon_codes WHERE workspace_id = $1 AND redeemed_at IS NOT NULL`,
    [ws],
  );

  emit({
    backend,
    serverVersion: b.serverVersion,
    codes: CODES,
    given: given!.n,
    runs: given!.runs,
    assignPerSecond: Math.round(oneLane),
    assignLanes: lanes,
    assignPerSecondLanes: Math.round(lanesRate),
    orders: ORDERS,
    ingestPlain: Math.round(plain),
    ingestWithCoupons: Math.round(withCoupons),
    redeemed: redeemed!.n,
  });
} finally {
  await b.close();
}
