// What the event log itself says a run heard: for each run, the first of its rules (an exit, a wait) that an event in
// the log meets, so no decision depends on the journey inbox having been drained first. The runner and the dispatcher
// ask this; `hears` (listen.ts) judges, the same rule as the inbox's.
import { type Queryable, bulkRows } from '../../store/index.ts';
import { hears, type Listening, type SeenEvent } from '../listen.ts';

export interface LogCheck<R extends Listening> {
  /** Whose rules these are (a run id). */
  id: string;
  ws: string;
  customerId: string;
  /** In order of precedence: when several are met, the first one wins. */
  rules: R[];
}

export interface Heard<R extends Listening> {
  rule: R;
  /** The earliest event that meets the rule. */
  event: SeenEvent;
}

/**
 * One query for the whole batch: each rule's candidate events (its customer, the event name, the time span, on the
 * (workspace, customer, timestamp) index), judged in memory.
 */
export async function heardInLog<R extends Listening>(
  tx: Queryable,
  checks: LogCheck<R>[],
): Promise<Map<string, Heard<R>>> {
  const wanted = checks.flatMap((c) =>
    c.rules.map((l, rule) => ({
      id: c.id,
      rule,
      ws: c.ws,
      customer: c.customerId,
      event: l.event,
      since: l.since,
      until: l.until ?? null,
    })),
  );
  const heard = new Map<string, Heard<R>>();
  if (!wanted.length) return heard;
  const x = bulkRows(
    {
      id: 'text',
      rule: 'int',
      ws: 'text',
      customer: 'bigint',
      event: 'text',
      since: 'timestamptz',
      until: 'timestamptz',
    },
    wanted,
    { at: 1, as: 'x' },
  );
  // each rule's candidate events: its customer's events of that name in its time span, oldest first
  const candidates = await tx.query<{
    id: string;
    rule: number;
    message_id: string;
    name: string;
    properties: unknown;
    timestamp: Date;
  }>(
    `SELECT x.id, x.rule, e.message_id, e.name, e.properties, e.timestamp
     FROM ${x.from}
     JOIN events e ON e.workspace_id = x.ws AND e.customer_id = x.customer AND e.name = x.event
       AND e.timestamp >= x.since AND (x.until IS NULL OR e.timestamp <= x.until)
     ORDER BY e.timestamp, e.message_id`,
    x.params,
  );
  const byId = new Map(checks.map((c) => [c.id, c]));
  const best = new Map<string, number>();
  for (const c of candidates) {
    const rule = byId.get(c.id)?.rules[c.rule];
    const event: SeenEvent = {
      name: c.name,
      messageId: c.message_id,
      properties: c.properties,
      at: new Date(c.timestamp),
    };
    if (!rule || !hears(rule, event)) continue;
    // Candidates come oldest first: keep the earliest event of the rule that comes first.
    if ((best.get(c.id) ?? Infinity) <= c.rule) continue;
    best.set(c.id, c.rule);
    heard.set(c.id, { rule, event });
  }
  return heard;
}
