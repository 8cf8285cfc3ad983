// Migrations: applies the numbered SQL files in src/store/migrations once each, identically on PGlite and PostgreSQL.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';
import { lockMigrations } from './locks.ts';

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const migrationFiles = async () => (await readdir(DIR)).filter((f) => f.endsWith('.sql')).sort();

/** The migrations this code has that the database has not applied (throws when the database does not answer). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const done = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
  return (await migrationFiles()).filter((f) => !done.has(f));
}

export async function migrate(db: Db): Promise<string[]> {
  const files = await migrationFiles();
  return db.transaction(async (tx) => {
    await lockMigrations(tx);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(DIR + file, 'utf8');
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}

/**
 * Splits a migration on semicolons at line ends (our migrations keep one statement per such semicolon), except inside
 * a $$-quoted function body.
 */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  for (const piece of sql.split(/;\s*$/m)) {
    current += current ? `;\n${piece}` : piece;
    if ((current.match(/\$\$/g) ?? []).length % 2 === 0) {
      statements.push(current);
      current = '';
    }
  }
  if (current) statements.push(current);
  return statements.map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean);
}
