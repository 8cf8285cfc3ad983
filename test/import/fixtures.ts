// Import test fixtures: temporary files (plain or gzipped) and a backend-independent snapshot of what an import stored.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { before, after } from 'node:test';
import type { Db } from '../../src/store/db.ts';
import { freshDb, type TestDb } from '../helpers/db.ts';

export interface TempDir {
  dir: string;
  file(name: string, text: string): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'retain-import-'));
  return {
    dir,
    file(name: string, text: string) {
      const path = join(dir, name);
      writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Call inside a describe: a fresh database before its tests and a temporary directory, both removed after them.
 * `t.db` and `t.workspaceId` are read from the database of the running suite.
 */
export function importSuite(): { t: Pick<TestDb, 'db' | 'workspaceId'>; tmp: TempDir } {
  let current: TestDb;
  const tmp = tempDir();
  before(async () => (current = await freshDb()));
  after(async () => {
    await current.close();
    tmp.remove();
  });
  const t = {
    get db() {
      return current.db;
    },
    get workspaceId() {
      return current.workspaceId;
    },
  };
  return { t, tmp };
}

/** The rejects file as rows, header dropped; [] when it was not written. */
export function readRejects(path: string | null): { line: number; field: string; reason: string }[] {
  if (!path || !existsSync(path)) return [];
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  if (header !== 'line,field,reason') throw new Error(`unexpected rejects header ${header}`);
  return rows.map((r) => {
    const m = /^(\d+),("(?:[^"]|"")*"|[^,]*),(.*)$/.exec(r)!;
    const unq = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
    return { line: Number(m[1]), field: unq(m[2]!), reason: unq(m[3]!) };
  });
}

/** Everything an import changes, keyed by user id / order id (customer ids differ between databases). */
export async function snapshot(db: Db, ws: string) {
  const customers = await db.query(
    `SELECT user_id, email, phone, traits, orders_count, purchase_days, first_order_at::text AS first_order, last_order_at::text AS last_order,
            revenue_total::text AS revenue_total, revenue_net::text AS revenue_net
       FROM customers WHERE workspace_id = $1 ORDER BY user_id`,
    [ws],
  );
  const orders = await db.query(
    `SELECT o.order_id, c.user_id, o.status, o.total::text AS total, o.refunded::text AS refunded, o.currency, o.placed_at::text AS placed_at,
            (SELECT count(*)::int FROM order_lines l WHERE l.workspace_id = o.workspace_id AND l.order_id = o.order_id) AS lines
       FROM orders o LEFT JOIN customers c ON c.workspace_id = o.workspace_id AND c.id = o.customer_id
      WHERE o.workspace_id = $1 ORDER BY o.order_id`,
    [ws],
  );
  const adjustments = await db.query(
    `SELECT message_id, order_id, kind, amount::text AS amount FROM order_adjustments WHERE workspace_id = $1 ORDER BY message_id`,
    [ws],
  );
  const events = await db.query(
    `SELECT message_id, type, name, user_id FROM events WHERE workspace_id = $1 ORDER BY message_id`,
    [ws],
  );
  return { customers, orders, adjustments, events };
}

export const customerOf = async (db: Db, ws: string, userId: string) =>
  (
    await db.query<Record<string, any>>(
      `SELECT user_id, email, phone, traits, orders_count, purchase_days, first_order_at, last_order_at,
            revenue_total::float8 AS revenue_total, revenue_net::float8 AS revenue_net
       FROM customers WHERE workspace_id = $1 AND user_id = $2`,
      [ws, userId],
    )
  )[0];
