// The contract of a background job (a leaf: capabilities define jobs, src/server/worker.ts runs them). The worker calls
// `run` every `everyMs`, never while the same job's previous run on the same database is still going, and logs a
// thrown error with its stack: a job throws to report a failure (after doing what it could), it does not log or guard.
import type { Db } from '../store/index.ts';

export interface Job {
  name: string;
  everyMs: number;
  /** `now` is the clock read when the tick began; `clock` reads it again (long jobs that work in batches). */
  run(db: Db, now: Date, clock?: () => Date): Promise<void>;
}
