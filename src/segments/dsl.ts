// Segment definitions (pure): the JSON language as zod schemas, and validation that names the bad node by its JSON path.
//
// A definition is one condition node. Composite nodes: {and: [..]}, {or: [..]}, {not: ..}. Leaf nodes are told apart
// by their first key: trait, aggregate, event, score, segment, consent. Examples:
//   {"trait": "plan", "op": "equals", "value": "gold"}
//   {"aggregate": "days_since_last_order", "op": "gt", "value": 90}
//   {"event": "Product Viewed", "op": "at_least", "count": 3, "days": 30}
//   {"event": "Order Completed", "op": "at_least", "count": 1, "where": {"category": "shoes"}, "days": 60}
//   {"event": "Cart Viewed", "op": "not_for", "days": 14}
//   {"score": "churn_risk", "op": "in", "value": ["medium", "high"]}
//   {"segment": "vip", "op": "not_member"}
//   {"consent": "email", "purpose": "marketing"}
import { InvalidDefinitionError } from '../lib/errors.ts';
import { z } from 'zod';

const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);
const key = z.string().min(1).max(200);
/** A date: "2026-03-01" (a UTC day) or an ISO date-time; without a zone it is read as UTC. */
const dateValue = z.string().refine((s) => parseDateValue(s) !== null, { message: 'expected a date such as 2026-03-01 or 2026-03-01T10:00:00Z' });
const days = z.number().positive().max(36_600);
const wholeDays = z.number().int().min(0).max(36_600);
const range = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, { message: 'expected [low, high] with low ≤ high' });

export const NUMBER_OPS = ['equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
export type NumberOp = (typeof NUMBER_OPS)[number];

/** Leaf schemas by kind and op: the op decides which other keys a node has. */
function ops<K extends string>(kind: K, kindValue: z.ZodType, byOp: Record<string, z.ZodRawShape>) {
  return Object.fromEntries(
    Object.entries(byOp).map(([op, shape]) => [op, z.strictObject({ [kind]: kindValue, op: z.literal(op), ...shape })]),
  ) as Record<string, z.ZodObject>;
}

const numberShapes = {
  equals: { value: z.number() }, not_equals: { value: z.number() },
  gt: { value: z.number() }, gte: { value: z.number() }, lt: { value: z.number() }, lte: { value: z.number() },
  between: { value: range },
};

// ---- trait ----
export const TRAIT_OPS = ['equals', 'not_equals', 'contains', 'in', 'exists', 'not_exists', 'gt', 'gte', 'lt', 'lte',
  'before', 'after', 'within_last_days', 'anniversary_in_days'] as const;
const traitSchemas = ops('trait', key, {
  equals: { value: scalar }, not_equals: { value: scalar },
  contains: { value: z.string().min(1).max(1000) },
  in: { value: z.array(z.union([z.string().max(1000), z.number()])).min(1).max(1000) },
  exists: {}, not_exists: {},
  gt: { value: z.number() }, gte: { value: z.number() }, lt: { value: z.number() }, lte: { value: z.number() },
  before: { value: dateValue }, after: { value: dateValue },
  within_last_days: { days: wholeDays },
  // The anniversary (same month and day) falls exactly `days` days from today (UTC), or within them with `within`.
  anniversary_in_days: { days: z.number().int().min(0).max(366), within: z.boolean().optional() },
});

// ---- aggregate ----
export const AGGREGATES = ['orders_count', 'purchase_days', 'revenue_total', 'revenue_net', 'average_order_value',
  'days_since_last_order', 'days_since_last_seen', 'days_since_first_order'] as const;
export type AggregateName = (typeof AGGREGATES)[number];
export const DAYS_SINCE: Partial<Record<AggregateName, 'last_order_at' | 'last_seen' | 'first_order_at'>> = {
  days_since_last_order: 'last_order_at',
  days_since_last_seen: 'last_seen',
  days_since_first_order: 'first_order_at',
};
const aggregateSchemas = ops('aggregate', z.enum(AGGREGATES), numberShapes);

// ---- event ----
export const EVENT_OPS = ['at_least', 'at_most', 'not_for'] as const;
const countShape = {
  count: z.number().int().min(0).max(1_000_000),
  /** Only events in the last `days` days; without it, all time. */
  days: days.optional(),
  /** Only events whose properties contain these values (JSON containment: 30 ≠ "30"). */
  where: z.record(z.string().min(1).max(200), scalar).optional(),
};
const eventSchemas = ops('event', key, { at_least: countShape, at_most: countShape, not_for: { days } });

// ---- score ----
export const NUMBER_SCORES = ['rfm_r', 'rfm_f', 'rfm_m', 'p_alive', 'clv', 'expected_purchases', 'expected_order_value'] as const;
export const TEXT_SCORES = ['rfm_segment', 'churn_risk', 'lifecycle_stage'] as const;
export const SCORES = [...NUMBER_SCORES, ...TEXT_SCORES] as const;
const SCORE_VALUES: Record<string, readonly string[]> = {
  churn_risk: ['low', 'medium', 'high'],
  lifecycle_stage: ['new', 'active', 'at_risk', 'churned', 'reactivated'],
};
const text = z.string().min(1).max(200);
const numberScoreSchemas = ops('score', z.enum(NUMBER_SCORES), { ...numberShapes, exists: {}, not_exists: {} });
const textScoreSchemas = ops('score', z.enum(TEXT_SCORES), {
  equals: { value: text }, not_equals: { value: text }, in: { value: z.array(text).min(1).max(100) }, exists: {}, not_exists: {},
});

// ---- segment, consent ----
export const SEGMENT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const segmentSchemas = ops('segment', z.string().regex(SEGMENT_ID, 'expected a segment id (letters, digits, _ . -)'), {
  member: {}, not_member: {},
});
/** The latest consent record for this channel and purpose grants it. */
const consentSchema = z.strictObject({ consent: key, purpose: z.enum(['transactional', 'marketing']) });

// ---- the node types ----
const union = (schemas: Record<string, z.ZodObject>) => z.discriminatedUnion('op', Object.values(schemas) as [z.ZodObject, ...z.ZodObject[]]);
export const TraitCondition = union(traitSchemas);
export const AggregateCondition = union(aggregateSchemas);
export const EventCondition = union(eventSchemas);
export const ScoreCondition = z.union([union(numberScoreSchemas), union(textScoreSchemas)]);
export const SegmentCondition = union(segmentSchemas);
export const ConsentCondition = consentSchema;

type Scalar = string | number | boolean;
type Between = { op: 'between'; value: [number, number] } | { op: Exclude<NumberOp, 'between'>; value: number };
export type TraitNode = { trait: string } & (
  | { op: 'equals' | 'not_equals'; value: Scalar }
  | { op: 'contains'; value: string }
  | { op: 'in'; value: (string | number)[] }
  | { op: 'exists' | 'not_exists' }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { op: 'before' | 'after'; value: string }
  | { op: 'within_last_days'; days: number }
  | { op: 'anniversary_in_days'; days: number; within?: boolean }
);
export type AggregateNode = { aggregate: AggregateName } & Between;
export type EventNode = { event: string } & (
  | { op: 'at_least' | 'at_most'; count: number; days?: number; where?: Record<string, Scalar> }
  | { op: 'not_for'; days: number }
);
export type ScoreNode =
  | ({ score: (typeof NUMBER_SCORES)[number] } & (Between | { op: 'exists' | 'not_exists' }))
  | ({ score: (typeof TEXT_SCORES)[number] } & (
      | { op: 'equals' | 'not_equals'; value: string }
      | { op: 'in'; value: string[] }
      | { op: 'exists' | 'not_exists' }
    ));
export type SegmentNode = { segment: string; op: 'member' | 'not_member' };
export type ConsentNode = { consent: string; purpose: 'transactional' | 'marketing' };
export type Condition =
  | { and: Condition[] }
  | { or: Condition[] }
  | { not: Condition }
  | TraitNode
  | AggregateNode
  | EventNode
  | ScoreNode
  | SegmentNode
  | ConsentNode;

/** The whole language as one zod schema (for OpenAPI and typing); validateDefinition gives the better errors. */
export const Definition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(Definition).min(1) }),
    z.strictObject({ or: z.array(Definition).min(1) }),
    z.strictObject({ not: Definition }),
    TraitCondition, AggregateCondition, EventCondition, ScoreCondition, SegmentCondition, ConsentCondition,
  ]),
) as z.ZodType<Condition>;

// ---- validation ----
export interface DefinitionError {
  path: string; // JSON path of the bad node or field, e.g. $.and[1].op
  message: string;
}
export type Validation = { ok: true; definition: Condition } | { ok: false; errors: DefinitionError[] };

export const KINDS = ['and', 'or', 'not', 'trait', 'aggregate', 'event', 'score', 'segment', 'consent'] as const;
const LIMITS = { depth: 32, nodes: 500, children: 100 };

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function issueMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_value':
      return `${show(input)} is not one of ${issue.values.join(', ')}`;
    case 'invalid_type':
      return input === undefined ? `is required (${issue.expected})` : `expected ${issue.expected}, got ${show(input)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => show(k)).join(', ')}`;
    default:
      return issue.message;
  }
}

const childPath = (path: string, seg: PropertyKey) => (typeof seg === 'number' ? `${path}[${seg}]` : `${path}.${String(seg)}`);

function checkLeaf(node: Record<string, unknown>, path: string, kind: string, schemas: Record<string, z.ZodObject>, errors: DefinitionError[]) {
  const opNames = Object.keys(schemas);
  if (!('op' in node)) return errors.push({ path: `${path}.op`, message: `is required: one of ${opNames.join(', ')}` });
  if (typeof node.op !== 'string' || !schemas[node.op]) {
    return errors.push({ path: `${path}.op`, message: `${show(node.op)} is not one of ${opNames.join(', ')}${kind === 'score' ? ` (for ${show(node.score)})` : ''}` });
  }
  const parsed = schemas[node.op]!.safeParse(node, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push({ path: issue.path.reduce<string>(childPath, path), message: issueMessage(issue) });
  }
}

/** Validates a definition: the typed definition, or every error with the JSON path of the bad node and what is wrong. */
export function validateDefinition(def: unknown): Validation {
  const errors: DefinitionError[] = [];
  let nodes = 0;
  const walk = (node: unknown, path: string, depth: number): void => {
    if (++nodes > LIMITS.nodes) {
      if (nodes === LIMITS.nodes + 1) errors.push({ path, message: `a definition may have at most ${LIMITS.nodes} nodes` });
      return;
    }
    if (depth > LIMITS.depth) return void errors.push({ path, message: `nested deeper than ${LIMITS.depth} levels` });
    if (!isObject(node)) return void errors.push({ path, message: `expected a condition object, got ${show(node)}` });
    const kinds = KINDS.filter((k) => k in node);
    if (kinds.length === 0) return void errors.push({ path, message: `expected one of the keys ${KINDS.join(', ')}` });
    if (kinds.length > 1) return void errors.push({ path, message: `has both ${kinds.map((k) => show(k)).join(' and ')}; a node is exactly one condition` });
    const kind = kinds[0]!;
    if (kind === 'and' || kind === 'or' || kind === 'not') {
      const extra = Object.keys(node).filter((k) => k !== kind);
      if (extra.length) errors.push({ path, message: `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => show(k)).join(', ')} next to ${show(kind)}` });
      const inner = node[kind];
      if (kind === 'not') return walk(inner, `${path}.not`, depth + 1);
      if (!Array.isArray(inner) || inner.length === 0) return void errors.push({ path: `${path}.${kind}`, message: 'expected a non-empty array of conditions' });
      if (inner.length > LIMITS.children) return void errors.push({ path: `${path}.${kind}`, message: `at most ${LIMITS.children} conditions` });
      inner.forEach((child, i) => walk(child, `${path}.${kind}[${i}]`, depth + 1));
      return;
    }
    switch (kind) {
      case 'trait': return void checkLeaf(node, path, kind, traitSchemas, errors);
      case 'event': return void checkLeaf(node, path, kind, eventSchemas, errors);
      case 'segment': return void checkLeaf(node, path, kind, segmentSchemas, errors);
      case 'aggregate': {
        if (!AGGREGATES.includes(node.aggregate as AggregateName)) {
          return void errors.push({ path: `${path}.aggregate`, message: `${show(node.aggregate)} is not one of ${AGGREGATES.join(', ')}` });
        }
        const before = errors.length;
        checkLeaf(node, path, kind, aggregateSchemas, errors);
        if (errors.length === before && DAYS_SINCE[node.aggregate as AggregateName]) {
          const values = Array.isArray(node.value) ? node.value : [node.value];
          if (!values.every((v) => Number.isInteger(v))) errors.push({ path: `${path}.value`, message: 'days are whole numbers' });
        }
        return;
      }
      case 'score': {
        const name = node.score as string;
        const schemas = (NUMBER_SCORES as readonly string[]).includes(name) ? numberScoreSchemas
          : (TEXT_SCORES as readonly string[]).includes(name) ? textScoreSchemas : null;
        if (!schemas) return void errors.push({ path: `${path}.score`, message: `${show(name)} is not one of ${SCORES.join(', ')}` });
        const before = errors.length;
        checkLeaf(node, path, kind, schemas, errors);
        const allowed = SCORE_VALUES[name];
        if (errors.length === before && allowed && 'value' in node) {
          const values = Array.isArray(node.value) ? node.value : [node.value];
          values.forEach((v, i) => {
            if (!allowed.includes(v as string)) {
              errors.push({ path: Array.isArray(node.value) ? `${path}.value[${i}]` : `${path}.value`, message: `${show(v)} is not one of ${allowed.join(', ')}` });
            }
          });
        }
        return;
      }
      case 'consent': {
        const parsed = consentSchema.safeParse(node, { reportInput: true });
        if (!parsed.success) for (const issue of parsed.error.issues) errors.push({ path: issue.path.reduce<string>(childPath, path), message: issueMessage(issue) });
        return;
      }
    }
  };
  walk(def, '$', 0);
  return errors.length ? { ok: false, errors } : { ok: true, definition: def as Condition };
}

export class InvalidDefinition extends InvalidDefinitionError {
  constructor(errors: DefinitionError[]) {
    super('segment', errors);
  }
}

/** The typed definition, or throws InvalidDefinition listing every error. */
export function parseDefinition(def: unknown): Condition {
  const v = validateDefinition(def);
  if (!v.ok) throw new InvalidDefinition(v.errors);
  return v.definition;
}

/** Ids of the segments a definition refers to (its dependencies). */
export function segmentRefs(def: Condition): string[] {
  return [...new Set(leaves(def).flatMap((n) => ('segment' in n ? [n.segment] : [])))];
}

/** Each segment a definition refers to, with the JSON path of its condition below `path` (`$.and[1]`). */
export function segmentRefsAt(def: Condition, path = '$'): { segment: string; path: string }[] {
  if ('and' in def) return def.and.flatMap((c, i) => segmentRefsAt(c, `${path}.and[${i}]`));
  if ('or' in def) return def.or.flatMap((c, i) => segmentRefsAt(c, `${path}.or[${i}]`));
  if ('not' in def) return segmentRefsAt(def.not, `${path}.not`);
  return 'segment' in def ? [{ segment: def.segment, path }] : [];
}

/** The scores a definition reads (score conditions, wherever they are nested). */
export function scoresRead(def: Condition): ScoreNode['score'][] {
  return [...new Set(leaves(def).flatMap((n) => ('score' in n ? [n.score] : [])))];
}

/** The event names a definition's event conditions read. */
export function eventsRead(def: Condition): string[] {
  return [...new Set(leaves(def).flatMap((n) => ('event' in n ? [n.event] : [])))];
}

/** The leaf conditions of a definition, with every and / or / not opened. */
function leaves(def: Condition): Condition[] {
  const out: Condition[] = [];
  const walk = (n: Condition) => {
    if ('and' in n) n.and.forEach(walk);
    else if ('or' in n) n.or.forEach(walk);
    else if ('not' in n) walk(n.not);
    else out.push(n);
  };
  walk(def);
  return out;
}

const DATE_RE = /^([12]\d{3})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
/** Parses a date value: "YYYY-MM-DD" is that UTC day; a date-time without a zone is UTC. Null when invalid. */
export function parseDateValue(s: string): Date | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  const month = Number(mo), day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(Number(y), month, 0)).getUTCDate()) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  const tz = !zone || zone === 'z' || zone === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac.slice(0, 4)}${tz}`);
  return Number.isNaN(date.getTime()) ? null : date;
}
