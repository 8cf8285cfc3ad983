// Event conditions: how often the customer did something (all time, or in the last N days, optionally only events
// whose properties contain some values), or that they have not done it for N days.
//   {"event": "Product Viewed", "op": "at_least", "count": 3, "days": 30}   {"event": "Cart Viewed", "op": "not_for", "days": 14}
import { z } from 'zod';
import { checkOps, days, key, ops, scalar, union, type Scalar } from '../schema.ts';
import { EVENT_NAME } from '../sql.ts';
import { DAY_MS, iso } from '../../time/index.ts';
import type { ConditionHandler } from './handler.ts';

export type EventNode = { event: string } & (
  | { op: 'at_least' | 'at_most'; count: number; days?: number; where?: Record<string, Scalar> }
  | { op: 'not_for'; days: number }
);

const countShape = {
  count: z.number().int().min(0).max(1_000_000),
  /** Only events in the last `days` days; without it, all time. */
  days: days.optional(),
  /** Only events whose properties contain these values (JSON containment: 30 ≠ "30"). */
  where: z.record(z.string().min(1).max(200), scalar).optional(),
};
const schemas = ops('event', key, { at_least: countShape, at_most: countShape, not_for: { days } });

export const event: ConditionHandler<EventNode> = {
  schema: union(schemas),
  check: (node, path, errors) => void checkOps(node, path, schemas, errors),
  compile(n, now, p) {
    const name = p.add(n.event, 'text');
    if (n.op === 'not_for') {
      // No counter, or the last one is older than the window (customer_event_counters: one row per customer and name).
      return `NOT EXISTS (SELECT 1 FROM customer_event_counters k WHERE k.workspace_id = $1 AND k.customer_id = c.id AND k.name = ${name}
      AND k.last_at >= ${p.add(iso(now.getTime() - n.days * DAY_MS), 'timestamptz')})`;
    }
    const cmp = n.op === 'at_least' ? '>=' : '<=';
    let countParam: string | undefined; // added on first use: a parameter the SQL does not use has no type
    const count = () => (countParam ??= p.add(n.count, 'bigint'));
    const counter = (expr: string) =>
      `(SELECT ${expr} FROM customer_event_counters k WHERE k.workspace_id = $1 AND k.customer_id = c.id AND k.name = ${name})`;
    if (n.days === undefined && !n.where) return `COALESCE(${counter('k.count')}, 0) ${cmp} ${count()}`;

    // Counting the events stops at what decides the answer (LIMIT), on the (workspace_id, customer_id, timestamp) index.
    const since = n.days !== undefined ? p.add(iso(now.getTime() - n.days * DAY_MS), 'timestamptz') : null;
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
    if (n.op === 'at_least')
      rest = low >= n.count ? 'true' : `CASE WHEN ${high} < ${count()} THEN false ELSE ${events()} END`;
    else rest = low > n.count ? 'false' : `CASE WHEN ${high} <= ${count()} THEN true ELSE ${events()} END`;
    return `COALESCE(${counter(branches.length ? `CASE ${branches.join(' ')} ELSE ${rest} END` : rest)}, ${answer(0)})`;
  },
  // "In the last D days" / "not for D days": events of that name whose timestamp left the window, timestamp in
  // [from − D, to − D] (index events_time). With no new events, the count in the window only falls as time passes:
  // "at least" only turns false, so under an even number of NOTs the query can only find exits (exitsOnly).
  crossing(n, c) {
    if (n.days === undefined) return;
    const exitsOnly = (n.op === 'at_least') === c.positive;
    const range = `e.workspace_id = $1 AND e.timestamp BETWEEN $2::timestamptz AND $3::timestamptz`;
    c.push(
      `${n.event} events left the ${n.days}-day window`,
      `SELECT DISTINCT e.customer_id::text AS customer_id FROM events e WHERE ${range}
         AND ${EVENT_NAME} = $4::text AND e.customer_id IS NOT NULL`,
      [...c.window(n.days), n.event],
      exitsOnly
        ? {
            sql: `SELECT count(*)::int AS n FROM (SELECT 1 FROM events e WHERE ${range} LIMIT $4::int) AS x`,
            params: c.window(n.days),
          }
        : undefined,
    );
  },
  reads: (n) => ({ events: [n.event] }),
};
