// The worker job that keeps segment memberships current: an incremental run per workspace with active segments.
import type { Db } from '../store/index.ts';
import type { Job } from '../lib/index.ts';
import { runIncremental } from './runner.ts';
import { workspacesWithActiveSegments } from './store.ts';

/** At most this many batches per workspace and tick; what is left waits for the next tick (other workspaces go on). */
const MAX_BATCHES = 100;

/**
 * One pass: for each workspace with active segments, runIncremental while it says more changes are waiting.
 * A workspace another process is running right now is skipped (the runner's advisory lock). Errors of one workspace
 * or segment do not stop the others; they are collected and thrown at the end, for the worker to log.
 */
export async function evaluateAllSegments(
  db: Db,
  now: Date,
): Promise<{ workspaces: number; changed: number; errors: string[] }> {
  const workspaces = await workspacesWithActiveSegments(db);
  const errors: string[] = [];
  let changed = 0;
  for (const ws of workspaces) {
    try {
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const r = await runIncremental(db, ws, now);
        changed += r.changed;
        for (const e of r.errors) errors.push(`workspace ${ws}, segment ${e.segmentId}: ${e.message}`);
        if (!r.ran || !r.more) break;
      }
    } catch (err) {
      errors.push(`workspace ${ws}: ${(err as Error).message}`);
    }
  }
  return { workspaces: workspaces.length, changed, errors };
}

/** Every 15 s (the worker skips a tick while the previous one still runs). */
export const evaluateSegments: Job = {
  name: 'evaluate-segments',
  everyMs: 15_000,
  async run(db, now) {
    const { errors } = await evaluateAllSegments(db, now);
    if (errors.length) throw new Error(`segment evaluation: ${errors.join('; ')}`);
  },
};
