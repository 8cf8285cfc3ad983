// Segments as stored: create / update / list, current members, the preview of an unsaved definition, and the
// statements of the incremental runner (runner.ts), each a named function.
import { DomainError } from '../lib/index.ts';
import { randomBytes } from 'node:crypto';
import { type Db, type Queryable, lock, tryLock } from '../store/index.ts';
import {
  customerView,
  type CustomerRow,
  withAnonymousIds,
  SEGMENT_ENTERED,
  SEGMENT_EVENT_PREFIX,
  SEGMENT_EXITED,
} from '../customers/index.ts';
import { parseDefinition, segmentRefs, SEGMENT_ID, type Condition } from './dsl.ts';
import { compile, type CrossingQuery } from './compile.ts';
import { dependencyOrder } from './graph.ts';

export interface Segment {
  id: string;
  name: string;
  definition: Condition;
  status: 'active' | 'archived';
  evaluatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const SEGMENT_ERROR_STATUS = {
  not_found: 404,
  conflict: 409,
  in_use: 409,
  unknown_segment: 400,
  invalid_name: 400,
} as const;

/** What a segment operation cannot do, with the status the API answers it with. */
export class SegmentError extends DomainError {
  declare readonly code: keyof typeof SEGMENT_ERROR_STATUS;
  constructor(code: keyof typeof SEGMENT_ERROR_STATUS, message: string) {
    super(code, SEGMENT_ERROR_STATUS[code], message);
  }
}

interface SegmentRowDb {
  id: string;
  name: string;
  definition: Condition;
  status: 'active' | 'archived';
  evaluated_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const SEGMENT_COLUMNS = 'id, name, definition, status, evaluated_at, created_at, updated_at';
const CUSTOMER_COLUMNS = `c.id, c.user_id, c.email, c.phone, c.locale, c.timezone, c.traits, c.first_seen, c.last_seen,
  c.first_order_at, c.last_order_at, c.orders_count, c.purchase_days, c.revenue_total, c.revenue_net`;
const isoOf = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

const view = (r: SegmentRowDb): Segment => ({
  id: r.id,
  name: r.name,
  definition: r.definition,
  status: r.status,
  evaluatedAt: isoOf(r.evaluated_at),
  createdAt: isoOf(r.created_at)!,
  updatedAt: isoOf(r.updated_at)!,
});

function checkName(name: string) {
  if (typeof name !== 'string' || !name.trim() || name.length > 200)
    throw new SegmentError('invalid_name', 'a segment needs a name of 1 to 200 characters');
}

/**
 * Definition changes of one workspace take turns (a transaction-scoped advisory lock): the reference and cycle checks
 * read the other segments, and two edits checked side by side ("a uses b", "b uses a") would each pass and together
 * store a cycle; the same holds for archiving a segment while another starts to use it.
 */
const lockDefinitions = (tx: Queryable, ws: string) => lock(tx, 'segmentDefinitions', ws);

/** Referenced segments must exist in the workspace and the dependency graph must stay acyclic (throws SegmentCycle). */
async function checkRefs(tx: Queryable, ws: string, id: string, def: Condition) {
  const refs = segmentRefs(def);
  if (refs.length === 0) return;
  const all = await tx.query<{ id: string; definition: Condition }>(
    'SELECT id, definition FROM segments WHERE workspace_id = $1',
    [ws],
  );
  const known = new Set(all.map((s) => s.id));
  const missing = refs.filter((r) => r !== id && !known.has(r));
  if (missing.length)
    throw new SegmentError(
      'unknown_segment',
      `the definition refers to segment ${missing.map((m) => `"${m}"`).join(', ')}, which does not exist`,
    );
  // The changed segment first, so a cycle is named starting from it.
  dependencyOrder([
    { id, refs },
    ...all.filter((s) => s.id !== id).map((s) => ({ id: s.id, refs: segmentRefs(s.definition) })),
  ]);
}

export interface SegmentInput {
  id?: string;
  name: string;
  definition: unknown;
}

/** Stores a new segment; it is evaluated in full by the next runIncremental (or evaluateSegment). */
export async function createSegment(db: Db, ws: string, input: SegmentInput): Promise<Segment> {
  checkName(input.name);
  const definition = parseDefinition(input.definition);
  const id = input.id ?? `seg_${randomBytes(6).toString('hex')}`;
  if (!SEGMENT_ID.test(id))
    throw new SegmentError('invalid_name', 'a segment id has 1 to 64 letters, digits, _ . or -');
  return db.transaction(async (tx) => {
    await lockDefinitions(tx, ws);
    await checkRefs(tx, ws, id, definition);
    const rows = await tx.query<SegmentRowDb>(
      `INSERT INTO segments (workspace_id, id, name, definition) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT DO NOTHING RETURNING ${SEGMENT_COLUMNS}`,
      [ws, id, input.name.trim(), JSON.stringify(definition)],
    );
    if (rows.length === 0) throw new SegmentError('conflict', `a segment with id "${id}" already exists`);
    return view(rows[0]!);
  });
}

export interface SegmentPatch {
  name?: string;
  definition?: unknown;
  status?: 'active' | 'archived';
}

/** Changes a segment; a new definition is evaluated in full on the next run (entries and exits are logged as usual). */
export async function updateSegment(db: Db, ws: string, id: string, patch: SegmentPatch): Promise<Segment> {
  if (patch.name !== undefined) checkName(patch.name);
  const definition = patch.definition === undefined ? undefined : parseDefinition(patch.definition);
  return db.transaction(async (tx) => {
    await lockDefinitions(tx, ws);
    const current = (
      await tx.query<SegmentRowDb>(
        `SELECT ${SEGMENT_COLUMNS} FROM segments WHERE workspace_id = $1 AND id = $2 FOR UPDATE`,
        [ws, id],
      )
    )[0];
    if (!current) throw new SegmentError('not_found', `no segment "${id}"`);
    if (definition) await checkRefs(tx, ws, id, definition);
    if (patch.status === 'archived' && current.status !== 'archived') {
      const users = (
        await tx.query<{ id: string; definition: Condition }>(
          "SELECT id, definition FROM segments WHERE workspace_id = $1 AND status = 'active' AND id <> $2",
          [ws, id],
        )
      ).filter((s) => segmentRefs(s.definition).includes(id));
      if (users.length)
        throw new SegmentError(
          'in_use',
          `segment "${id}" is used by ${users.map((u) => `"${u.id}"`).join(', ')}; change those first`,
        );
    }
    const rows = await tx.query<SegmentRowDb>(
      `UPDATE segments SET name = COALESCE($3, name), definition = COALESCE($4::jsonb, definition), status = COALESCE($5, status),
         evaluated_at = CASE WHEN $4::jsonb IS NOT NULL OR ($5::text = 'active' AND status = 'archived') THEN NULL ELSE evaluated_at END,
         updated_at = now()
       WHERE workspace_id = $1 AND id = $2 RETURNING ${SEGMENT_COLUMNS}`,
      [ws, id, patch.name?.trim() ?? null, definition ? JSON.stringify(definition) : null, patch.status ?? null],
    );
    return view(rows[0]!);
  });
}

export async function getSegment(db: Queryable, ws: string, id: string): Promise<Segment | null> {
  const rows = await db.query<SegmentRowDb>(
    `SELECT ${SEGMENT_COLUMNS} FROM segments WHERE workspace_id = $1 AND id = $2`,
    [ws, id],
  );
  return rows[0] ? view(rows[0]) : null;
}

/** All segments of the workspace with their member counts, by name. */
export async function listSegments(db: Queryable, ws: string): Promise<(Segment & { members: number })[]> {
  const rows = await db.query<SegmentRowDb & { members: number }>(
    `SELECT s.id, s.name, s.definition, s.status, s.evaluated_at, s.created_at, s.updated_at, COALESCE(m.n, 0)::int AS members
     FROM segments s LEFT JOIN (SELECT segment_id, count(*) AS n FROM segment_members WHERE workspace_id = $1 GROUP BY segment_id) m ON m.segment_id = s.id
     WHERE s.workspace_id = $1 ORDER BY s.name, s.id`,
    [ws],
  );
  return rows.map((r) => ({ ...view(r), members: Number(r.members) }));
}

/** The segments one customer is in now, with when they entered, by name. */
export async function customerSegments(
  db: Queryable,
  ws: string,
  customerId: string,
): Promise<{ id: string; name: string; enteredAt: string }[]> {
  const rows = await db.query<{ id: string; name: string; entered_at: Date }>(
    `SELECT s.id, s.name, m.entered_at FROM segment_members m JOIN segments s ON s.workspace_id = m.workspace_id AND s.id = m.segment_id
     WHERE m.workspace_id = $1 AND m.customer_id = $2::bigint ORDER BY s.name, s.id`,
    [ws, customerId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, enteredAt: new Date(r.entered_at).toISOString() }));
}

/** Current members, newest customer first, keyset-paginated on the customer id (`after` = last id of the previous page). */
export async function getMembers(
  db: Queryable,
  ws: string,
  segmentId: string,
  opts: { limit?: number; after?: string | null } = {},
) {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 1000);
  const rows = await db.query<CustomerRow & { entered_at: Date }>(
    `SELECT m.entered_at, ${CUSTOMER_COLUMNS} FROM segment_members m
       JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id
     WHERE m.workspace_id = $1 AND m.segment_id = $2 AND ($3::bigint IS NULL OR m.customer_id < $3::bigint)
     ORDER BY m.customer_id DESC LIMIT $4`,
    [ws, segmentId, opts.after ?? null, limit + 1],
  );
  const page = await withAnonymousIds(db, ws, rows.slice(0, limit));
  return {
    members: page.map((r) => ({ customer: customerView(r), enteredAt: isoOf(r.entered_at)! })),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
  };
}

/** Count and a sample (newest customers first) of who an unsaved definition selects at `now`. Throws InvalidDefinition. */
export async function previewDefinition(db: Queryable, ws: string, def: unknown, now: Date, sampleSize = 20) {
  const { where, params } = compile(parseDefinition(def), now);
  const args = [ws, ...params];
  const [count] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM customers c WHERE ${where}`, args);
  const sample =
    sampleSize > 0
      ? await db.query<CustomerRow>(
          `SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE ${where} ORDER BY c.id DESC LIMIT $${args.length + 1}`,
          [...args, sampleSize],
        )
      : [];
  return { count: Number(count!.n), sample: (await withAnonymousIds(db, ws, sample)).map(customerView) };
}

// ---- the runner's statements (runner.ts reads as the steps of a run) ----

/**
 * no-jit: membership statements over a big workspace look costly to the planner, which then JIT-compiles them:
 * measured 60–290 ms of compilation for a statement that runs in less. Segment runs turn JIT off for their transaction.
 */
export const noJit = (tx: Queryable) => tx.query('SET LOCAL jit = off');

/** lock-segment-runs: waits for the workspace's segment run in progress, and holds the turn until the transaction ends. */
export const lockSegmentRuns = (tx: Queryable, ws: string) => lock(tx, 'segmentRuns', ws);

/** try-lock-segment-runs: takes the workspace's turn to run segments, or answers false when another run has it. */
export const tryLockSegmentRuns = (tx: Queryable, ws: string): Promise<boolean> => tryLock(tx, 'segmentRuns', ws);

export interface LoadedSegment {
  id: string;
  name: string;
  definition: Condition;
  evaluated_at: Date | null;
}

/** lock-segment: one segment, locked for its evaluation. */
export async function lockSegment(tx: Queryable, ws: string, id: string): Promise<LoadedSegment | null> {
  const rows = await tx.query<LoadedSegment>(
    'SELECT id, name, definition, evaluated_at FROM segments WHERE workspace_id = $1 AND id = $2 FOR UPDATE',
    [ws, id],
  );
  return rows[0] ?? null;
}

/** lock-active-segments: the workspace's active segments, by id, locked for the run. */
export const lockActiveSegments = (tx: Queryable, ws: string) =>
  tx.query<LoadedSegment>(
    "SELECT id, name, definition, evaluated_at FROM segments WHERE workspace_id = $1 AND status = 'active' ORDER BY id FOR UPDATE",
    [ws],
  );

/** set-evaluated-at: when the segment was last evaluated; null asks for a full recompute on the next run. */
export const setEvaluatedAt = (tx: Queryable, ws: string, id: string, at: Date | null) =>
  tx.query('UPDATE segments SET evaluated_at = $3 WHERE workspace_id = $1 AND id = $2', [
    ws,
    id,
    at?.toISOString() ?? null,
  ]);

/**
 * drain-changes: takes up to `batchSize` customers off customer_changes, oldest change first, skipping the rows a
 * writer holds. One more than the batch is picked (and stays queued) to tell whether more are waiting, in the same index pass.
 */
export async function drainChanges(
  tx: Queryable,
  ws: string,
  batchSize: number,
): Promise<{ drained: string[]; more: boolean }> {
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
  return { drained: rows.map((r) => r.customer_id), more: rows[0]?.more ?? false };
}

/** crossed-customers: the customers a crossing query (compile.ts) finds. */
export async function crossedCustomers(tx: Queryable, ws: string, q: CrossingQuery): Promise<string[]> {
  return (await tx.query<{ customer_id: string }>(q.sql, [ws, ...q.params])).map((r) => r.customer_id);
}

/** crossing-rows-up-to: how many rows an exits-only crossing query would read, counted up to `cap`. */
export async function crossingRowsUpTo(
  tx: Queryable,
  ws: string,
  rows: NonNullable<CrossingQuery['exitsOnly']>,
  cap: number,
): Promise<number> {
  const [r] = await tx.query<{ n: number }>(rows.sql, [ws, ...rows.params, cap]);
  return r!.n;
}

/** count-members-up-to: the segment's member count, counted up to `limit` (index-only). */
export async function countMembersUpTo(tx: Queryable, ws: string, segmentId: string, limit: number): Promise<number> {
  const [m] = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM (SELECT 1 FROM segment_members WHERE workspace_id = $1 AND segment_id = $2 LIMIT $3::int) AS x',
    [ws, segmentId, limit],
  );
  return m!.n;
}

/** member-ids: every current member of the segment. */
export async function memberIds(tx: Queryable, ws: string, segmentId: string): Promise<string[]> {
  return (
    await tx.query<{ customer_id: string }>(
      'SELECT customer_id::text AS customer_id FROM segment_members WHERE workspace_id = $1 AND segment_id = $2',
      [ws, segmentId],
    )
  ).map((r) => r.customer_id);
}

/** The customers who entered and who left a segment in one write. */
export interface Changes {
  entered: string[];
  exited: string[];
}

/**
 * apply-membership: writes the membership of one segment for the given candidates (null = every customer): entries are inserted,
 * exits deleted, and each of them logged in the event log (Segment Entered / Segment Exited, counters bumped),
 * all in one set-based statement.
 */
export async function applyMembership(
  tx: Queryable,
  ws: string,
  seg: { id: string; name: string; definition: Condition },
  now: Date,
  candidates: string[] | null,
): Promise<Changes> {
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

/** workspaces-with-active-segments: the workspaces the segment job visits, in id order. */
export async function workspacesWithActiveSegments(db: Queryable): Promise<string[]> {
  return (
    await db.query<{ workspace_id: string }>(
      "SELECT DISTINCT workspace_id FROM segments WHERE status = 'active' ORDER BY workspace_id",
    )
  ).map((r) => r.workspace_id);
}

/** active-definitions: the definitions of the workspace's active segments (what scoring watches). */
export async function activeDefinitions(db: Queryable, ws: string): Promise<Condition[]> {
  return (
    await db.query<{ definition: Condition }>(
      "SELECT definition FROM segments WHERE workspace_id = $1 AND status = 'active'",
      [ws],
    )
  ).map((r) => r.definition);
}
