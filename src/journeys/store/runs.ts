// The statements on journey runs, one named function each, so that the runner and the inbox read as pipelines (claim
// the due runs → advance them → record their states and step logs → queue their messages). Bulk writes take every row
// in one statement (bulkRows: one typed array per column).
import { type Queryable, bulkRows, type BulkRow } from '../../store/index.ts';
import type { Run, RunContext } from '../steps.ts';

/** A claimed run as its row stores it. */
export interface RunRow {
  id: string;
  workspace_id: string;
  journey_id: string;
  version: number;
  customer_id: string;
  entry_key: string;
  status: Run['status'];
  step_id: string;
  seq: number;
  wake_at: Date;
  context: RunContext;
}

/** Claims up to `batch` runs due by `now`, the longest due first; SKIP LOCKED leaves the next ones to other workers. */
export async function claimDueRuns(tx: Queryable, now: Date, batch: number): Promise<RunRow[]> {
  return tx.query<RunRow>(
    `SELECT id::text, workspace_id, journey_id, version, customer_id::text, entry_key, status, step_id, seq, wake_at, context
     FROM journey_runs WHERE wake_at <= $1 ORDER BY wake_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, batch],
  );
}

const RUN_STATE = {
  id: 'bigint',
  status: 'text',
  step_id: 'text',
  seq: 'int',
  wake_at: 'timestamptz',
  context: 'jsonb',
  ended: 'boolean',
} as const;
/** A run's state after an advance: where it is, when it is due again, and whether it has ended. */
export type RunState = BulkRow<typeof RUN_STATE>;

/** Saves the runs' new states (step, steps done, wake time, context); an ended run gets its end time. */
export async function saveRunStates(tx: Queryable, states: RunState[], now: Date): Promise<void> {
  if (!states.length) return;
  const u = bulkRows(RUN_STATE, states, { at: 2, as: 'u' });
  await tx.query(
    `UPDATE journey_runs r SET status = u.status, step_id = u.step_id, seq = u.seq, wake_at = u.wake_at, context = u.context,
       updated_at = $1, ended_at = CASE WHEN u.ended THEN $1::timestamptz END
     FROM ${u.from} WHERE r.id = u.id`,
    [now, ...u.params],
  );
}

const STEP_LOG = {
  run_id: 'bigint',
  seq: 'int',
  workspace_id: 'text',
  journey_id: 'text',
  customer_id: 'bigint',
  step_id: 'text',
  type: 'text',
  outcome: 'text',
  detail: 'jsonb',
} as const;
/** One row of a run's step log. */
export type StepLogRow = BulkRow<typeof STEP_LOG>;

/** Appends the steps the runs did to their step log, at `now`. */
export async function appendStepLog(tx: Queryable, rows: StepLogRow[], now: Date): Promise<void> {
  if (!rows.length) return;
  const l = bulkRows(STEP_LOG, rows, { at: 2, as: 'l' });
  await tx.query(`INSERT INTO journey_step_log (${l.columns}, at) SELECT ${l.columns}, $1 FROM ${l.from}`, [
    now,
    ...l.params,
  ]);
}

const { type: _type, ...EXIT } = STEP_LOG;
/** A run that an exit ends: its next seq, and why (goal_reached, left_segment) with the event that said so. */
export type ExitRow = BulkRow<typeof EXIT>;

/** Ends the runs an exit was heard for (exited, no wake time) and logs a `goal` step with the reason, in one statement. */
export async function endRunsByExit(tx: Queryable, rows: ExitRow[], now: Date): Promise<void> {
  if (!rows.length) return;
  const g = bulkRows(EXIT, rows, { at: 2, as: 'g' });
  await tx.query(
    `WITH g AS (SELECT * FROM ${g.from}),
     upd AS (UPDATE journey_runs r SET status = 'exited', wake_at = NULL, ended_at = $1, updated_at = $1, seq = g.seq FROM g WHERE r.id = g.run_id)
     INSERT INTO journey_step_log (${g.columns}, type, at) SELECT ${g.columns}, 'goal', $1 FROM g`,
    [now, ...g.params],
  );
}

/** Marks the runs' waits as matched (their context says so): due now, or for a paused journey's run, at its resume. */
export async function wakeMatchedWaits(
  tx: Queryable,
  runs: { id: string; context: RunContext; paused: boolean }[],
  now: Date,
): Promise<void> {
  if (!runs.length) return;
  const w = bulkRows({ id: 'bigint', context: 'jsonb', paused: 'boolean' }, runs, { at: 2, as: 'w' });
  await tx.query(
    `UPDATE journey_runs r SET context = w.context, wake_at = CASE WHEN w.paused THEN NULL ELSE $1::timestamptz END, updated_at = $1
     FROM ${w.from} WHERE r.id = w.id`,
    [now, ...w.params],
  );
}

const INTENT = {
  workspace_id: 'text',
  message_key: 'text',
  customer_id: 'bigint',
  journey_id: 'text',
  journey_version: 'int',
  step_id: 'text',
  run_id: 'bigint',
  purpose: 'text',
  template: 'text',
  channel: 'jsonb',
  params: 'jsonb',
  context: 'jsonb',
  expires_at: 'timestamptz',
  coupon_pool: 'text',
} as const;
/** A message a send step queued for the dispatcher (its outbox row). */
export type IntentRow = BulkRow<typeof INTENT>;

/** Queues the messages in the outbox (message_intents); one already queued under its message key stays as it is. */
export async function queueIntents(tx: Queryable, rows: IntentRow[], now: Date): Promise<void> {
  if (!rows.length) return;
  const m = bulkRows(INTENT, rows, { at: 2, as: 'm' });
  await tx.query(
    `INSERT INTO message_intents (${m.columns}, created_at) SELECT ${m.columns}, $1 FROM ${m.from}
     ON CONFLICT (workspace_id, message_key) DO NOTHING`,
    [now, ...m.params],
  );
}
