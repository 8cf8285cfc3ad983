// Segment compiler (pure): a definition and a clock → one parameterised SQL condition over `customers c`, and the
// indexed "crossing" queries that find the customers whose time conditions may have flipped between two runs.
// What each leaf kind compiles to is its handler's (./conditions/); this file combines them.
//
// Rules: every value and every trait key is a parameter (the SQL text only holds column names from fixed lists);
// every leaf is two-valued (COALESCE(…, false)), so NOT of a missing trait is true, never NULL.
import type { Condition } from './dsl.ts';
import { handlerOf, type CrossingQuery, type Leaf } from './conditions/index.ts';
import { Params } from './sql.ts';
import { DAY_MS, iso } from '../time/index.ts';

export { anniversaryDays, daysSinceRange } from './sql.ts';
export type { CrossingQuery } from './conditions/index.ts';

export interface Compiled {
  /** A boolean SQL expression over `customers c`; $1 is the workspace id, params are $2, $3, … */
  where: string;
  params: unknown[];
}

function node(n: Condition, now: Date, p: Params): string {
  if ('and' in n) return `(${n.and.map((c) => node(c, now, p)).join(' AND ')})`;
  if ('or' in n) return `(${n.or.map((c) => node(c, now, p)).join(' OR ')})`;
  if ('not' in n) return `(NOT ${node(n.not, now, p)})`;
  return `COALESCE(${handlerOf(n).compile(n, now, p)}, false)`;
}

/** Compiles a (validated) definition at time `now` to a condition on `customers c` of workspace $1. */
export function compile(def: Condition, now: Date): Compiled {
  const p = new Params();
  const where = `c.workspace_id = $1 AND ${node(def, now, p)}`;
  return { where, params: p.values };
}

/** The leaves with their polarity: true under an even number of NOTs (the definition rises and falls with the leaf). */
function leaves(def: Condition, positive = true): { leaf: Leaf; positive: boolean }[] {
  if ('and' in def) return def.and.flatMap((c) => leaves(c, positive));
  if ('or' in def) return def.or.flatMap((c) => leaves(c, positive));
  if ('not' in def) return leaves(def.not, !positive);
  return [{ leaf: def, positive }];
}

/**
 * The customers whose time-relative conditions may have flipped between the run at `from` and the run at `to`
 * (a superset: they are re-evaluated, not trusted): each leaf's handler adds its queries, each a range on an indexed
 * timestamp (see the handlers' `crossing`). The same query for two leaves is asked once. An event-window query that
 * can only find exits is marked (exitsOnly), so the runner may re-check the members instead.
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
  const window = (days: number): [string, string] => [
    iso(from.getTime() - days * DAY_MS),
    iso(to.getTime() - days * DAY_MS),
  ];
  for (const { leaf, positive } of leaves(def)) handlerOf(leaf).crossing?.(leaf, { from, to, positive, window, push });
  return [...out.values()];
}
