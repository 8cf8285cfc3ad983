// What was not sent, beside what was (GET /api/v1/analytics/messages, `outcomes`): messages deferred (counted once, at
// their first deferral: quiet hours, a cap), skipped by reason and expired (at the decision), per row of the report and
// in total. From message_intents on message_intents_deferred and message_intents_outcomes (017). A message never handed
// over has no channel or locale yet: by channel, only journeys' fixed channels have rows; by variant, only the totals.
import type { Queryable } from '../../store/index.ts';
import type { OutcomeReason } from '../types.ts';
import type { Dimension } from './query.ts';

export interface OutcomeCounts {
  /** Messages held at least once by quiet hours or a cap (most go later). */
  deferred: number;
  /** Messages that will never go, expired ones apart, with the count per reason. */
  skipped: number;
  skippedByReason: Partial<Record<OutcomeReason, number>>;
  /** Held past their validity: dropped rather than sent late. */
  expired: number;
}

export interface OutcomeRow extends OutcomeCounts {
  /** The key of the report's row it belongs to (day, journey, journey/step, template or channel). */
  key: string;
}

export interface Outcomes {
  rows: OutcomeRow[];
  totals: OutcomeCounts;
}

/** The row key of each dimension as SQL over message_intents i (fixed text, never built from input); null = no rows. */
const KEY: Record<Dimension, string | null> = {
  day: "to_char(d.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
  journey: "COALESCE(d.journey_id, '')",
  step: "CASE WHEN d.journey_id IS NULL THEN '' ELSE d.journey_id || '/' || COALESCE(d.step_id, '') END",
  template: "COALESCE(d.template, '')",
  channel: "COALESCE(d.channel, '')",
  variant: null,
};

const zero = (): OutcomeCounts => ({ deferred: 0, skipped: 0, skippedByReason: {}, expired: 0 });

function add(c: OutcomeCounts, kind: 'deferred' | 'skipped' | 'expired', reason: OutcomeReason | null, n: number) {
  c[kind] += n;
  if (kind === 'skipped' && reason) c.skippedByReason[reason] = (c.skippedByReason[reason] ?? 0) + n;
}

/** Outcomes of the messages whose deferral or decision falls in [from, until). */
export async function notSentCounts(
  db: Queryable,
  ws: string,
  by: Dimension,
  w: { from: Date; until: Date },
): Promise<Outcomes> {
  const key = KEY[by] ?? "''";
  const counted = await db.query<{
    key: string;
    kind: 'deferred' | 'skipped' | 'expired';
    reason: OutcomeReason | null;
    n: number;
  }>(
    `WITH d AS (
       SELECT i.journey_id, i.step_id, i.template, i.channel ->> 'fixed' AS channel, i.deferred_at AS at, 'deferred' AS kind, NULL::text AS reason
       FROM message_intents i WHERE i.workspace_id = $1 AND i.deferred_at >= $2 AND i.deferred_at < $3
       UNION ALL
       SELECT i.journey_id, i.step_id, i.template, i.channel ->> 'fixed', i.reason_at, CASE WHEN i.reason = 'expired' THEN 'expired' ELSE 'skipped' END, i.reason
       FROM message_intents i WHERE i.workspace_id = $1 AND i.reason IS NOT NULL AND i.status = 'skipped' AND i.reason_at >= $2 AND i.reason_at < $3
     )
     SELECT ${key} AS key, d.kind, d.reason, count(*)::int AS n FROM d GROUP BY 1, 2, 3`,
    [ws, w.from, w.until],
  );
  const rows = new Map<string, OutcomeRow>();
  const totals = zero();
  for (const c of counted) {
    add(totals, c.kind, c.reason, c.n);
    if (KEY[by] === null) continue;
    const row = rows.get(c.key) ?? { key: c.key, ...zero() };
    add(row, c.kind, c.reason, c.n);
    rows.set(c.key, row);
  }
  return { rows: [...rows.values()].sort((a, b) => a.key.localeCompare(b.key)), totals };
}
