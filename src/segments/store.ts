// Segments as stored: create / update / list, current members, and the preview of an unsaved definition.
import { DomainError } from '../lib/errors.ts';
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../store/db.ts';
import { customerView, type CustomerRow } from '../customers/view.ts';
import { withAnonymousIds } from '../customers/anonymous-ids.ts';
import { parseDefinition, segmentRefs, SEGMENT_ID, type Condition } from './dsl.ts';
import { compile } from './compile.ts';
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

const SEGMENT_ERROR_STATUS = { not_found: 404, conflict: 409, in_use: 409, unknown_segment: 400, invalid_name: 400 } as const;

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
  if (typeof name !== 'string' || !name.trim() || name.length > 200) throw new SegmentError('invalid_name', 'a segment needs a name of 1 to 200 characters');
}

/**
 * Definition changes of one workspace take turns (a transaction-scoped advisory lock): the reference and cycle checks
 * read the other segments, and two edits checked side by side ("a uses b", "b uses a") would each pass and together
 * store a cycle; the same holds for archiving a segment while another starts to use it.
 */
const DEFINITIONS_LOCK = 0x5e7;
const lockDefinitions = (tx: Queryable, ws: string) => tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DEFINITIONS_LOCK, ws]);

/** Referenced segments must exist in the workspace and the dependency graph must stay acyclic (throws SegmentCycle). */
async function checkRefs(tx: Queryable, ws: string, id: string, def: Condition) {
  const refs = segmentRefs(def);
  if (refs.length === 0) return;
  const all = await tx.query<{ id: string; definition: Condition }>('SELECT id, definition FROM segments WHERE workspace_id = $1', [ws]);
  const known = new Set(all.map((s) => s.id));
  const missing = refs.filter((r) => r !== id && !known.has(r));
  if (missing.length) throw new SegmentError('unknown_segment', `the definition refers to segment ${missing.map((m) => `"${m}"`).join(', ')}, which does not exist`);
  // The changed segment first, so a cycle is named starting from it.
  dependencyOrder([{ id, refs }, ...all.filter((s) => s.id !== id).map((s) => ({ id: s.id, refs: segmentRefs(s.definition) }))]);
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
  if (!SEGMENT_ID.test(id)) throw new SegmentError('invalid_name', 'a segment id has 1 to 64 letters, digits, _ . or -');
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
    const current = (await tx.query<SegmentRowDb>(`SELECT ${SEGMENT_COLUMNS} FROM segments WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [ws, id]))[0];
    if (!current) throw new SegmentError('not_found', `no segment "${id}"`);
    if (definition) await checkRefs(tx, ws, id, definition);
    if (patch.status === 'archived' && current.status !== 'archived') {
      const users = (await tx.query<{ id: string; definition: Condition }>(
        "SELECT id, definition FROM segments WHERE workspace_id = $1 AND status = 'active' AND id <> $2", [ws, id],
      )).filter((s) => segmentRefs(s.definition).includes(id));
      if (users.length) throw new SegmentError('in_use', `segment "${id}" is used by ${users.map((u) => `"${u.id}"`).join(', ')}; change those first`);
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
  const rows = await db.query<SegmentRowDb>(`SELECT ${SEGMENT_COLUMNS} FROM segments WHERE workspace_id = $1 AND id = $2`, [ws, id]);
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
export async function customerSegments(db: Queryable, ws: string, customerId: string): Promise<{ id: string; name: string; enteredAt: string }[]> {
  const rows = await db.query<{ id: string; name: string; entered_at: Date }>(
    `SELECT s.id, s.name, m.entered_at FROM segment_members m JOIN segments s ON s.workspace_id = m.workspace_id AND s.id = m.segment_id
     WHERE m.workspace_id = $1 AND m.customer_id = $2::bigint ORDER BY s.name, s.id`,
    [ws, customerId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, enteredAt: new Date(r.entered_at).toISOString() }));
}

/** Current members, newest customer first, keyset-paginated on the customer id (`after` = last id of the previous page). */
export async function getMembers(db: Queryable, ws: string, segmentId: string, opts: { limit?: number; after?: string | null } = {}) {
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
  const sample = sampleSize > 0
    ? await db.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE ${where} ORDER BY c.id DESC LIMIT $${args.length + 1}`, [...args, sampleSize])
    : [];
  return { count: Number(count!.n), sample: (await withAnonymousIds(db, ws, sample)).map(customerView) };
}
