// Trait conditions: a value in the customer's traits (JSONB), compared as text, number or date; date traits also by
// "within the last N days" and "anniversary in N days", which change with the UTC day.
//   {"trait": "plan", "op": "equals", "value": "gold"}   {"trait": "birthday", "op": "anniversary_in_days", "days": 7}
import { z } from 'zod';
import { assertNever } from '../../lib/index.ts';
import { checkOps, dateValue, key, ops, parseDateValue, scalar, union, wholeDays, type Scalar } from '../schema.ts';
import { anniversaryDays, asNumber, asTimestamp, numberCompare, utcDate, Params } from '../sql.ts';
import { DAY_MS, utcDay } from '../../time/index.ts';
import type { ConditionHandler } from './handler.ts';

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

const schemas = ops('trait', key, {
  equals: { value: scalar },
  not_equals: { value: scalar },
  contains: { value: z.string().min(1).max(1000) },
  in: {
    value: z
      .array(z.union([z.string().max(1000), z.number()]))
      .min(1)
      .max(1000),
  },
  exists: {},
  not_exists: {},
  gt: { value: z.number() },
  gte: { value: z.number() },
  lt: { value: z.number() },
  lte: { value: z.number() },
  before: { value: dateValue },
  after: { value: dateValue },
  within_last_days: { days: wholeDays },
  // The anniversary (same month and day) falls exactly `days` days from today (UTC), or within them with `within`.
  anniversary_in_days: { days: z.number().int().min(0).max(366), within: z.boolean().optional() },
});

function compile(n: TraitNode, now: Date, p: Params): string {
  const k = p.add(n.trait, 'text');
  const raw = `(c.traits ->> ${k})`;
  switch (n.op) {
    case 'equals':
    case 'not_equals': {
      const eq =
        typeof n.value === 'number'
          ? `${asNumber(raw)} = ${p.add(n.value, 'numeric')}`
          : `${raw} = ${p.add(String(n.value), 'text')}`;
      return n.op === 'equals' ? eq : `NOT COALESCE(${eq}, false)`;
    }
    case 'contains': {
      const v = p.add(n.value, 'text');
      return `(CASE WHEN jsonb_typeof(c.traits -> ${k}) = 'array'
        THEN EXISTS (SELECT 1 FROM jsonb_array_elements_text(c.traits -> ${k}) AS x(v) WHERE x.v = ${v})
        ELSE strpos(lower(${raw}), lower(${v})) > 0 END)`;
    }
    case 'in': {
      // as equals: a number in the list compares as a number (1 = 1.0 = "1"), a text as text
      const texts = n.value.filter((v): v is string => typeof v === 'string');
      const numbers = n.value.filter((v): v is number => typeof v === 'number');
      const tests = [
        ...(texts.length ? [`${raw} = ANY(${p.add(texts, 'text[]')})`] : []),
        ...(numbers.length ? [`${asNumber(raw)} = ANY(${p.add(numbers.map(String), 'numeric[]')})`] : []),
      ];
      return `(${tests.join(' OR ')})`;
    }
    case 'exists':
      return `${raw} IS NOT NULL`;
    case 'not_exists':
      return `${raw} IS NULL`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return numberCompare(asNumber(raw), n.op, n.value, p);
    case 'before':
      return `${asTimestamp(raw)} < ${p.add(parseDateValue(n.value)!.toISOString(), 'timestamptz')}`;
    case 'after':
      return `${asTimestamp(raw)} > ${p.add(parseDateValue(n.value)!.toISOString(), 'timestamptz')}`;
    case 'within_last_days': // by UTC day: the date is today or one of the `days` days before
      return `${utcDate(asTimestamp(raw))} BETWEEN ${p.add(utcDay(now.getTime() - n.days * DAY_MS), 'date')} AND ${p.add(utcDay(now.getTime()), 'date')}`;
    case 'anniversary_in_days':
      return `to_char(${asTimestamp(raw)} AT TIME ZONE 'UTC', 'MM-DD') = ANY(${p.add(anniversaryDays(now, n.days, n.within ?? false), 'text[]')})`;
    default:
      return assertNever(n, 'trait op');
  }
}

export const trait: ConditionHandler<TraitNode> = {
  schema: union(schemas),
  check: (node, path, errors) => void checkOps(node, path, schemas, errors),
  compile,
  // Trait dates change only when the UTC day changes: then one pass over the workspace's customers holding that
  // trait, once a day (traits are JSONB without an index).
  crossing(n, c) {
    if (
      (n.op !== 'within_last_days' && n.op !== 'anniversary_in_days') ||
      utcDay(c.from.getTime()) === utcDay(c.to.getTime())
    )
      return;
    const p = new Params();
    const k = p.add(n.trait, 'text');
    const before = `COALESCE(${compile(n, c.from, p)}, false)`;
    const after = `COALESCE(${compile(n, c.to, p)}, false)`;
    c.push(
      `trait ${n.trait} ${n.op}: the UTC day changed`,
      `SELECT c.id::text AS customer_id FROM customers c WHERE c.workspace_id = $1 AND c.traits ? ${k} AND ${before} <> ${after}`,
      p.values,
    );
  },
};
