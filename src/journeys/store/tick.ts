// One journey tick: drain the inbox (entries, woken waits, goals), enter what resumed journeys kept while paused, sweep
// time triggers, then run every due step.
// The worker calls it several times a second; tests call it with a virtual clock to run a week in milliseconds.
import type { Db } from '../../store/index.ts';
import type { Job } from '../../lib/index.ts';
import { enterCaughtUp } from './catch-up.ts';
import { processInbox } from './inbox.ts';
import { runDue, type RunnerOptions } from './runner.ts';
import { sweepTriggers } from './sweeps.ts';

export interface TickResult {
  events: number;
  entered: number;
  heldOut: number;
  goals: number;
  /** Messages not sent yet that goals (and leaving a segment) cancelled. */
  cancelled: number;
  steps: number;
  intents: number;
}

/** Bounded work per tick, so one busy tick cannot starve the worker's other jobs. */
const MAX_BATCHES = 50;

/** `now` is a time (tests: a virtual clock) or a clock read before each batch (the worker: the real one). */
export async function tickJourneys(db: Db, now: Date | (() => Date), opts: RunnerOptions = {}): Promise<TickResult> {
  const clock = typeof now === 'function' ? now : () => now;
  const total: TickResult = { events: 0, entered: 0, heldOut: 0, goals: 0, cancelled: 0, steps: 0, intents: 0 };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const r = await processInbox(db, clock());
    Object.assign(total, {
      events: total.events + r.events,
      entered: total.entered + r.entered,
      heldOut: total.heldOut + r.heldOut,
      goals: total.goals + r.goals,
      cancelled: total.cancelled + r.cancelled,
    });
    if (r.events === 0) break;
  }
  const caughtUp = await enterCaughtUp(db, clock());
  total.entered += caughtUp.entered;
  total.heldOut += caughtUp.heldOut;
  // A failed sweep must not hold up the runs that are due: it is reported once they have run.
  let sweepFailure: unknown = null;
  try {
    const s = await sweepTriggers(db, clock());
    total.entered += s.entered;
    total.heldOut += s.heldOut;
  } catch (error) {
    sweepFailure = error;
  }
  // Due runs in parallel loops on PostgreSQL (each claims its own batch with SKIP LOCKED); PGlite has one connection.
  const loops = opts.parallel ?? (db.kind === 'postgres' ? 2 : 1);
  await Promise.all(
    Array.from({ length: loops }, async () => {
      for (let i = 0; i < MAX_BATCHES; i++) {
        const r = await runDue(db, clock(), opts);
        total.steps += r.steps;
        total.goals += r.goals;
        total.cancelled += r.cancelled;
        total.intents += r.intents;
        if (r.claimed === 0) break;
      }
    }),
  );
  if (sweepFailure) throw sweepFailure;
  return total;
}

/**
 * Journeys every 50 ms (an event reaches its message within about that; the worker skips a tick while the previous one
 * still runs). Each batch reads the real clock, unless the worker was given a virtual one.
 */
export const runJourneysJob: Job = {
  name: 'journeys',
  everyMs: 50,
  async run(db, now, clock) {
    await tickJourneys(db, clock ?? now);
  },
};
