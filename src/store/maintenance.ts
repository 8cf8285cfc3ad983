// Table maintenance where no autovacuum runs (PGlite, or a server with autovacuum=off): ANALYZE and VACUUM changed tables.
import type { Db } from './db.ts';

export interface TableStats {
  name: string;
  live: number;
  dead: number;
  modifiedSinceAnalyze: number;
}

/** Pure rule: analyse after 10% of a table changed (at least 1,000 rows); vacuum once 20% of it is dead rows. */
export function maintenanceNeeded(t: TableStats): { analyze: boolean; vacuum: boolean } {
  return {
    analyze: t.modifiedSinceAnalyze > Math.max(1000, 0.1 * t.live),
    vacuum: t.dead > Math.max(1000, 0.2 * t.live),
  };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Runs the maintenance that is due; returns what it did. Does nothing where PostgreSQL's autovacuum is on. */
export async function maintainTables(db: Db): Promise<{ analyzed: string[]; vacuumed: string[] }> {
  const done = { analyzed: [] as string[], vacuumed: [] as string[] };
  if (db.kind === 'postgres') {
    const [row] = await db.query<{ autovacuum: string }>('SHOW autovacuum');
    if (row?.autovacuum === 'on') return done;
  }
  await db.query('SELECT pg_stat_force_next_flush()'); // this process's counters, visible now
  const tables = await db.query<{ name: string; live: string; dead: string; modified: string }>(
    `SELECT relname AS name, n_live_tup AS live, n_dead_tup AS dead, n_mod_since_analyze AS modified
       FROM pg_stat_user_tables WHERE schemaname = current_schema()`,
  );
  for (const t of tables) {
    const need = maintenanceNeeded({
      name: t.name,
      live: Number(t.live),
      dead: Number(t.dead),
      modifiedSinceAnalyze: Number(t.modified),
    });
    if (need.vacuum) {
      await db.query(`VACUUM (ANALYZE) ${quoteIdent(t.name)}`);
      done.vacuumed.push(t.name);
    } else if (need.analyze) {
      await db.query(`ANALYZE ${quoteIdent(t.name)}`);
      done.analyzed.push(t.name);
    }
  }
  return done;
}
