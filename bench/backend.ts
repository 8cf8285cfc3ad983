// Benchmark databases: a fresh, migrated database with one workspace on PGlite (temp data dir) or PostgreSQL
// (a new retain_bench_<random> database on BENCH_DATABASE_URL, dropped afterwards).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { createWorkspace, type CreatedWorkspace } from '../src/workspaces/workspaces.ts';

export type Backend = 'pglite' | 'postgres';

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDb {
  db: Db;
  workspace: CreatedWorkspace;
  /** PostgreSQL server version, or the PGlite package's PostgreSQL version. */
  serverVersion: string;
  close(): Promise<void>;
}

/**
 * opts.prepareElsewhere (PGlite): the data directory is created, migrated and given its workspace by a child process,
 * and this process only opens it, as \`retain import\` opens an existing ./data; else the first open's initdb
 * leaves ~500 MB in this process's RSS that a real import would not have.
 */
export async function freshBenchDb(
  backend: Backend,
  opts: { poolSize?: number; prepareElsewhere?: boolean } = {},
): Promise<BenchDb> {
  let db: Db;
  let cleanup = async () => {};
  if (backend === 'postgres') {
    const name = `retain_bench_${randomBytes(6).toString('hex')}`;
    const root = await openDb({ url: ADMIN_URL, poolSize: 1 });
    await root.query(`CREATE DATABASE ${name}`);
    await root.close();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    db = await openDb({ url: url.toString(), poolSize: opts.poolSize });
    cleanup = async () => {
      const r = await openDb({ url: ADMIN_URL, poolSize: 1 });
      await r.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await r.close();
    };
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'retain-bench-'));
    cleanup = () => rm(dir, { recursive: true, force: true });
    if (opts.prepareElsewhere) {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--prepare-pglite', dir],
        { encoding: 'utf8' },
      );
      const workspace = JSON.parse(out.trim().split('\n').at(-1)!) as CreatedWorkspace;
      db = await openDb({ dataDir: dir });
      const [{ server_version }] = await db.query<{ server_version: string }>('SHOW server_version');
      return {
        db,
        workspace,
        serverVersion: server_version!,
        close: async () => {
          await db.close().catch(() => undefined);
          await cleanup();
        },
      };
    }
    db = await openDb({ dataDir: dir });
  }
  try {
    await migrate(db);
    const workspace = await createWorkspace(db, 'bench');
    const [{ server_version }] = await db.query<{ server_version: string }>('SHOW server_version');
    return {
      db,
      workspace,
      serverVersion: server_version!,
      async close() {
        await db.close().catch(() => undefined);
        await cleanup();
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    await cleanup();
    throw err;
  }
}

// Child-process mode for prepareElsewhere: node --import tsx bench/backend.ts --prepare-pglite <dir>
if (process.argv[2] === '--prepare-pglite' && process.argv[1] === fileURLToPath(import.meta.url)) {
  const db = await openDb({ dataDir: process.argv[3]! });
  await migrate(db);
  const workspace = await createWorkspace(db, 'bench');
  await db.close();
  process.stdout.write(JSON.stringify(workspace) + '\n');
}
