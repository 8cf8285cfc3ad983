// Segment membership, kept incrementally: re-evaluate only the customers that changed (customer_changes) or whose
// time conditions crossed a threshold since the segment's last run; log every entry and exit as an event.
import type { Db, Queryable } from '../store/db.ts';
import { eventsRead, InvalidDefinition, segmentRefs, validateDefinition, type Condition } from './dsl.ts';
import { compile, crossing } from './compile.ts';
import { orderSkippingCycles } from './graph.ts';
import { SegmentError } from './store.ts';
import { queueChanges } from '../customers/change-queue.ts';
import { SEGMENT_ENTERED, SEGMENT_EVENT_PREFIX, SEGMENT_EXITED } from '../customers/own-event-names.ts';

/** Advisory-lock class of segment runs: one run per workspace at a time (key 2 = hashtext(workspace)). */
const LOCK_CLASS = 0x5e6;
const MEMBERSHIP_EVENTS = new Set<string>([SEGMENT_ENTERED, SEGMENT_EXITED]);

export interface SegmentRunStats {
  id: string;
  mode: 'full' | 'incremental';
  candidates: number; // customers re-evaluated (incremental)
  entered: number;
  exited: number;
}

export interface RunResult {
  /** False when another process is running this workspace's segments right now (nothing was done). */
  ran: boolean;
  changed: number; // customers drained from customer_changes
  more: boolean; // more changes are waiting: call again
  segments: SegmentRunStats[];
  errors: { segmentId: string; message: string }[];
}

interface LoadedSegment {
  id: string;
  name: string;
  definition: Condition;
  evaluated_at: Date | null;
}

interface Changes {
  entered: string[];
  exited: string[];
}

/**
 * Writes the membership of one segment for the given candidates (null = every customer): entries are inserted,
 * exits deleted, and each of them logged in the event log (Segment Entered / Segment Exited, counters bumped),
 * all in one set-based statement.
 */
async function applyMembership(tx: Queryable, ws: string, seg: { id: string; name: string; definition: Condition }, now: Date, candidates: string[] | null): Promise<Changes> {
  const { where, params } = compile(seg.definition, now);
  const args: unknown[] = [ws, ...params];
  const arg = (v: unknown, cast: string) => `$${args.push(v)}::${cast}`;
  const S = arg(seg.id, 'text');
  const M = arg(seg.name, 'text');
  const N = arg(now.toISOString(), 'timestamptz');
  const I = arg(now.toISOString(), 'text');
  const ENTERED = arg(SEGMENT_ENTERED, 'text');
  const EXITED = arg(SEGMENT_EXITED, 'text');
  const PREFIX = arg(SEGMENT_EVENT_PREFIX, 'text');
  const only = candidates ? arg(candidates, 'bigint[]') : null;
  const rows = await tx.query<{ kind: 'enter' | 'exit'; customer_id: string }>(
    `WITH matching AS (
       SELECT c.id FROM customers c WHERE ${where}${only ? ` AND c.id = ANY(${only})` : ''}
     ), ins AS (
       INSERT INTO segment_members (workspace_id, segment_id, customer_id, entered_at)
       SELECT $1, ${S}, id, ${N} FROM matching ON CONFLICT DO NOTHING RETURNING customer_id
     ), del AS (
       DELETE FROM segment_members m WHERE m.workspace_id = $1 AND m.segment_id = ${S}${only ? ` AND m.customer_id = ANY(${only})` : ''}
         AND m.customer_id NOT IN (SELECT id FROM matching) RETURNING m.customer_id
     ), changes AS (
       SELECT customer_id, 'enter' AS kind FROM ins UNION ALL SELECT customer_id, 'exit' AS kind FROM del
     ), named AS (
       SELECT customer_id, kind, CASE kind WHEN 'enter' THEN ${ENTERED} ELSE ${EXITED} END AS name FROM changes
     ), logged AS (
       -- the message id counts the customer's entries (exits) so far: an entry, exit and entry again at the same instant
       -- (the worker runs several batches with one clock) are two entries, and the same run replayed logs nothing twice
       INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, properties, timestamp, received_at)
       SELECT $1, ${PREFIX} || ${S} || ':' || ch.customer_id || ':' || ch.kind || ':' || ${I} || ':' || (coalesce(
                (SELECT k.count FROM customer_event_counters k WHERE k.workspace_id = $1 AND k.customer_id = ch.customer_id AND k.name = ch.name), 0) + 1),
              ch.customer_id, 'track', ch.name, cu.user_id, jsonb_build_object('segmentId', ${S}, 'segmentName', ${M}), ${N}, ${N}
       -- one look-up per change (OFFSET 0 keeps it a look-up): the planner cannot estimate how many changes there are,
       -- and the hash join it would pick reads every customer of the workspace
       FROM named ch CROSS JOIN LATERAL (SELECT user_id FROM customers WHERE workspace_id = $1 AND id = ch.customer_id OFFSET 0) cu
       ON CONFLICT DO NOTHING RETURNING customer_id, name
     ), counted AS (
       INSERT INTO customer_event_counters (workspace_id, customer_id, name, count, first_at, last_at)
       SELECT $1, customer_id, name, 1, ${N}, ${N} FROM logged
       ON CONFLICT (workspace_id, customer_id, name) DO UPDATE SET count = customer_event_counters.count + 1,
         first_at = LEAST(customer_event_counters.first_at, excluded.first_at), last_at = GREATEST(customer_event_counters.last_at, excluded.last_at)
     )
     SELECT kind, customer_id::text AS customer_id FROM changes`,
    args,
  );
  return {
    entered: rows.filter((r) => r.kind === 'enter').map((r) => r.customer_id),
    exited: rows.filter((r) => r.kind === 'exit').map((r) => r.customer_id),
  };
}

/**
 * Full recompute of one segment at `now`: the members are diffed with who matches, entries and exits logged.
 * The customers whose membership changed are queued in customer_changes, so segments built on this one follow
 * on the next runIncremental.
 */
/**
 * Membership statements over a big workspace look costly to the planner, which then JIT-compiles them: measured
 * 60–290 ms of compilation for a statement that runs in less. Segment runs turn JIT off for their transaction.
 */
const NO_JIT = 'SET LOCAL jit = off';

export async function evaluateSegment(db: Db, ws: string, segmentId: string, now: Date): Promise<{ entered: number; exited: number }> {
  return db.transaction(async (tx) => {
    await tx.query(NO_JIT);
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, ws]);
    const seg = (await tx.query<LoadedSegment>(
      'SELECT id, name, definition, evaluated_at FROM segments WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [ws, segmentId],
    ))[0];
    if (!seg) throw new SegmentError('not_found', `no segment "${segmentId}"`);
    const changes = await applyMembership(tx, ws, seg, now, null);
    const changed = [...changes.entered, ...changes.exited];
    if (changed.length) {
      await queueChanges(tx, ws, changed);
    }
    await tx.query('UPDATE segments SET evaluated_at = $3 WHERE workspace_id = $1 AND id = $2', [ws, segmentId, now.toISOString()]);
    return { entered: changes.entered.length, exited: changes.exited.length };
  });
}

/** A crossing query's count of rows to read stops here: past it, re-checking the members is cheaper for any segment this size. */
const ROWS_CAP = 100_000;

/**
 * For a crossing query that can only find exits: are the segment's members fewer than the rows the query would read?
 * Both counts are index-only and stop early (the rows at ROWS_CAP, the members one past the rows).
 */
async function fewerMembersThanRows(tx: Queryable, ws: string, segmentId: string, rows: { sql: string; params: unknown[] }): Promise<boolean> {
  const [r] = await tx.query<{ n: number }>(rows.sql, [ws, ...rows.params, ROWS_CAP]);
  const [m] = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM (SELECT 1 FROM segment_members WHERE workspace_id = $1 AND segment_id = $2 LIMIT $3::int) AS x',
    [ws, segmentId, r!.n + 1],
  );
  return m!.n <= r!.n;
}

const memberIds = async (tx: Queryable, ws: string, segmentId: string) =>
  (await tx.query<{ customer_id: string }>('SELECT customer_id::text AS customer_id FROM segment_members WHERE workspace_id = $1 AND segment_id = $2', [ws, segmentId]))
    .map((r) => r.customer_id);

/**
 * One incremental run for a workspace, in one transaction: drain up to `batchSize` changed customers, then for each
 * active segment (dependencies first) re-evaluate the changed customers, the customers whose time conditions crossed
 * a threshold since the segment's evaluated_at, and the customers whose membership of a segment it uses just changed.
 * A segment never evaluated (new or redefined) is evaluated in full. Sets evaluated_at = now.
 * A segment whose evaluation fails is rolled back alone and marked for a full recompute; the others go on.
 */
export async function runIncremental(db: Db, ws: string, now: Date, opts: { batchSize?: number } = {}): Promise<RunResult> {
  const batchSize = opts.batchSize ?? 10_000;
  return db.transaction(async (tx) => {
    await tx.query(NO_JIT);
    const [lock] = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [LOCK_CLASS, ws]);
    if (!lock!.ok) return { ran: false, changed: 0, more: false, segments: [], errors: [] };

    // One more than the batch is picked (and stays queued) to tell whether more are waiting, in the same index pass.
    const rows = await tx.query<{ customer_id: string; more: boolean }>(
      `WITH picked AS MATERIALIZED (
         SELECT customer_id, changed_at FROM customer_changes WHERE workspace_id = $1
         ORDER BY changed_at, customer_id LIMIT $2::int + 1 FOR UPDATE SKIP LOCKED
       ), drained AS (
         DELETE FROM customer_changes c WHERE c.workspace_id = $1
           AND c.customer_id IN (SELECT customer_id FROM picked ORDER BY changed_at, customer_id LIMIT $2::int)
         RETURNING c.customer_id
       )
       SELECT customer_id::text, (SELECT count(*) FROM picked) > $2::int AS more FROM drained`,
      [ws, batchSize],
    );
    const drained = rows.map((r) => r.customer_id);

    const loaded = await tx.query<LoadedSegment>(
      "SELECT id, name, definition, evaluated_at FROM segments WHERE workspace_id = $1 AND status = 'active' ORDER BY id FOR UPDATE",
      [ws],
    );
    const result: RunResult = { ran: true, changed: drained.length, more: rows[0]?.more ?? false, segments: [], errors: [] };
    // Definitions are validated when written; one that is not valid (written around the API) is skipped, not fatal.
    const segments = loaded.filter((s) => {
      const v = validateDefinition(s.definition);
      if (!v.ok) result.errors.push({ segmentId: s.id, message: new InvalidDefinition(v.errors).message });
      return v.ok;
    });
    const byId = new Map(segments.map((s) => [s.id, s]));
    // A planted cycle's segments are reported and left as they are; the others run.
    const { order, cycles } = orderSkippingCycles(segments.map((s) => ({ id: s.id, refs: segmentRefs(s.definition) })));
    for (const cycle of cycles) for (const id of new Set(cycle.cycle)) result.errors.push({ segmentId: id, message: cycle.message });
    const changedIn = new Map<string, string[]>(); // segment id → customers who entered or left it in this run
    const changedInRun = new Set<string>();

    for (const id of order) {
      const seg = byId.get(id)!;
      const full = seg.evaluated_at === null;
      try {
        await tx.query('SAVEPOINT segment_eval');
        let candidates: string[] | null = null;
        if (!full) {
          const set = new Set(drained);
          let members: string[] | null = null; // the current members, once they are cheaper to re-check than a crossing query
          for (const q of crossing(seg.definition, new Date(seg.evaluated_at!), now)) {
            if (q.exitsOnly) {
              if (members) continue;
              if (await fewerMembersThanRows(tx, ws, id, q.exitsOnly)) {
                members = await memberIds(tx, ws, id);
                for (const m of members) set.add(m);
                continue;
              }
            }
            for (const r of await tx.query<{ customer_id: string }>(q.sql, [ws, ...q.params])) set.add(r.customer_id);
          }
          for (const dep of segmentRefs(seg.definition)) for (const c of changedIn.get(dep) ?? []) set.add(c);
          candidates = [...set];
        }
        const changes = candidates?.length === 0 ? { entered: [], exited: [] } : await applyMembership(tx, ws, seg, now, candidates);
        await tx.query('UPDATE segments SET evaluated_at = $3 WHERE workspace_id = $1 AND id = $2', [ws, id, now.toISOString()]);
        await tx.query('RELEASE SAVEPOINT segment_eval');
        changedIn.set(id, [...changes.entered, ...changes.exited]);
        for (const c of changedIn.get(id)!) changedInRun.add(c);
        result.segments.push({ id, mode: full ? 'full' : 'incremental', candidates: candidates?.length ?? 0, entered: changes.entered.length, exited: changes.exited.length });
      } catch (err) {
        await tx.query('ROLLBACK TO SAVEPOINT segment_eval');
        await tx.query('UPDATE segments SET evaluated_at = NULL WHERE workspace_id = $1 AND id = $2', [ws, id]);
        result.errors.push({ segmentId: id, message: (err as Error).message });
      }
    }
    // A segment with an event condition on Segment Entered / Exited depends on the others in a way the dependency
    // order cannot see: the customers whose membership changed are re-checked on the next run.
    if (segments.some((s) => eventsRead(s.definition).some((name) => MEMBERSHIP_EVENTS.has(name)))) await queueChanges(tx, ws, [...changedInRun]);
    return result;
  });
}
