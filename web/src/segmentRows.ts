// Segment builder model (pure): editable condition rows ↔ the JSON definition language of /api/v1/segments.
import { SCORES, type ScoreDescriptor } from '../../src/models/scores.ts';

export type Kind = 'trait' | 'aggregate' | 'event' | 'score' | 'segment' | 'consent';
export type Combinator = 'and' | 'or';

/** One condition as the builder edits it: every input is text until it becomes a definition. */
export interface Row {
  kind: Kind;
  /** Trait key, aggregate, event name, score, segment id or consent channel. */
  field: string;
  /** The op; for consent, the purpose. */
  op: string;
  value: string;
  /** Upper bound of "between". */
  value2: string;
  /** Times, for event at_least / at_most. */
  count: string;
  days: string;
  /** Optional event property filter: key = value. */
  whereKey: string;
  whereValue: string;
}

export interface Option {
  value: string;
  label: string;
}

export const KINDS: Option[] = [
  { value: 'aggregate', label: 'Aggregate' },
  { value: 'trait', label: 'Trait' },
  { value: 'event', label: 'Event' },
  { value: 'score', label: 'Score' },
  { value: 'segment', label: 'Segment' },
  { value: 'consent', label: 'Consent' },
];

export const AGGREGATES: Option[] = [
  { value: 'orders_count', label: 'Orders' },
  { value: 'purchase_days', label: 'Purchase days' },
  { value: 'revenue_total', label: 'Revenue total' },
  { value: 'revenue_net', label: 'Revenue net' },
  { value: 'average_order_value', label: 'Average order value' },
  { value: 'days_since_last_order', label: 'Days since last order' },
  { value: 'days_since_last_seen', label: 'Days since last seen' },
  { value: 'days_since_first_order', label: 'Days since first order' },
];

/** The scores a condition can test, from the one descriptor of scores (src/models/scores.ts). */
const scoreOptions = (type: 'number' | 'text'): Option[] =>
  (SCORES as readonly ScoreDescriptor[]).filter((s) => s.filterable && s.type === type).map((s) => ({ value: s.name, label: s.label }));
export const NUMBER_SCORES: Option[] = scoreOptions('number');
export const TEXT_SCORES: Option[] = scoreOptions('text');
export const SCORE_HINTS: Record<string, string> = Object.fromEntries(SCORES.flatMap((s) => ('hint' in s ? [[s.name, s.hint]] : [])));

const NUMBER_OPS: Option[] = [
  { value: 'equals', label: '=' },
  { value: 'not_equals', label: '≠' },
  { value: 'gt', label: '>' },
  { value: 'gte', label: '≥' },
  { value: 'lt', label: '<' },
  { value: 'lte', label: '≤' },
  { value: 'between', label: 'between' },
];
const PRESENCE_OPS: Option[] = [
  { value: 'exists', label: 'is set' },
  { value: 'not_exists', label: 'is not set' },
];

/** The builder's own op for "anniversary within N days" (anniversary_in_days with within: true). */
const ANNIVERSARY_WITHIN = 'anniversary_within_days';

const TRAIT_OPS: Option[] = [
  { value: 'equals', label: 'equals' },
  { value: 'not_equals', label: 'does not equal' },
  { value: 'contains', label: 'contains' },
  { value: 'in', label: 'is one of' },
  ...PRESENCE_OPS,
  { value: 'gt', label: '>' },
  { value: 'gte', label: '≥' },
  { value: 'lt', label: '<' },
  { value: 'lte', label: '≤' },
  { value: 'before', label: 'is before' },
  { value: 'after', label: 'is after' },
  { value: 'within_last_days', label: 'is within the last … days' },
  { value: 'anniversary_in_days', label: 'anniversary is in … days' },
  { value: ANNIVERSARY_WITHIN, label: 'anniversary is within … days' },
];
const EVENT_OPS: Option[] = [
  { value: 'at_least', label: 'at least' },
  { value: 'at_most', label: 'at most' },
  { value: 'not_for', label: 'not done for' },
];
const TEXT_SCORE_OPS: Option[] = [
  { value: 'equals', label: 'equals' },
  { value: 'not_equals', label: 'does not equal' },
  { value: 'in', label: 'is one of' },
  ...PRESENCE_OPS,
];
const SEGMENT_OPS: Option[] = [
  { value: 'member', label: 'is a member of' },
  { value: 'not_member', label: 'is not a member of' },
];
export const PURPOSES: Option[] = [
  { value: 'marketing', label: 'marketing' },
  { value: 'transactional', label: 'transactional' },
];

const isTextScore = (score: string) => TEXT_SCORES.some((s) => s.value === score);

export function opsFor(row: Row): Option[] {
  switch (row.kind) {
    case 'trait': return TRAIT_OPS;
    case 'aggregate': return NUMBER_OPS;
    case 'event': return EVENT_OPS;
    case 'score': return isTextScore(row.field) ? TEXT_SCORE_OPS : [...NUMBER_OPS, ...PRESENCE_OPS];
    case 'segment': return SEGMENT_OPS;
    case 'consent': return PURPOSES;
  }
}

/** What the row needs besides field and op. */
export function inputsFor(row: Row): { value: 'text' | 'number' | 'list' | 'date' | null; between: boolean; count: boolean; days: 'required' | 'optional' | null; where: boolean } {
  const none = { value: null, between: false, count: false, days: null, where: false } as const;
  const op = row.op;
  switch (row.kind) {
    case 'trait':
      if (op === 'exists' || op === 'not_exists') return none;
      if (op === 'within_last_days' || op === 'anniversary_in_days' || op === ANNIVERSARY_WITHIN) return { ...none, days: 'required' };
      if (op === 'in') return { ...none, value: 'list' };
      if (op === 'before' || op === 'after') return { ...none, value: 'date' };
      if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') return { ...none, value: 'number' };
      return { ...none, value: 'text' };
    case 'aggregate':
      return { ...none, value: 'number', between: op === 'between' };
    case 'event':
      if (op === 'not_for') return { ...none, days: 'required' };
      return { ...none, count: true, days: 'optional', where: true };
    case 'score':
      if (op === 'exists' || op === 'not_exists') return none;
      if (isTextScore(row.field)) return { ...none, value: op === 'in' ? 'list' : 'text' };
      return { ...none, value: 'number', between: op === 'between' };
    default:
      return none;
  }
}

export function newRow(kind: Kind = 'aggregate', segments: Option[] = []): Row {
  const base = { value: '', value2: '', count: '', days: '', whereKey: '', whereValue: '' };
  switch (kind) {
    case 'trait': return { ...base, kind, field: '', op: 'equals' };
    case 'aggregate': return { ...base, kind, field: 'orders_count', op: 'gte' };
    case 'event': return { ...base, kind, field: '', op: 'at_least', count: '1' };
    case 'score': return { ...base, kind, field: 'churn_risk', op: 'equals' };
    case 'segment': return { ...base, kind, field: segments[0]?.value ?? '', op: 'member' };
    case 'consent': return { ...base, kind, field: 'email', op: 'marketing' };
  }
}

/** A row after one of its inputs changed: a new kind starts afresh, a new field or op keeps what still applies. */
export function changeRow(row: Row, patch: Partial<Row>, segments: Option[] = []): Row {
  if (patch.kind && patch.kind !== row.kind) return newRow(patch.kind, segments);
  const next = { ...row, ...patch };
  const ops = opsFor(next);
  if (!ops.some((o) => o.value === next.op)) next.op = ops[0]!.value;
  return next;
}

const NUMBER_RE = /^\s*-?(\d+\.?\d*|\.\d+)\s*$/;
const toNumber = (s: string): number | null => (NUMBER_RE.test(s) ? Number(s) : null);
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
/** A trait's "is one of": a number written as such (1, 2.5; not 007) compares as a number (1 = 1.0), the rest as text. */
const traitList = (s: string) => list(s).map((x) => (toNumber(x) !== null && String(Number(x)) === x ? Number(x) : x));
/** Event property values: numbers and booleans as such (properties are compared as JSON), the rest as text. */
function scalar(s: string): string | number | boolean {
  const t = s.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  const n = toNumber(t);
  return n === null ? t : n;
}

export type Leaf = Record<string, unknown>;

/** The row as a definition node, and what is missing (the node is still made, for the JSON view). */
export function rowToCondition(row: Row): { condition: Leaf; missing: string | null } {
  const need = inputsFor(row);
  let missing: string | null = null;
  const miss = (m: string) => (missing ??= m);
  const num = (s: string, what: string) => {
    const n = toNumber(s);
    if (n === null) miss(s.trim() ? `${what}: enter a number` : `enter ${what}`);
    return n ?? s;
  };

  if (row.kind === 'consent') {
    if (!row.field.trim()) miss('enter a channel, such as email');
    return { condition: { consent: row.field.trim(), purpose: row.op }, missing };
  }
  if (!row.field.trim()) miss(row.kind === 'trait' ? 'enter a trait name' : row.kind === 'event' ? 'enter an event name' : `choose a ${row.kind}`);

  const op = row.op === ANNIVERSARY_WITHIN ? 'anniversary_in_days' : row.op;
  const node: Leaf = { [row.kind]: row.field.trim(), op };
  if (row.op === ANNIVERSARY_WITHIN) node.within = true;
  if (need.value === 'number') {
    node.value = need.between ? [num(row.value, 'a low value'), num(row.value2, 'a high value')] : num(row.value, 'a value');
  } else if (need.value === 'list') {
    node.value = row.kind === 'trait' ? traitList(row.value) : list(row.value);
    if ((node.value as unknown[]).length === 0) miss('enter one or more values, separated by commas');
  } else if (need.value === 'text' || need.value === 'date') {
    node.value = row.value;
    if (!row.value.trim()) miss(need.value === 'date' ? 'enter a date such as 2026-03-01' : 'enter a value');
  }
  if (need.count) node.count = num(row.count, 'a number of times');
  if (need.days === 'required' || (need.days === 'optional' && row.days.trim())) node.days = num(row.days, 'a number of days');
  if (need.where && row.whereKey.trim()) node.where = { [row.whereKey.trim()]: scalar(row.whereValue) };
  return { condition: node, missing };
}

/** The definition of the rows: the single condition, or all (and) / any (or) of them. Problems are by row index. */
export function rowsToDefinition(rows: Row[], combinator: Combinator): { definition: unknown; problems: { row: number; message: string }[] } {
  const made = rows.map(rowToCondition);
  const problems = made.flatMap((m, row) => (m.missing ? [{ row, message: m.missing }] : []));
  const conditions = made.map((m) => m.condition);
  return { definition: conditions.length === 1 ? conditions[0] : { [combinator]: conditions }, problems };
}

/** Which row a definition error's path points at ("$.and[2].value" → 2), or null. */
export function rowOfPath(path: string, rowCount: number): number | null {
  if (rowCount === 1) return 0;
  const m = /^\$\.(?:and|or)\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : null;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function leafToRow(n: unknown): Row | null {
  if (!isObject(n)) return null;
  const kind = (['trait', 'aggregate', 'event', 'score', 'segment', 'consent'] as const).find((k) => k in n);
  if (!kind) return null;
  const row = newRow(kind);
  row.field = text(n[kind]);
  if (kind === 'consent') {
    row.op = text(n.purpose);
    return row;
  }
  row.op = text(n.op);
  if (kind === 'trait' && n.op === 'anniversary_in_days' && n.within) row.op = ANNIVERSARY_WITHIN;
  if (Array.isArray(n.value)) {
    if (n.op === 'between') [row.value, row.value2] = [text(n.value[0]), text(n.value[1])];
    else row.value = n.value.map(text).join(', ');
  } else {
    row.value = text(n.value);
  }
  row.count = text(n.count);
  row.days = text(n.days);
  if (n.where !== undefined) {
    if (!isObject(n.where) || Object.keys(n.where).length !== 1) return null; // the row holds one property filter
    const [k, v] = Object.entries(n.where)[0]!;
    [row.whereKey, row.whereValue] = [k, text(v)];
  }
  // Only what the row can show: anything else (unknown keys) stays in JSON.
  const { condition } = rowToCondition(row);
  return JSON.stringify(sortKeys(condition)) === JSON.stringify(sortKeys(n)) ? row : null;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

/** Rows for a definition the rows can show (one condition, or a flat and/or of conditions); null when it needs JSON. */
export function definitionToRows(def: unknown): { rows: Row[]; combinator: Combinator } | null {
  if (!isObject(def)) return null;
  for (const c of ['and', 'or'] as const) {
    if (c in def) {
      const children = def[c];
      if (Object.keys(def).length !== 1 || !Array.isArray(children) || children.length === 0) return null;
      const rows = children.map(leafToRow);
      return rows.every((r): r is Row => r !== null) ? { rows, combinator: c } : null;
    }
  }
  const row = leafToRow(def);
  return row ? { rows: [row], combinator: 'and' } : null;
}

const KEY_ORDER = ['and', 'or', 'not', 'trait', 'aggregate', 'event', 'score', 'segment', 'consent', 'op', 'purpose', 'value', 'count', 'days', 'within', 'where'];
const rank = (k: string) => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : KEY_ORDER.length);

/** The definition as indented JSON with each node's keys in reading order (the database keeps them in its own order). */
export function prettyDefinition(def: unknown): string {
  const order = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(order);
    if (!isObject(v)) return v;
    return Object.fromEntries(Object.keys(v).sort((a, b) => rank(a) - rank(b)).map((k) => [k, k === 'where' ? v[k] : order(v[k])]));
  };
  return JSON.stringify(order(def), null, 2);
}
