// The last look before a journey's message is handed over: has its run's goal been reached, or has the customer left
// the trigger segment, since the message was written? Judged from the event log by the journeys' own rules (listen.ts),
// so a message held by quiet hours, a cap or a retry never goes out after the customer did what the journey waited for,
// even when the journey inbox has not been drained or the journey was paused meanwhile.
import type { Queryable } from '../../store/index.ts';
import {
  exitDetail,
  exitsOf,
  type ExitReason,
  heardInLog,
  definitionKey,
  loadDefinitions,
  type RunContext,
} from '../../journeys/index.ts';
import type { IntentRow } from './facts.ts';

/** Intent id → why its run is over. Runs are read without locks: the inbox, which locks runs, may be cancelling them. */
export async function exitedRuns(
  tx: Queryable,
  intents: IntentRow[],
): Promise<Map<string, { reason: ExitReason; detail: string }>> {
  const out = new Map<string, { reason: ExitReason; detail: string }>();
  const withRun = intents.filter((i) => i.run_id !== null);
  if (!withRun.length) return out;
  const runs = await tx.query<{
    id: string;
    workspace_id: string;
    journey_id: string;
    version: number;
    customer_id: string;
    entry_key: string;
    context: RunContext;
  }>(
    `SELECT id::text, workspace_id, journey_id, version, customer_id::text, entry_key, context FROM journey_runs WHERE id = ANY($1::bigint[])`,
    [[...new Set(withRun.map((i) => i.run_id!))]],
  );
  const defs = await loadDefinitions(
    tx,
    runs.map((r) => ({ ws: r.workspace_id, journeyId: r.journey_id, version: r.version })),
  );
  const heard = await heardInLog(
    tx,
    runs.map((r) => ({
      id: r.id,
      ws: r.workspace_id,
      customerId: r.customer_id,
      rules: exitsOf(defs.get(definitionKey(r.workspace_id, r.journey_id, r.version))!, {
        entryKey: r.entry_key,
        context: r.context,
      }),
    })),
  );
  for (const i of withRun) {
    const h = heard.get(i.run_id!);
    if (h) out.set(i.id, { reason: h.rule.reason, detail: exitDetail(h.rule, h.event) });
  }
  return out;
}
