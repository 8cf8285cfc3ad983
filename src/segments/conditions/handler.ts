// What every segment condition kind provides (pure): one record per kind, kept in ./index.ts.
import type { z } from 'zod';
import type { DefinitionError } from '../schema.ts';
import type { Params } from '../sql.ts';
import type { ScoreName } from '../../scores/index.ts';

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

/** What a condition's crossing queries are built for: two runs' clocks, and where to put each query. */
export interface Crossings {
  from: Date;
  to: Date;
  /** True under an even number of NOTs: the definition rises and falls with the condition. */
  positive: boolean;
  /** [from − days, to − days] as ISO times: where a timestamp that crossed a `days`-day boundary lies. */
  window(days: number): [string, string];
  push(reason: string, sql: string, params: unknown[], exitsOnly?: CrossingQuery['exitsOnly']): void;
}

/** What a condition depends on: the segments it refers to, the scores and the event names it reads. */
export interface Reads {
  segments?: string[];
  scores?: ScoreName[];
  events?: string[];
}

export interface ConditionHandler<N> {
  /** The node's zod schema (the whole language's schema is the union of these, for OpenAPI and typing). */
  schema: z.ZodType;
  /** Validates a node that holds this kind's key, adding each error with the JSON path of the bad field below `path`. */
  check(node: Record<string, unknown>, path: string, errors: DefinitionError[]): void;
  /** A boolean SQL expression over `customers c` of workspace $1 at `now`; NULL is read as false (the compiler wraps it). */
  compile(n: N, now: Date, p: Params): string;
  /**
   * The indexed queries finding the customers whose condition may have flipped between the runs at c.from and c.to
   * (a superset: they are re-evaluated, not trusted). Absent when only a change of the customer can flip it (which
   * customer_changes records).
   */
  crossing?(n: N, c: Crossings): void;
  /** Its dependencies; absent when it reads none of them. */
  reads?(n: N): Reads;
}
