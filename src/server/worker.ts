// The worker: runs background jobs on a fixed tick; any number of workers may run, coordinating only through the database.
import type { Db } from '../store/db.ts';
import { evaluateSegments } from '../segments/job.ts';
import { fitModelsJob } from '../models/store/job.ts';
import { maintainTables } from '../store/maintenance.ts';
import { runJourneysJob } from '../journeys/store/tick.ts';
import { dispatchMessagesJob, dropStaleReceiptsJob, recoverSendsJob } from '../messaging/dispatch/job.ts';
import { purgeRateWindows } from '../channels/rate-limit.ts';

export interface Job {
  name: string;
  everyMs: number;
  /** `now` is the clock read when the tick began; `clock` reads it again (long jobs that work in batches). */
  run(db: Db, now: Date, clock?: () => Date): Promise<void>;
}

/** Forgets rate-limit windows that ended more than a minute ago, so the table stays as small as the set of active keys. */
export const purgeRateLimits: Job = {
  name: 'purge-rate-limits',
  everyMs: 60_000,
  async run(db, now) {
    await db.query('DELETE FROM rate_limits WHERE window_start < $1', [Math.floor(now.getTime() / 60_000) - 1]);
  },
};

/** Keeps planner statistics fresh (and dead rows vacuumed) where no autovacuum does it: PGlite, or autovacuum=off. */
export const maintainDatabase: Job = {
  name: 'maintain-database',
  everyMs: 60_000,
  async run(db) {
    await maintainTables(db);
  },
};

/** Forgets provider rate windows older than an hour. */
export const purgeProviderWindows: Job = {
  name: 'purge-provider-rate-windows',
  everyMs: 60_000,
  async run(db, now) {
    await purgeRateWindows(db, now);
  },
};

export const JOBS: Job[] = [purgeRateLimits, purgeProviderWindows, maintainDatabase, evaluateSegments, fitModelsJob, runJourneysJob, dispatchMessagesJob, recoverSendsJob, dropStaleReceiptsJob];

export function startWorker(db: Db, opts: { jobs?: Job[]; clock?: () => Date; log?: (msg: string) => void } = {}) {
  const jobs = opts.jobs ?? JOBS;
  const clock = opts.clock ?? (() => new Date());
  const timers = jobs.map((job) =>
    setInterval(() => {
      job.run(db, clock(), clock).catch((err) => opts.log?.(`job ${job.name} failed: ${(err as Error).message}`));
    }, job.everyMs),
  );
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach(clearInterval) };
}
