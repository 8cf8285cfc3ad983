// Segment compiler (pure): a definition and a clock → one parameterised SQL condition over `customers c`, and the
// indexed "crossing" queries that find the customers whose time conditions may have flipped between two runs.
//
// Rules: every value and every trait key is a parameter (the SQL text only holds column names from fixed lists);
// every leaf is two-valued (COALESCE(…, false)), so NOT of a missing trait is true, never NULL.
import { DAYS_SINCE, type AggregateNode, type Condition, type EventNode, type NumberOp, type ScoreNode, type TraitNode, parseDateValue } from './dsl.ts';

export interface Compiled {
  /** A boolean SQL expression over `customers c`; $1 is the workspace id, params are $2, $3, … */
  where: string;
  params: unknown[];
}

/** A query returning `customer_id` (text) of customers whose condition may have changed in (from, to]; $1 is the workspace. */
export interface CrossingQuery {
  reason: string;
  sql: string;
  params: unknown[];
  /**
   * Set when time passing can only take customers OUT of the segment through this condition (an "at least N in the
   * last D days" under an even number of NOTs can only turn false; "at most" and "not for" under an odd number): the
   * current members are then a superset of what this query finds. `sql` counts the rows the query would read, with
   * `params` and then a limit (the member count + 1), so the runner can re-check whichever set is smaller.
   */
  exitsOnly?: { sql: string; params: unknown[] };
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Numbered parameters after the workspace ($1); each value is cast explicitly so both backends type it alike. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length + 1}::${cast}`;
  }
}

// ---- reading traits safely: a bad value makes the leaf false, never the query fail ----
const NUM_RE = String.raw`^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d{1,3})?\s*$`;
const DATE_RE = String.raw`^[12]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?([Zz]|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?$`;
const ZONE_RE = String.raw`\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d(:?\d\d)?)$`;
const asNumber = (s: string) => `(CASE WHEN ${s} ~ '${NUM_RE}' THEN (${s})::numeric END)`;
/** A trait text → timestamptz: "YYYY-MM-DD" is that UTC day, a time without zone is UTC; invalid dates → NULL. */
const asTimestamp = (s: string) => `(CASE WHEN NOT ${s} ~ '${DATE_RE}' THEN NULL
  WHEN substr(${s}, 9, 2)::int > extract(day from make_date(substr(${s}, 1, 4)::int, substr(${s}, 6, 2)::int, 1) + interval '1 month - 1 day') THEN NULL
  WHEN ${s} ~ '${ZONE_RE}' THEN (${s})::timestamptz ELSE (${s})::timestamp AT TIME ZONE 'UTC' END)`;
const utcDate = (ts: string) => `((${ts}) AT TIME ZONE 'UTC')::date`;

const NUMBER_SQL: Record<Exclude<NumberOp, 'between'>, string> = { equals: '=', not_equals: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function numberCompare(expr: string, op: NumberOp, value: number | [number, number], p: Params, cast = 'numeric'): string {
  if (op === 'between') {
    const [lo, hi] = value as [number, number];
    return `${expr} BETWEEN ${p.add(lo, cast)} AND ${p.add(hi, cast)}`;
  }
  if (op === 'not_equals') return `NOT COALESCE(${expr} = ${p.add(value, cast)}, false)`;
  return `${expr} ${NUMBER_SQL[op]} ${p.add(value, cast)}`;
}

/**
 * "days since t" counts whole days: floor((now − t) / 24 h). Every number op on it is a range of t:
 * t ≤ now − atLeast days (at least that many days ago) and t > now − under days (fewer than that many days ago).
 */
export function daysSinceRange(op: NumberOp, value: number | [number, number]): { atLeast?: number; under?: number; negate?: boolean } {
  const n = value as number;
  switch (op) {
    case 'gte': return { atLeast: n };
    case 'gt': return { atLeast: n + 1 };
    case 'lte': return { under: n + 1 };
    case 'lt': return { under: n };
    case 'equals': return { atLeast: n, under: n + 1 };
    case 'not_equals': return { atLeast: n, under: n + 1, negate: true };
    case 'between': {
      const [lo, hi] = value as [number, number];
      return { atLeast: lo, under: hi + 1 };
    }
  }
}

/** Month-day strings ("MM-DD") whose anniversary is celebrated on the given UTC days; 29 Feb is kept on 28 Feb in non-leap years. */
export function anniversaryDays(now: Date, days: number, within: boolean): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out = new Set<string>();
  for (let i = within ? 0 : days; i <= days; i++) {
    const d = new Date(today + i * DAY);
    const md = d.toISOString().slice(5, 10);
    out.add(md);
    const y = d.getUTCFullYear();
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    if (md === '02-28' && !leap) out.add('02-29');
  }
  return [...out].sort();
}

/** The event's counter name: the event name for track, the message type otherwise (as customer_event_counters). */
const EVENT_NAME = `(CASE WHEN e.type = 'track' THEN e.name ELSE e.type END)`;

function trait(n: TraitNode, now: Date, p: Params): string {
  const k = p.add(n.trait, 'text');
  const raw = `(c.traits ->> ${k})`;
  switch (n.op) {
    case 'equals':
    case 'not_equals': {
      const eq = typeof n.value === 'number' ? `${asNumber(raw)} = ${p.add(n.value, 'numeric')}` : `${raw} = ${p.add(String(n.value), 'text')}`;
      return n.op === 'equals' ? eq : `NOT COALESCE(${eq}, false)`;
    }
    case 'contains': {
      const v = p.add(n.value, 'text');
      return `(CASE WHEN jsonb_typeof(c.traits -> ${k}) = 'array'
        THEN EXISTS (SELECT 1 FROM jsonb_array_elements_text(c.traits -> ${k}) AS x(v) WHERE x.v = ${v})
        ELSE strpos(lower(${raw}), lower(${v})) > 0 END)`;
    }
    case 'in': { // as equals: a number in the list compares as a number (1 = 1.0 = "1"), a text as text
      const texts = n.value.filter((v): v is string => typeof v === 'string');
      const numbers = n.value.filter((v): v is number => typeof v === 'number');
      const tests = [
        ...(texts.length ? [`${raw} = ANY(${p.add(texts, 'text[]')})`] : []),
        ...(numbers.length ? [`${asNumber(raw)} = ANY(${p.add(numbers.map(String), 'numeric[]')})`] : []),
      ];
      return `(${tests.join(' OR ')})`;
    }
    case 'exists': return `${raw} IS NOT NULL`;
    case 'not_exists': return `${raw} IS NULL`;
    case 'gt': case 'gte': case 'lt': case 'lte': return numberCompare(asNumber(raw), n.op, n.value, p);
    case 'before': return `${asTimestamp(raw)} < ${p.add(parseDateValue(n.value)!.toISOString(), 'timestamptz')}`;
    case 'after': return `${asTimestamp(raw)} > ${p.add(parseDateValue(n.value)!.toISOString(), 'timestamptz')}`;
    case 'within_last_days': // by UTC day: the date is today or one of the `days` days before
      return `${utcDate(asTimestamp(raw))} BETWEEN ${p.add(utcDay(now.getTime() - n.days * DAY), 'date')} AND ${p.add(utcDay(now.getTime()), 'date')}`;
    case 'anniversary_in_days':
      return `to_char(${asTimestamp(raw)} AT TIME ZONE 'UTC', 'MM-DD') = ANY(${p.add(anniversaryDays(now, n.days, n.within ?? false), 'text[]')})`;
  }
}

const AGGREGATE_SQL: Record<string, string> = {
  orders_count: 'c.orders_count',
  purchase_days: 'c.purchase_days',
  revenue_total: 'c.revenue_total',
  revenue_net: 'c.revenue_net',
  average_order_value: '(CASE WHEN c.orders_count > 0 THEN round(c.revenue_total / c.orders_count, 2) END)',
};

/** Whole-number aggregates: compared as integers when the values are whole (a numeric cast per row costs ~0.1 µs). */
const INTEGER_AGGREGATES = new Set(['orders_count', 'purchase_days']);

function aggregate(n: AggregateNode, now: Date, p: Params): string {
  const column = DAYS_SINCE[n.aggregate];
  if (!column) {
    const whole = INTEGER_AGGREGATES.has(n.aggregate) && (Array.isArray(n.value) ? n.value : [n.value]).every((v) => Number.isSafeInteger(v));
    return numberCompare(AGGREGATE_SQL[n.aggregate]!, n.op, n.value, p, whole ? 'bigint' : 'numeric');
  }
  const r = daysSinceRange(n.op, n.value);
  const parts = [`c.${column} IS NOT NULL`];
  if (r.atLeast !== undefined) parts.push(`c.${column} <= ${p.add(iso(now.getTime() - r.atLeast * DAY), 'timestamptz')}`);
  if (r.under !== undefined) parts.push(`c.${column} > ${p.add(iso(now.getTime() - r.under * DAY), 'timestamptz')}`);
  const range = parts.join(' AND ');
  return r.negate ? `NOT (${range})` : range;
}

function event(n: EventNode, now: Date, p: Params): string {
  const name = p.add(n.event, 'text');
  if (n.op === 'not_for') {
    // No counter, or the last one is older than the window (customer_event_counters: one row per customer and name).
    return `NOT EXISTS (SELECT 1 FROM customer_event_counters k WHERE k.workspace_id = $1 AND k.customer_id = c.id AND k.name = ${name}
      AND k.last_at >= ${p.add(iso(now.getTime() - n.days * DAY), 'timestamptz')})`;
  }
  const cmp = n.op === 'at_least' ? '>=' : '<=';
  let countParam: string | undefined; // added on first use: a parameter the SQL does not use has no type
  const count = () => (countParam ??= p.add(n.count, 'bigint'));
  const counter = (expr: string) =>
    `(SELECT ${expr} FROM customer_event_counters k WHERE k.workspace_id = $1 AND k.customer_id = c.id AND k.name = ${name})`;
  if (n.days === undefined && !n.where) return `COALESCE(${counter('k.count')}, 0) ${cmp} ${count()}`;

  // Counting the events stops at what decides the answer (LIMIT), on the (workspace_id, customer_id, timestamp) index.
  const since = n.days !== undefined ? p.add(iso(now.getTime() - n.days * DAY), 'timestamptz') : null;
  const events = () => {
    const limit = p.add(n.op === 'at_least' ? n.count : n.count + 1, 'bigint');
    const where = n.where ? ` AND e.properties @> ${p.add(JSON.stringify(n.where), 'jsonb')}` : '';
    return `(SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.workspace_id = $1 AND e.customer_id = c.id${since ? ` AND e.timestamp > ${since}` : ''}
      AND ${EVENT_NAME} = ${name}${where} LIMIT ${limit}) AS x) ${cmp} ${count()}`;
  };

  // The counter (count, first and last time of this name) decides most customers without reading events: no counter
  // or a last time before the window is a count of 0, a first time inside the window makes the window count the
  // counter's count; otherwise the count in the window is between `low` and `high` (the first event is outside,
  // the last inside; a where-filter can only lower it), and only a bound that does not decide reads the events.
  const answer = (k: number) => (n.op === 'at_least' ? k >= n.count : k <= n.count);
  const branches: string[] = [];
  if (since) branches.push(`WHEN k.last_at <= ${since} THEN ${answer(0)}`);
  if (since && !n.where) branches.push(`WHEN k.first_at > ${since} THEN k.count ${cmp} ${count()}`);
  const low = since && !n.where ? 1 : 0;
  const high = since && !n.where ? 'k.count - 1' : 'k.count';
  let rest: string;
  if (n.op === 'at_least') rest = low >= n.count ? 'true' : `CASE WHEN ${high} < ${count()} THEN false ELSE ${events()} END`;
  else rest = low > n.count ? 'false' : `CASE WHEN ${high} <= ${count()} THEN true ELSE ${events()} END`;
  return `COALESCE(${counter(branches.length ? `CASE ${branches.join(' ')} ELSE ${rest} END` : rest)}, ${answer(0)})`;
}

const SCORE_COLUMNS: Record<string, string> = {
  rfm_r: 'c.rfm_r', rfm_f: 'c.rfm_f', rfm_m: 'c.rfm_m', rfm_segment: 'c.rfm_segment', p_alive: 'c.p_alive', clv: 'c.clv',
  expected_purchases: 'c.expected_purchases', expected_order_value: 'c.expected_order_value', churn_risk: 'c.churn_risk',
  lifecycle_stage: 'c.lifecycle_stage',
};

function score(n: ScoreNode, p: Params): string {
  const col = SCORE_COLUMNS[n.score]!;
  switch (n.op) {
    case 'exists': return `${col} IS NOT NULL`;
    case 'not_exists': return `${col} IS NULL`;
    case 'in': return `${col} = ANY(${p.add(n.value, 'text[]')})`;
  }
  if (typeof n.value === 'string') {
    const eq = `${col} = ${p.add(n.value, 'text')}`;
    return n.op === 'equals' ? eq : `NOT COALESCE(${eq}, false)`;
  }
  // float8 scores compare as float8, exactly as scoring computed them (a numeric cast keeps 15 digits: 0.19999999999999998
  // would not be below 0.2); R, F and M are small integers
  const rfm = n.score === 'rfm_r' || n.score === 'rfm_f' || n.score === 'rfm_m';
  return numberCompare(rfm ? `${col}::numeric` : col, n.op as NumberOp, n.value as number | [number, number], p, rfm ? 'numeric' : 'float8');
}

function node(n: Condition, now: Date, p: Params): string {
  if ('and' in n) return `(${n.and.map((c) => node(c, now, p)).join(' AND ')})`;
  if ('or' in n) return `(${n.or.map((c) => node(c, now, p)).join(' OR ')})`;
  if ('not' in n) return `(NOT ${node(n.not, now, p)})`;
  return `COALESCE(${leaf(n, now, p)}, false)`;
}

function leaf(n: Exclude<Condition, { and: unknown } | { or: unknown } | { not: unknown }>, now: Date, p: Params): string {
  if ('trait' in n) return trait(n, now, p);
  if ('aggregate' in n) return aggregate(n, now, p);
  if ('event' in n) return event(n, now, p);
  if ('score' in n) return score(n, p);
  if ('segment' in n) {
    const member = `EXISTS (SELECT 1 FROM segment_members m WHERE m.workspace_id = $1 AND m.segment_id = ${p.add(n.segment, 'text')} AND m.customer_id = c.id)`;
    return n.op === 'member' ? member : `NOT ${member}`;
  }
  // consent: the latest record for this channel and purpose is in force (topic '' = the channel's own, not a topic's)
  return `(SELECT k.granted FROM consents k WHERE k.workspace_id = $1 AND k.customer_id = c.id AND k.channel = ${p.add(n.consent, 'text')}
    AND k.purpose = ${p.add(n.purpose, 'text')} AND k.topic = '' ORDER BY k.at DESC LIMIT 1)`;
}

/** Compiles a (validated) definition at time `now` to a condition on `customers c` of workspace $1. */
export function compile(def: Condition, now: Date): Compiled {
  const p = new Params();
  const where = `c.workspace_id = $1 AND ${node(def, now, p)}`;
  return { where, params: p.values };
}

type Leaf = Exclude<Condition, { and: unknown } | { or: unknown } | { not: unknown }>;

/** The leaves with their polarity: true under an even number of NOTs (the definition rises and falls with the leaf). */
function leaves(def: Condition, positive = true): { leaf: Leaf; positive: boolean }[] {
  if ('and' in def) return def.and.flatMap((c) => leaves(c, positive));
  if ('or' in def) return def.or.flatMap((c) => leaves(c, positive));
  if ('not' in def) return leaves(def.not, !positive);
  return [{ leaf: def, positive }];
}

/**
 * The customers whose time-relative conditions may have flipped between the run at `from` and the run at `to`
 * (a superset: they are re-evaluated, not trusted). Each query is a range on an indexed timestamp:
 * - days since last order / last seen: customers.(last_order_at | last_seen) in [from − k days, to − k days]
 *   for each day boundary k of the condition (index customers_last_order / customers_last_seen);
 * - days since first order: Order Completed events in that range (the first order is one of them; index events_time);
 * - "in the last D days" / "not for D days": events of that name whose timestamp left the window,
 *   timestamp in [from − D, to − D] (index events_time);
 * - trait dates (within_last_days, anniversary_in_days) change only when the UTC day changes: then one pass over the
 *   workspace's customers holding that trait, once a day (traits are JSONB without an index).
 * An event-window query that can only find exits is marked (exitsOnly), so the runner may re-check the members instead.
 */
export function crossing(def: Condition, from: Date, to: Date): CrossingQuery[] {
  if (to.getTime() <= from.getTime()) return [];
  const out = new Map<string, CrossingQuery>();
  const push = (reason: string, sql: string, params: unknown[], exitsOnly?: CrossingQuery['exitsOnly']) => {
    const key = JSON.stringify([sql, params]);
    const seen = out.get(key);
    // the same query for two leaves: it is exits-only only if it is for both
    out.set(key, { reason, sql, params, ...(exitsOnly && (!seen || seen.exitsOnly) ? { exitsOnly } : {}) });
  };
  const window = (days: number): [string, string] => [iso(from.getTime() - days * DAY), iso(to.getTime() - days * DAY)];

  for (const { leaf: n, positive } of leaves(def)) {
    if ('aggregate' in n) {
      const column = DAYS_SINCE[n.aggregate];
      if (!column) continue;
      const r = daysSinceRange(n.op, n.value);
      for (const k of [r.atLeast, r.under]) {
        if (k === undefined) continue;
        if (column === 'first_order_at') {
          push(`${n.aggregate} crossed ${k} days`,
            `SELECT DISTINCT e.customer_id::text AS customer_id FROM events e WHERE e.workspace_id = $1 AND e.timestamp BETWEEN $2::timestamptz AND $3::timestamptz
               AND e.type = 'track' AND e.name = 'Order Completed' AND e.customer_id IS NOT NULL`, window(k));
        } else {
          push(`${n.aggregate} crossed ${k} days`,
            `SELECT c.id::text AS customer_id FROM customers c WHERE c.workspace_id = $1 AND c.${column} BETWEEN $2::timestamptz AND $3::timestamptz`, window(k));
        }
      }
    } else if ('event' in n && n.days !== undefined) {
      // With no new events, the count in the window only falls as time passes: "at least" only turns false.
      const exitsOnly = (n.op === 'at_least') === positive;
      const range = `e.workspace_id = $1 AND e.timestamp BETWEEN $2::timestamptz AND $3::timestamptz`;
      push(`${n.event} events left the ${n.days}-day window`,
        `SELECT DISTINCT e.customer_id::text AS customer_id FROM events e WHERE ${range}
           AND ${EVENT_NAME} = $4::text AND e.customer_id IS NOT NULL`, [...window(n.days), n.event],
        exitsOnly ? { sql: `SELECT count(*)::int AS n FROM (SELECT 1 FROM events e WHERE ${range} LIMIT $4::int) AS x`, params: window(n.days) } : undefined);
    } else if ('trait' in n && (n.op === 'within_last_days' || n.op === 'anniversary_in_days') && utcDay(from.getTime()) !== utcDay(to.getTime())) {
      const p = new Params();
      const k = p.add(n.trait, 'text');
      const before = `COALESCE(${trait(n, from, p)}, false)`;
      const after = `COALESCE(${trait(n, to, p)}, false)`;
      push(`trait ${n.trait} ${n.op}: the UTC day changed`,
        `SELECT c.id::text AS customer_id FROM customers c WHERE c.workspace_id = $1 AND c.traits ? ${k} AND ${before} <> ${after}`, p.values);
    }
  }
  return [...out.values()];
}
