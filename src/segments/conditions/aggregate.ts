// Aggregate conditions: a number kept on the customer at ingest (orders, revenue, …) or the whole days since one of
// its times (last order, last seen, first order), which changes as time passes.
//   {"aggregate": "days_since_last_order", "op": "gt", "value": 90}
import { z } from 'zod';
import { checkOps, numberShapes, ops, show, union, type Between } from '../schema.ts';
import { daysSinceRange, numberCompare } from '../sql.ts';
import { DAY_MS, iso } from '../../time/index.ts';
import type { ConditionHandler } from './handler.ts';

export const AGGREGATES = [
  'orders_count',
  'purchase_days',
  'revenue_total',
  'revenue_net',
  'average_order_value',
  'days_since_last_order',
  'days_since_last_seen',
  'days_since_first_order',
] as const;
export type AggregateName = (typeof AGGREGATES)[number];
export type AggregateNode = { aggregate: AggregateName } & Between;

/** The days-since aggregates and the customers column each counts from. */
export const DAYS_SINCE: Partial<Record<AggregateName, 'last_order_at' | 'last_seen' | 'first_order_at'>> = {
  days_since_last_order: 'last_order_at',
  days_since_last_seen: 'last_seen',
  days_since_first_order: 'first_order_at',
};

const AGGREGATE_SQL: Partial<Record<AggregateName, string>> = {
  orders_count: 'c.orders_count',
  purchase_days: 'c.purchase_days',
  revenue_total: 'c.revenue_total',
  revenue_net: 'c.revenue_net',
  average_order_value: '(CASE WHEN c.orders_count > 0 THEN round(c.revenue_total / c.orders_count, 2) END)',
};

/** Whole-number aggregates: compared as integers when the values are whole (a numeric cast per row costs ~0.1 µs). */
const INTEGER_AGGREGATES = new Set<AggregateName>(['orders_count', 'purchase_days']);

const schemas = ops('aggregate', z.enum(AGGREGATES), numberShapes);

export const aggregate: ConditionHandler<AggregateNode> = {
  schema: union(schemas),
  check(node, path, errors) {
    if (!AGGREGATES.includes(node.aggregate as AggregateName)) {
      return void errors.push({
        path: `${path}.aggregate`,
        message: `${show(node.aggregate)} is not one of ${AGGREGATES.join(', ')}`,
      });
    }
    if (checkOps(node, path, schemas, errors) && DAYS_SINCE[node.aggregate as AggregateName]) {
      const values = Array.isArray(node.value) ? node.value : [node.value];
      if (!values.every((v) => Number.isInteger(v)))
        errors.push({ path: `${path}.value`, message: 'days are whole numbers' });
    }
  },
  compile(n, now, p) {
    const column = DAYS_SINCE[n.aggregate];
    if (!column) {
      const whole =
        INTEGER_AGGREGATES.has(n.aggregate) &&
        (Array.isArray(n.value) ? n.value : [n.value]).every((v) => Number.isSafeInteger(v));
      return numberCompare(AGGREGATE_SQL[n.aggregate]!, n.op, n.value, p, whole ? 'bigint' : 'numeric');
    }
    const r = daysSinceRange(n.op, n.value);
    const parts = [`c.${column} IS NOT NULL`];
    if (r.atLeast !== undefined)
      parts.push(`c.${column} <= ${p.add(iso(now.getTime() - r.atLeast * DAY_MS), 'timestamptz')}`);
    if (r.under !== undefined)
      parts.push(`c.${column} > ${p.add(iso(now.getTime() - r.under * DAY_MS), 'timestamptz')}`);
    const range = parts.join(' AND ');
    return r.negate ? `NOT (${range})` : range;
  },
  // Days since last order / last seen: customers.(last_order_at | last_seen) in [from − k days, to − k days] for each
  // day boundary k of the condition (index customers_last_order / customers_last_seen); days since first order:
  // Order Completed events in that range (the first order is one of them; index events_time).
  crossing(n, c) {
    const column = DAYS_SINCE[n.aggregate];
    if (!column) return;
    const r = daysSinceRange(n.op, n.value);
    for (const k of [r.atLeast, r.under]) {
      if (k === undefined) continue;
      if (column === 'first_order_at') {
        c.push(
          `${n.aggregate} crossed ${k} days`,
          `SELECT DISTINCT e.customer_id::text AS customer_id FROM events e WHERE e.workspace_id = $1 AND e.timestamp BETWEEN $2::timestamptz AND $3::timestamptz
             AND e.type = 'track' AND e.name = 'Order Completed' AND e.customer_id IS NOT NULL`,
          c.window(k),
        );
      } else {
        c.push(
          `${n.aggregate} crossed ${k} days`,
          `SELECT c.id::text AS customer_id FROM customers c WHERE c.workspace_id = $1 AND c.${column} BETWEEN $2::timestamptz AND $3::timestamptz`,
          c.window(k),
        );
      }
    }
  },
};
