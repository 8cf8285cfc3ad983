// Test databases: a fresh migrated database per test on the backend under test (PGlite, or PostgreSQL with TEST_DATABASE_URL).
import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createWorkspace, type CreatedWorkspace } from '../../src/workspaces/workspaces.ts';

export const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDb {
  db: Db;
  workspaceId: string;
  workspace: CreatedWorkspace;
  url?: string;
  close(): Promise<void>;
}

export async function freshDb(): Promise<TestDb> {
  const admin = process.env.TEST_DATABASE_URL;
  let db: Db;
  let url: string | undefined;
  let drop = async () => {};
  if (admin) {
    const name = `retain_test_${randomBytes(6).toString('hex')}`;
    const root = await openDb({ url: admin, poolSize: 1 });
    await root.query(`CREATE DATABASE ${name}`);
    await root.close();
    url = new URL(admin).toString().replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
    db = await openDb({ url });
    drop = async () => {
      const r = await openDb({ url: admin, poolSize: 1 });
      await r.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await r.close();
    };
  } else {
    db = await openDb({});
  }
  await migrate(db);
  const workspace = await createWorkspace(db, 'test');
  return {
    db,
    workspaceId: workspace.id,
    workspace,
    url,
    async close() {
      await db.close();
      await drop();
    },
  };
}
