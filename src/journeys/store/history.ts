// What journeys did: per-step counts (waiting now, passed ever), the runs of one customer with their step history, and
// the message intents written to the outbox.
import type { Queryable } from '../../store/index.ts';

export async function journeyStats(db: Queryable, ws: string, id: string) {
  const [totals] = await db.query<{
    entered: number;
    active: number;
    completed: number;
    exited: number;
    failed: number;
  }>(
    `SELECT count(*)::int AS entered, count(*) FILTER (WHERE ended_at IS NULL)::int AS active,
            count(*) FILTER (WHERE status = 'completed')::int AS completed, count(*) FILTER (WHERE status = 'exited')::int AS exited,
            count(*) FILTER (WHERE status = 'failed')::int AS failed
     FROM journey_runs WHERE workspace_id = $1 AND journey_id = $2`,
    [ws, id],
  );
  const steps = await db.query<{ stepId: string; waiting: number; passed: number }>(
    `SELECT step_id AS "stepId", sum(waiting)::int AS waiting, sum(passed)::int AS passed FROM (
       SELECT step_id, count(*) AS waiting, 0 AS passed FROM journey_runs
       WHERE workspace_id = $1 AND journey_id = $2 AND ended_at IS NULL GROUP BY step_id
       UNION ALL
       SELECT step_id, 0, count(DISTINCT run_id) FROM journey_step_log
       WHERE workspace_id = $1 AND journey_id = $2 AND outcome <> 'retry' AND type <> 'goal' GROUP BY step_id) s
     GROUP BY step_id ORDER BY step_id`,
    [ws, id],
  );
  return { ...totals!, steps };
}

/** The customer by internal id or user id. */
async function customerId(db: Queryable, ws: string, ref: string): Promise<string | null> {
  const [row] = await db.query<{ id: string }>(
    `SELECT id::text FROM customers WHERE workspace_id = $1 AND (user_id = $2 OR ($2 ~ '^[0-9]{1,18}$' AND id = $2::bigint)) ORDER BY (user_id = $2) DESC LIMIT 1`,
    [ws, ref],
  );
  return row?.id ?? null;
}

export async function customerRuns(
  db: Queryable,
  ws: string,
  opts: { journeyId?: string; customer: string; limit?: number },
) {
  const id = await customerId(db, ws, opts.customer);
  if (!id) return null;
  const runs = await db.query<{
    id: string;
    journeyId: string;
    version: number;
    customerId: string;
    userId: string | null;
    entryKey: string;
    status: string;
    stepId: string;
    wakeAt: Date | null;
    startedAt: Date;
    endedAt: Date | null;
  }>(
    `SELECT r.id::text, r.journey_id AS "journeyId", r.version, r.customer_id::text AS "customerId", c.user_id AS "userId", r.entry_key AS "entryKey",
            r.status, r.step_id AS "stepId", r.wake_at AS "wakeAt", r.started_at AS "startedAt", r.ended_at AS "endedAt"
     FROM journey_runs r JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
     WHERE r.workspace_id = $1 AND r.customer_id = $2 AND ($3::text IS NULL OR r.journey_id = $3)
     ORDER BY r.started_at DESC, r.id DESC LIMIT $4`,
    [ws, id, opts.journeyId ?? null, opts.limit ?? 50],
  );
  const logs = runs.length
    ? await db.query<{
        runId: string;
        seq: number;
        stepId: string;
        type: string;
        outcome: string;
        detail: unknown;
        at: Date;
      }>(
        `SELECT run_id::text AS "runId", seq, step_id AS "stepId", type, outcome, detail, at FROM journey_step_log
         WHERE run_id = ANY($1::bigint[]) ORDER BY run_id, seq`,
        [runs.map((r) => r.id)],
      )
    : [];
  return runs.map((r) => ({
    ...r,
    history: logs
      .filter((l) => l.runId === r.id)
      .map(({ stepId, type, outcome, detail, at }) => ({ stepId, type, outcome, detail, at })),
  }));
}

/**
 * Message intents, newest first, with why one is not sent (yet): its reason code, the detail in words and when; a
 * deferred one's next try (notBefore) and when it expires. For one customer (by id or user id) on its own index.
 */
export async function listIntents(
  db: Queryable,
  ws: string,
  opts: { customer?: string; journeyId?: string; limit: number },
) {
  const id = opts.customer === undefined ? null : await customerId(db, ws, opts.customer);
  if (opts.customer !== undefined && !id) return [];
  return db.query(
    `SELECT m.id::text, m.message_key AS "messageKey", m.customer_id::text AS "customerId", c.user_id AS "userId", m.journey_id AS "journeyId",
            m.journey_version AS "journeyVersion", m.step_id AS "stepId", m.purpose, m.template, m.channel, m.params, m.context, m.status, m.created_at AS "createdAt",
            m.reason, m.reason_detail AS "reasonDetail", m.reason_at AS "reasonAt", m.not_before AS "notBefore", m.expires_at AS "expiresAt",
            m.decided_at AS "decidedAt"
     FROM message_intents m LEFT JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id
     WHERE m.workspace_id = $1 AND ($2::bigint IS NULL OR m.customer_id = $2) AND ($3::text IS NULL OR m.journey_id = $3)
     ORDER BY m.id DESC LIMIT $4`,
    [ws, id, opts.journeyId ?? null, opts.limit],
  );
}
