// Segment builder model (pure): editable condition rows ↔ the JSON definition language of /api/v1/segments.
import { SCORES, type ScoreDescriptor, type ScoreName } from '../../src/scores/descriptor.ts';

import { t } from './i18n';

export type Kind = 'trait' | 'aggregate' | 'event' | 'score' | 'segment' | 'consent' | 'points' | 'tier';
export type Combinator = 'and' | 'or';

/** One condition as the builder edits it: every input is text until it becomes a definition. */
export interface Row {
  kind: Kind;
  /** Trait key, aggregate, event name, score, segment id, consent channel, points balance or tier ("current"). */
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

/** An option whose label is read in the dashboard's language when shown. */
function opt(value: string, label: () => string): Option {
  return {
    value,
    get label() {
      return label();
    },
  };
}

export const KINDS: Option[] = [
  opt('aggregate', () => t('segment.kind.aggregate')),
  opt('trait', () => t('segment.kind.trait')),
  opt('event', () => t('segment.kind.event')),
  opt('score', () => t('segment.kind.score')),
  opt('segment', () => t('segment.kind.segment')),
  opt('consent', () => t('segment.kind.consent')),
  opt('points', () => t('loyalty.segment.points')),
  opt('tier', () => t('loyalty.segment.tier')),
];

/** The loyalty balances a points condition compares (src/segments/conditions/points.ts). */
export const POINT_BALANCES: Option[] = [
  opt('available', () => t('loyalty.segment.available')),
  opt('pending', () => t('loyalty.segment.pending')),
];
/** A tier condition tests the customer's current tier (src/segments/conditions/tier.ts). */
export const TIER_FIELDS: Option[] = [opt('current', () => t('loyalty.segment.currentTier'))];

export const AGGREGATES: Option[] = [
  opt('orders_count', () => t('segment.field.ordersCount')),
  opt('purchase_days', () => t('segment.field.purchaseDays')),
  opt('revenue_total', () => t('segment.field.revenueTotal')),
  opt('revenue_net', () => t('segment.field.revenueNet')),
  opt('average_order_value', () => t('segment.field.aov')),
  opt('days_since_last_order', () => t('segment.field.daysSinceLastOrder')),
  opt('days_since_last_seen', () => t('segment.field.daysSinceLastSeen')),
  opt('days_since_first_order', () => t('segment.field.daysSinceFirstOrder')),
];

/** The words of each score in the chosen language: a score added to the descriptor without words here does not compile. */
const SCORE_WORDS: Record<ScoreName, () => string> = {
  rfm_r: () => t('segment.field.rfmR'),
  rfm_f: () => t('segment.field.rfmF'),
  rfm_m: () => t('segment.field.rfmM'),
  p_alive: () => 'P(alive)',
  clv: () => 'CLV',
  expected_purchases: () => t('segment.field.expectedPurchases'),
  expected_order_value: () => t('segment.field.expectedOrderValue'),
  rfm_segment: () => t('segment.field.rfmSegment'),
  churn_risk: () => t('segment.field.churnRisk'),
  lifecycle_stage: () => t('segment.field.lifecycleStage'),
};
const SCORE_HINT_WORDS: Partial<Record<ScoreName, () => string>> = {
  churn_risk: () => t('segment.hint.churnRisk'),
  lifecycle_stage: () => t('segment.hint.lifecycleStage'),
  rfm_segment: () => t('segment.hint.rfmSegment'),
};

/** The scores a condition can test, from the one descriptor of scores (src/scores/descriptor.ts). */
const scoreOptions = (type: 'number' | 'text'): Option[] =>
  (SCORES as readonly ScoreDescriptor[])
    .filter((s) => s.filterable && s.type === type)
    .map((s) => opt(s.name, SCORE_WORDS[s.name as ScoreName]));
export const NUMBER_SCORES: Option[] = scoreOptions('number');
export const TEXT_SCORES: Option[] = scoreOptions('text');
export const SCORE_HINTS: Record<string, () => string> = Object.fromEntries(
  SCORES.flatMap((s) => ('hint' in s && SCORE_HINT_WORDS[s.name] ? [[s.name, SCORE_HINT_WORDS[s.name]!]] : [])),
);

const NUMBER_OPS: Option[] = [
  opt('equals', () => '='),
  opt('not_equals', () => '≠'),
  opt('gt', () => '>'),
  opt('gte', () => '≥'),
  opt('lt', () => '<'),
  opt('lte', () => '≤'),
  opt('between', () => t('segment.op.between')),
];
const PRESENCE_OPS: Option[] = [
  opt('exists', () => t('segment.op.exists')),
  opt('not_exists', () => t('segment.op.notExists')),
];

/** The builder's own op for "anniversary within N days" (anniversary_in_days with within: true). */
const ANNIVERSARY_WITHIN = 'anniversary_within_days';

const TRAIT_OPS: Option[] = [
  opt('equals', () => t('segment.op.equals')),
  opt('not_equals', () => t('segment.op.notEquals')),
  opt('contains', () => t('segment.op.contains')),
  opt('in', () => t('segment.op.in')),
  ...PRESENCE_OPS,
  opt('gt', () => '>'),
  opt('gte', () => '≥'),
  opt('lt', () => '<'),
  opt('lte', () => '≤'),
  opt('before', () => t('segment.op.before')),
  opt('after', () => t('segment.op.after')),
  opt('within_last_days', () => t('segment.op.withinLastDays')),
  opt('anniversary_in_days', () => t('segment.op.anniversaryIn')),
  opt(ANNIVERSARY_WITHIN, () => t('segment.op.anniversaryWithin')),
];
const EVENT_OPS: Option[] = [
  opt('at_least', () => t('segment.op.atLeast')),
  opt('at_most', () => t('segment.op.atMost')),
  opt('not_for', () => t('segment.op.notFor')),
];
const TEXT_SCORE_OPS: Option[] = [
  opt('equals', () => t('segment.op.equals')),
  opt('not_equals', () => t('segment.op.notEquals')),
  opt('in', () => t('segment.op.in')),
  ...PRESENCE_OPS,
];
const SEGMENT_OPS: Option[] = [
  opt('member', () => t('segment.op.member')),
  opt('not_member', () => t('segment.op.notMember')),
];
export const PURPOSES: Option[] = [
  opt('marketing', () => t('segment.purpose.marketing')),
  opt('transactional', () => t('segment.purpose.transactional')),
];

const isTextScore = (score: string) => TEXT_SCORES.some((s) => s.value === score);

export function opsFor(row: Row): Option[] {
  switch (row.kind) {
    case 'trait':
      return TRAIT_OPS;
    case 'aggregate':
      return NUMBER_OPS;
    case 'points':
      return NUMBER_OPS;
    case 'tier':
      return TEXT_SCORE_OPS;
    case 'event':
      return EVENT_OPS;
    case 'score':
      return isTextScore(row.field) ? TEXT_SCORE_OPS : [...NUMBER_OPS, ...PRESENCE_OPS];
    case 'segment':
      return SEGMENT_OPS;
    case 'consent':
      return PURPOSES;
  }
}

/** What the row needs besides field and op. */
export function inputsFor(row: Row): {
  value: 'text' | 'number' | 'list' | 'date' | null;
  between: boolean;
  count: boolean;
  days: 'required' | 'optional' | null;
  where: boolean;
} {
  const none = { value: null, between: false, count: false, days: null, where: false } as const;
  const op = row.op;
  switch (row.kind) {
    case 'trait':
      if (op === 'exists' || op === 'not_exists') return none;
      if (op === 'within_last_days' || op === 'anniversary_in_days' || op === ANNIVERSARY_WITHIN)
        return { ...none, days: 'required' };
      if (op === 'in') return { ...none, value: 'list' };
      if (op === 'before' || op === 'after') return { ...none, value: 'date' };
      if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') return { ...none, value: 'number' };
      return { ...none, value: 'text' };
    case 'aggregate':
    case 'points':
      return { ...none, value: 'number', between: op === 'between' };
    case 'tier':
      if (op === 'exists' || op === 'not_exists') return none;
      return { ...none, value: op === 'in' ? 'list' : 'text' };
    case 'event':
      if (op === 'not_for') return { ...none, days: 'required' };
      return { ...none, count: true, days: 'optional', where: true };
    case 'score':
      if (op === 'exists' || op === 'not_exists') return none;
      if (isTextScore(row.field)) return { ...none, value: op === 'in' ? 'list' : 'text' };
      return { ...none, value: 'number', between: op === 'between' };
    case 'segment':
    case 'consent':
      return none;
  }
}

export function newRow(kind: Kind = 'aggregate', segments: Option[] = []): Row {
  const base = { value: '', value2: '', count: '', days: '', whereKey: '', whereValue: '' };
  switch (kind) {
    case 'trait':
      return { ...base, kind, field: '', op: 'equals' };
    case 'aggregate':
      return { ...base, kind, field: 'orders_count', op: 'gte' };
    case 'event':
      return { ...base, kind, field: '', op: 'at_least', count: '1' };
    case 'points':
      return { ...base, kind, field: 'available', op: 'gte' };
    case 'tier':
      return { ...base, kind, field: 'current', op: 'equals' };
    case 'score':
      return { ...base, kind, field: 'churn_risk', op: 'equals' };
    case 'segment':
      return { ...base, kind, field: segments[0]?.value ?? '', op: 'member' };
    case 'consent':
      return { ...base, kind, field: 'email', op: 'marketing' };
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
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
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
  const num = (s: string, what: () => string) => {
    const n = toNumber(s);
    if (n === null)
      miss(s.trim() ? t('segment.missing.notNumber', { what: what() }) : t('segment.missing.enter', { what: what() }));
    return n ?? s;
  };

  if (row.kind === 'consent') {
    if (!row.field.trim()) miss(t('segment.missing.channel'));
    return { condition: { consent: row.field.trim(), purpose: row.op }, missing };
  }
  if (!row.field.trim())
    miss(
      row.kind === 'trait'
        ? t('segment.missing.trait')
        : row.kind === 'event'
          ? t('segment.missing.event')
          : row.kind === 'segment'
            ? t('segment.missing.segment')
            : t('segment.missing.score'),
    );

  const op = row.op === ANNIVERSARY_WITHIN ? 'anniversary_in_days' : row.op;
  const node: Leaf = { [row.kind]: row.field.trim(), op };
  if (row.op === ANNIVERSARY_WITHIN) node.within = true;
  if (need.value === 'number') {
    node.value = need.between
      ? [num(row.value, () => t('segment.what.low')), num(row.value2, () => t('segment.what.high'))]
      : num(row.value, () => t('segment.what.value'));
  } else if (need.value === 'list') {
    node.value = row.kind === 'trait' ? traitList(row.value) : list(row.value);
    if ((node.value as unknown[]).length === 0) miss(t('segment.missing.list'));
  } else if (need.value === 'text' || need.value === 'date') {
    node.value = row.value;
    if (!row.value.trim()) miss(need.value === 'date' ? t('segment.missing.date') : t('segment.missing.value'));
  }
  if (need.count) node.count = num(row.count, () => t('segment.what.times'));
  if (need.days === 'required' || (need.days === 'optional' && row.days.trim()))
    node.days = num(row.days, () => t('segment.what.days'));
  if (need.where && row.whereKey.trim()) node.where = { [row.whereKey.trim()]: scalar(row.whereValue) };
  return { condition: node, missing };
}

/** The definition of the rows: the single condition, or all (and) / any (or) of them. Problems are by row index. */
export function rowsToDefinition(
  rows: Row[],
  combinator: Combinator,
): { definition: unknown; problems: { row: number; message: string }[] } {
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
  const kind = (['trait', 'aggregate', 'event', 'score', 'segment', 'consent', 'points', 'tier'] as const).find(
    (k) => k in n,
  );
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
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
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

const KEY_ORDER = [
  'and',
  'or',
  'not',
  'trait',
  'aggregate',
  'event',
  'score',
  'segment',
  'consent',
  'points',
  'tier',
  'op',
  'purpose',
  'value',
  'count',
  'days',
  'within',
  'where',
];
const rank = (k: string) => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : KEY_ORDER.length);

/** The definition as indented JSON with each node's keys in reading order (the database keeps them in its own order). */
export function prettyDefinition(def: unknown): string {
  const order = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(order);
    if (!isObject(v)) return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort((a, b) => rank(a) - rank(b))
        .map((k) => [k, k === 'where' ? v[k] : order(v[k])]),
    );
  };
  return JSON.stringify(order(def), null, 2);
}
