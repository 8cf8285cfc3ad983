// The database handle: one small interface over PGlite (embedded) and PostgreSQL (pg pool).
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Record<string, unknown>;

/** What the rest of the code needs from a database: parameterised queries and transactions. */
export interface Queryable {
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Bulk load inside this transaction: COPY table (columns) FROM STDIN of rows in PostgreSQL's text format
   * (tab-separated, `\N` for null). The transactions of both backends have it; other Queryables may not.
   */
  copyRows?(table: string, columns: string[], text: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; retries on deadlock / serialization failure. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs fn in a read-only transaction whose statements are cancelled after timeoutMs (SQLSTATE 57014). PostgreSQL: on
   * a separate small pool, so that these reads never hold the connections ingest and the worker need. PGlite: the one
   * connection, and the timeout is not enforced (the embedded engine has no timer); see store/admin-reads.ts.
   */
  readOnly?<T>(timeoutMs: number, fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Raw bulk load (COPY FROM STDIN) of CSV text; used by benchmarks to compare against. */
  copyCsv(table: string, columns: string[], csv: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `db` seen from inside one of its transactions, `tx`: queries go to `tx`, and a transaction asked of it joins `tx`
 * (no inner commit), so that functions written for a Db (createTemplate, createJourney…) can be composed into one
 * all-or-nothing transaction. Bulk CSV loads and closing are not for a joined handle.
 */
export function joinedTo(db: Db, tx: Queryable): Db {
  return {
    kind: db.kind,
    query: (sql, params) => tx.query(sql, params),
    ...(tx.copyRows ? { copyRows: tx.copyRows } : {}),
    transaction: (fn) => fn(tx),
    copyCsv: () => Promise.reject(new Error('copyCsv is not available inside a transaction')),
    close: () => Promise.reject(new Error('a joined transaction handle is not closed: its transaction ends it')),
  };
}

const RETRYABLE = new Set(['40001', '40P01']);

async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
    }
  }
}

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(
    private readonly pglite: PGlite,
    private readonly release: () => void = () => {},
  ) {}
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const res = await this.pglite.query<T>(sql, params);
    return res.rows;
  }
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction(async (tx) =>
      fn({
        query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows,
        copyRows: async (table, columns, text) => {
          await tx.query(`COPY ${table} (${columns.join(',')}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
        },
      }),
    );
  }
  readOnly<T>(timeoutMs: number, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction(async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      await tx.query("SELECT set_config('statement_timeout', $1, true)", [String(timeoutMs)]);
      return fn({ query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows });
    });
  }
  async copyCsv(table: string, columns: string[], csv: string): Promise<void> {
    const blob = new Blob([csv]);
    await this.pglite.query(`COPY ${table} (${columns.join(',')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob });
  }
  async close() {
    await this.pglite.close();
    this.release();
  }
}

/**
 * PGlite serves one process: a pid file in the data folder stops a second process (say `retain import` while
 * `npm start` runs) from opening it at the same time. A file left by a process that died is taken over.
 */
function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'retain.pid');
  let holder: number | null;
  try {
    holder = Number(readFileSync(file, 'utf8'));
  } catch {
    holder = null;
  }
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `The data folder ${dir} is in use by another Retain process (pid ${holder}). The embedded database serves one ` +
        'process: stop that one first, or run on PostgreSQL (DATABASE_URL) to run several processes.',
    );
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  private adminPool: pg.Pool | null = null;
  constructor(
    private readonly pool: pg.Pool,
    private readonly openAdminPool: () => pg.Pool,
  ) {}
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const res = await this.pool.query(sql, params as unknown[]);
    return res.rows as T[];
  }
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return withRetry(() =>
      inTransaction(this.pool, 'BEGIN', (client) =>
        fn({
          query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
          copyRows: (table, columns, text) => copyIn(client, `COPY ${table} (${columns.join(',')}) FROM STDIN`, text),
        }),
      ),
    );
  }
  readOnly<T>(timeoutMs: number, fn: (q: Queryable) => Promise<T>): Promise<T> {
    this.adminPool ??= this.openAdminPool();
    return inTransaction(this.adminPool, 'BEGIN READ ONLY', async (client) => {
      await client.query("SELECT set_config('statement_timeout', $1, true)", [String(timeoutMs)]);
      return fn({
        query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
      });
    });
  }
  async copyCsv(table: string, columns: string[], csv: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await copyIn(client, `COPY ${table} (${columns.join(',')}) FROM STDIN WITH (FORMAT csv)`, csv);
    } finally {
      client.release();
    }
  }
  async close() {
    await Promise.all([this.pool.end(), this.adminPool?.end()]);
  }
}

/** `begin` … COMMIT on a connection of `pool`; ROLLBACK when fn throws. */
async function inTransaction<T>(pool: pg.Pool, begin: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** COPY … FROM STDIN of one piece of text on a connection. */
async function copyIn(client: pg.PoolClient, sql: string, text: string): Promise<void> {
  const { from } = await import('pg-copy-streams');
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(from(sql));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(text);
  });
}

// numeric and bigint come back as strings from pg; we convert explicitly where we read them.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

/**
 * Opens PostgreSQL when url is a postgres:// URL, else PGlite in dataDir (or in memory for 'memory://'). On PostgreSQL,
 * admin reads (readOnly) get their own pool of adminPoolSize connections (default 2), opened on first use.
 */
export async function openDb(opts: {
  url?: string;
  dataDir?: string;
  poolSize?: number;
  adminPoolSize?: number;
}): Promise<Db> {
  if (opts.url && /^postgres(ql)?:\/\//.test(opts.url)) {
    const url = opts.url;
    const open = (max: number) => {
      const pool = new pg.Pool({ connectionString: url, max });
      // An idle connection closed by the server (restart, failover, DROP DATABASE … FORCE) is dropped from the pool
      // and replaced on the next query; without this handler the process would die on it.
      pool.on('error', (err) => process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`));
      return pool;
    };
    const pool = open(opts.poolSize ?? 10);
    await pool.query('select 1');
    return new PostgresDb(pool, () => open(opts.adminPoolSize ?? 2));
  }
  const dir = opts.dataDir && opts.dataDir !== 'memory://' ? opts.dataDir : undefined;
  if (!dir) return new PgliteDb(await PGlite.create());
  const release = lockDataDir(dir);
  try {
    return new PgliteDb(await PGlite.create(dir), release);
  } catch (err) {
    release();
    throw err;
  }
}
