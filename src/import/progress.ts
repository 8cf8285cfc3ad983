// Import progress: how many lines of a file an import has committed (table import_progress), so a re-run resumes.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Queryable } from '../store/index.ts';
import type { ImportKind, PresetName } from './types.ts';

/** Identifies "this file imported this way": name + size + kind/preset (+ a hash of an explicit mapping). */
export function importKey(
  file: string,
  size: number,
  kind: ImportKind,
  preset?: PresetName,
  mapping?: Record<string, string>,
): string {
  const map =
    mapping && Object.keys(mapping).length > 0
      ? ':' +
        createHash('sha1')
          .update(JSON.stringify(Object.entries(mapping).sort()))
          .digest('hex')
          .slice(0, 8)
      : '';
  return `${kind}:${preset ?? 'custom'}:${basename(file)}:${size}${map}`;
}

export async function linesDone(db: Queryable, ws: string, key: string): Promise<number> {
  const rows = await db.query<{ lines_done: string }>(
    'SELECT lines_done FROM import_progress WHERE workspace_id = $1 AND import_key = $2',
    [ws, key],
  );
  return rows.length > 0 ? Number(rows[0]!.lines_done) : 0;
}

/** Records that every line up to `lines` is committed; never moves backwards. */
export async function saveProgress(db: Queryable, ws: string, key: string, lines: number): Promise<void> {
  await db.query(
    `INSERT INTO import_progress (workspace_id, import_key, lines_done) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, import_key) DO UPDATE
       SET lines_done = GREATEST(import_progress.lines_done, excluded.lines_done), updated_at = now()`,
    [ws, key, lines],
  );
}
