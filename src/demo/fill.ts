// Fills a workspace with the generated demo shop through the normal paths: the catalogue upsert, ingest (so orders,
// carts and aggregates are what the events say) and consent records. Running it again stores nothing twice.
import { DomainError } from '../lib/index.ts';
import type { Db, Queryable } from '../store/index.ts';
import { ingest } from '../ingest/index.ts';
import { upsertProducts } from '../customers/index.ts';
import { writeConsent } from '../consent/index.ts';
import { generateDemoShop, type DemoConsent, type DemoShop } from './generate.ts';

const BATCH = 500;

export interface DemoResult {
  /** What the shop holds (the same on every run with the same size). */
  shop: DemoShop['counts'] & { products: number; events: number };
  /** What this run stored: 0 events and 0 consents when the workspace already had the demo. */
  stored: { events: number; duplicates: number; consents: number };
}

/** Thrown when the workspace holds customers of its own: the demo never mixes with real data. */
/** The demo shop refused for a workspace with customers of its own: 409 `not_empty`. */
export class NotEmptyError extends DomainError {
  constructor(message: string) {
    super('not_empty', 409, message);
  }
}

/** Fills ws with the demo shop; refuses (NotEmptyError) a workspace that holds customers the demo did not make. */
export async function fillDemoShop(
  db: Db,
  ws: string,
  opts: { now: Date; customers?: number; onProgress?: (done: number, total: number) => void },
): Promise<DemoResult> {
  if (await holdsOwnCustomers(db, ws)) {
    throw new NotEmptyError(
      'this workspace holds customers of its own: the demo shop goes into an empty workspace (or one the demo filled). Create one (`retain workspace create Demo`) and fill that (`retain demo --workspace Demo`, or POST /api/v1/demo with its admin key).',
    );
  }
  const shop = generateDemoShop({ now: opts.now, customers: opts.customers });
  await upsertProducts(
    db,
    ws,
    shop.products.map((p) => ({
      id: p.id,
      name: p.name,
      category: p.category,
      price: p.price,
      inStock: true,
      url: `https://shop.example.com/p/${p.id}`,
    })),
  );
  let events = 0;
  let duplicates = 0;
  for (let i = 0; i < shop.messages.length; i += BATCH) {
    const result = await ingest(db, ws, shop.messages.slice(i, i + BATCH), { receivedAt: opts.now });
    if (result.rejected.length > 0) {
      const r = result.rejected[0]!;
      throw new Error(
        `the demo shop's event ${i + r.index} was refused (${r.field}: ${r.reason}); nothing after it was stored`,
      );
    }
    events += result.accepted;
    duplicates += result.duplicates;
    opts.onProgress?.(Math.min(i + BATCH, shop.messages.length), shop.messages.length);
    // PGlite answers within the same turn of the event loop: let other requests (probes, the dashboard) in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const consents = await recordDemoConsents(db, ws, shop.consents);
  return {
    shop: { ...shop.counts, products: shop.products.length, events: shop.messages.length },
    stored: { events, duplicates, consents },
  };
}

/** The consents, once: a customer who already has a demo consent record is left as is (the clock may have moved). */
async function recordDemoConsents(db: Db, ws: string, consents: DemoConsent[]): Promise<number> {
  const ids = await customerIdsByUserId(db, ws, [...new Set(consents.map((c) => c.userId))]);
  const already = await customersWithDemoConsent(db, ws);
  let written = 0;
  for (let i = 0; i < consents.length; i += BATCH) {
    written += await db.transaction(async (tx) => {
      let n = 0;
      for (const c of consents.slice(i, i + BATCH)) {
        const id = ids.get(c.userId);
        if (!id || already.has(id)) continue;
        if (
          await writeConsent(tx, ws, id, {
            channel: c.channel,
            purpose: c.purpose,
            granted: c.granted,
            source: 'demo',
            textVersion: 'demo shop sign-up form',
            at: c.at,
          })
        )
          n++;
      }
      return n;
    });
  }
  return written;
}

/** The customers of these user ids: userId → customer id. */
async function customerIdsByUserId(db: Queryable, ws: string, userIds: string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ id: string; user_id: string }>(
    'SELECT id::text AS id, user_id FROM customers WHERE workspace_id = $1 AND user_id = ANY($2::text[])',
    [ws, userIds],
  );
  return new Map(rows.map((r) => [r.user_id, r.id]));
}

/** Customers who have a consent record written by the demo (source "demo"). */
async function customersWithDemoConsent(db: Queryable, ws: string): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>(
    "SELECT DISTINCT customer_id::text AS id FROM consents WHERE workspace_id = $1 AND source = 'demo'",
    [ws],
  );
  return new Set(rows.map((r) => r.id));
}

/** Whether the workspace has a customer the demo did not make (demo customers' user ids start with "demo-"). */
async function holdsOwnCustomers(db: Queryable, ws: string): Promise<boolean> {
  const [row] = await db.query<{ own: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM customers WHERE workspace_id = $1 AND (user_id IS NULL OR user_id NOT LIKE 'demo-%')) AS own",
    [ws],
  );
  return row!.own;
}
