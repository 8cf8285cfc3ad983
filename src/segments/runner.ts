// Segment membership, kept incrementally: re-evaluate only the customers that changed (customer_changes) or whose
// time conditions crossed a threshold since the segment's last run; log every entry and exit as an event.
import type { Db, Queryable } from '../store/index.ts';
import { eventsRead, InvalidDefinition, segmentRefs, validateDefinition } from './dsl.ts';
import { crossing } from './compile.ts';
import { orderSkippingCycles } from './graph.ts';
import {
  applyMembership,
  countMembersUpTo,
  crossedCustomers,
  crossingRowsUpTo,
  drainChanges,
  lockActiveSegments,
  lockSegment,
  lockSegmentRuns,
  memberIds,
  noJit,
  SegmentError,
  setEvaluatedAt,
  tryLockSegmentRuns,
} from './store.ts';
import { queueChanges, SEGMENT_ENTERED, SEGMENT_EXITED } from '../customers/index.ts';

/** Event names a definition can read that the runner itself writes. */
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

/**
 * Full recompute of one segment at `now`: the members are diffed with who matches, entries and exits logged.
 * The customers whose membership changed are queued in customer_changes, so segments built on this one follow
 * on the next runIncremental.
 */
export async function evaluateSegment(
  db: Db,
  ws: string,
  segmentId: string,
  now: Date,
): Promise<{ entered: number; exited: number }> {
  return db.transaction(async (tx) => {
    await noJit(tx);
    await lockSegmentRuns(tx, ws);
    const seg = await lockSegment(tx, ws, segmentId);
    if (!seg) throw new SegmentError('not_found', `no segment "${segmentId}"`);
    const changes = await applyMembership(tx, ws, seg, now, null);
    const changed = [...changes.entered, ...changes.exited];
    if (changed.length) {
      await queueChanges(tx, ws, changed);
    }
    await setEvaluatedAt(tx, ws, segmentId, now);
    return { entered: changes.entered.length, exited: changes.exited.length };
  });
}

/** A crossing query's count of rows to read stops here: past it, re-checking the members is cheaper for any segment this size. */
const ROWS_CAP = 100_000;

/**
 * For a crossing query that can only find exits: are the segment's members fewer than the rows the query would read?
 * Both counts are index-only and stop early (the rows at ROWS_CAP, the members one past the rows).
 */
async function fewerMembersThanRows(
  tx: Queryable,
  ws: string,
  segmentId: string,
  rows: { sql: string; params: unknown[] },
): Promise<boolean> {
  const read = await crossingRowsUpTo(tx, ws, rows, ROWS_CAP);
  return (await countMembersUpTo(tx, ws, segmentId, read + 1)) <= read;
}

/**
 * One incremental run for a workspace, in one transaction: drain up to `batchSize` changed customers, then for each
 * active segment (dependencies first) re-evaluate the changed customers, the customers whose time conditions crossed
 * a threshold since the segment's evaluated_at, and the customers whose membership of a segment it uses just changed.
 * A segment never evaluated (new or redefined) is evaluated in full. Sets evaluated_at = now.
 * A segment whose evaluation fails is rolled back alone and marked for a full recompute; the others go on.
 */
export async function runIncremental(
  db: Db,
  ws: string,
  now: Date,
  opts: { batchSize?: number } = {},
): Promise<RunResult> {
  const batchSize = opts.batchSize ?? 10_000;
  return db.transaction(async (tx) => {
    await noJit(tx);
    if (!(await tryLockSegmentRuns(tx, ws))) return { ran: false, changed: 0, more: false, segments: [], errors: [] };
    const { drained, more } = await drainChanges(tx, ws, batchSize);
    const loaded = await lockActiveSegments(tx, ws);
    const result: RunResult = { ran: true, changed: drained.length, more, segments: [], errors: [] };
    // Definitions are validated when written; one that is not valid (written around the API) is skipped, not fatal.
    const segments = loaded.filter((s) => {
      const v = validateDefinition(s.definition);
      if (!v.ok) result.errors.push({ segmentId: s.id, message: new InvalidDefinition(v.errors).message });
      return v.ok;
    });
    const byId = new Map(segments.map((s) => [s.id, s]));
    // A planted cycle's segments are reported and left as they are; the others run.
    const { order, cycles } = orderSkippingCycles(segments.map((s) => ({ id: s.id, refs: segmentRefs(s.definition) })));
    for (const cycle of cycles)
      for (const id of new Set(cycle.cycle)) result.errors.push({ segmentId: id, message: cycle.message });
    const changedIn = new Map<string, string[]>(); // segment id → customers who entered or left it in this run
    const changedInRun = new Set<string>();

    for (const id of order) {
      const seg = byId.get(id)!;
      const full = seg.evaluated_at === null;
      try {
        await tx.query('SAVEPOINT segment_eval'); // a failing segment is rolled back alone
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
            for (const c of await crossedCustomers(tx, ws, q)) set.add(c);
          }
          for (const dep of segmentRefs(seg.definition)) for (const c of changedIn.get(dep) ?? []) set.add(c);
          candidates = [...set];
        }
        const changes =
          candidates?.length === 0 ? { entered: [], exited: [] } : await applyMembership(tx, ws, seg, now, candidates);
        await setEvaluatedAt(tx, ws, id, now);
        await tx.query('RELEASE SAVEPOINT segment_eval');
        changedIn.set(id, [...changes.entered, ...changes.exited]);
        for (const c of changedIn.get(id)!) changedInRun.add(c);
        result.segments.push({
          id,
          mode: full ? 'full' : 'incremental',
          candidates: candidates?.length ?? 0,
          entered: changes.entered.length,
          exited: changes.exited.length,
        });
      } catch (err) {
        await tx.query('ROLLBACK TO SAVEPOINT segment_eval');
        await setEvaluatedAt(tx, ws, id, null);
        result.errors.push({ segmentId: id, message: (err as Error).message });
      }
    }
    // A segment with an event condition on Segment Entered / Exited depends on the others in a way the dependency
    // order cannot see: the customers whose membership changed are re-checked on the next run.
    if (segments.some((s) => eventsRead(s.definition).some((name) => MEMBERSHIP_EVENTS.has(name))))
      await queueChanges(tx, ws, [...changedInRun]);
    return result;
  });
}
