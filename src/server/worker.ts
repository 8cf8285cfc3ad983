// The worker: runs background jobs on a fixed tick; any number of workers may run, coordinating only through the database.
// Here, once for every job: a tick is skipped while the same job's previous run on the same database still goes, and a
// failure is logged (pino, with its stack) without stopping the job's next ticks.
import { pino, type BaseLogger } from 'pino';
import { type Db, maintainTables } from '../store/index.ts';
import type { Job } from '../lib/index.ts';
import { loadConfig } from '../config.ts';
import { redactingDestination, forgetEndedWindows } from '../http/index.ts';
import { evaluateSegments } from '../segments/index.ts';
import { fitModelsJob } from '../models/index.ts';
import { runJourneysJob } from '../journeys/index.ts';
import { loyaltyJob } from '../loyalty/index.ts';
import { dispatchMessagesJob, dropStaleReceiptsJob, recoverSendsJob } from '../messaging/index.ts';
import { purgeRateWindows } from '../channels/index.ts';

/** Forgets rate-limit windows that ended more than a minute ago, so the table stays as small as the set of active keys. */
export const purgeRateLimits: Job = {
  name: 'purge-rate-limits',
  everyMs: 60_000,
  async run(db, now) {
    await forgetEndedWindows(db, now);
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

export const JOBS: Job[] = [
  purgeRateLimits,
  purgeProviderWindows,
  maintainDatabase,
  evaluateSegments,
  fitModelsJob,
  runJourneysJob,
  loyaltyJob,
  dispatchMessagesJob,
  recoverSendsJob,
  dropStaleReceiptsJob,
];

/** What the worker logs with: a pino logger (the app's, or its own on standard output). */
export type WorkerLog = Pick<BaseLogger, 'error'>;

/** Names of the jobs running now, per database (shared by every worker of this process on that database). */
const running = new WeakMap<Db, Set<string>>();

/**
 * One tick of a job: skipped while the job's previous run on this database is still going (a slow fit or a long
 * dispatch never runs twice at once in a process); a failure is logged with its stack and the next tick runs as usual.
 */
export async function tick(db: Db, job: Job, clock: () => Date, log: WorkerLog): Promise<'ran' | 'failed' | 'skipped'> {
  let busy = running.get(db);
  if (!busy) running.set(db, (busy = new Set()));
  if (busy.has(job.name)) return 'skipped';
  busy.add(job.name);
  try {
    await job.run(db, clock(), clock);
    return 'ran';
  } catch (err) {
    log.error({ err, job: job.name }, `job ${job.name} failed`);
    return 'failed';
  } finally {
    busy.delete(job.name);
  }
}

/** The worker's own logger when none is given: pino on standard output at LOG_LEVEL, link and hook tokens redacted. */
const ownLog = (): WorkerLog =>
  pino({ level: loadConfig().logLevel, base: { component: 'worker' } }, redactingDestination(process.stdout));

export function startWorker(db: Db, opts: { jobs?: Job[]; clock?: () => Date; log?: WorkerLog } = {}) {
  const jobs = opts.jobs ?? JOBS;
  const clock = opts.clock ?? (() => new Date());
  const log = opts.log ?? ownLog();
  const timers = jobs.map((job) => setInterval(() => void tick(db, job, clock, log), job.everyMs));
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach(clearInterval) };
}
