// The dispatcher's claims, in SQL: the fair claim of due messages (each workspace in turn, transactional ones first),
// the hand-off of one claimed message to 'sending' (only by the claim that holds it), and how many of a rate-limited
// channel's messages one claim may hold.
import type { Db, Queryable } from '../../store/index.ts';
import type { IntentRow } from './facts.ts';

/** How long a claim is held by default before another worker may take its messages back (RETAIN_CLAIM_LEASE_SECONDS). */
export const CLAIM_LEASE_MS = 30_000;

/** A rate-limited channel: one claim holds at most this many seconds of its sends, so a slow channel holds up nobody. */
export const CLAIM_AHEAD_SECONDS = 2;

/**
 * Claims up to about `limit` due intents, locked until the transaction ends (SKIP LOCKED: workers never take the same
 * one). Every workspace with pending messages gets an equal share of the round (a workspace's backlog cannot starve
 * another's), and within a workspace transactional messages come before marketing ones, then the oldest first. The
 * workspaces are found by a loose index scan of message_intents_due, so the cost does not grow with the backlog.
 */
export async function claimDue(tx: Queryable, now: Date, limit: number): Promise<IntentRow[]> {
  const spaces = await workspacesWithPending(tx);
  if (!spaces.length) return [];
  // The share is a number the planner sees (not a subquery's), so it plans a handful of short index scans. With more
  // workspaces than the round takes, each one's first turn goes before anyone's second (the rows beyond stay locked
  // until this transaction ends, unused).
  const cols =
    'id, workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, params, context, created_at, cascade_index, run_id, expires_at, coupon_pool';
  return tx.query<IntentRow>(
    `SELECT ${cols} FROM (
       SELECT c.*, row_number() OVER (PARTITION BY c.workspace_id ORDER BY (c.purpose = 'marketing'), c.id::bigint) AS turn
       FROM unnest($2::text[]) AS s(workspace_id), LATERAL (
         SELECT i.id::text, i.workspace_id, i.message_key, i.customer_id::text, i.journey_id, i.step_id, i.purpose, i.template, i.channel,
                i.params, i.context, i.created_at, i.cascade_index, i.run_id::text, i.expires_at, i.coupon_pool
         FROM message_intents i
         WHERE i.workspace_id = s.workspace_id AND i.status = 'pending' AND (i.not_before IS NULL OR i.not_before <= $1)
         ORDER BY (i.purpose = 'marketing'), i.id LIMIT $3 FOR UPDATE SKIP LOCKED
       ) c
       ORDER BY turn, (c.purpose = 'marketing'), c.id::bigint LIMIT $4
     ) x
     ORDER BY (x.purpose = 'marketing'), x.id::bigint`,
    [now, spaces, Math.ceil(limit / spaces.length), limit],
  );
}

/** The workspaces with pending messages: a loose index scan (one probe of message_intents_due per workspace). */
async function workspacesWithPending(tx: Queryable): Promise<string[]> {
  const rows = await tx.query<{ workspace_id: string }>(
    `WITH RECURSIVE spaces AS (
       (SELECT workspace_id FROM message_intents WHERE status = 'pending' ORDER BY workspace_id LIMIT 1)
       UNION ALL
       SELECT (SELECT i.workspace_id FROM message_intents i WHERE i.status = 'pending' AND i.workspace_id > s.workspace_id ORDER BY i.workspace_id LIMIT 1)
       FROM spaces s WHERE s.workspace_id IS NOT NULL
     )
     SELECT workspace_id FROM spaces WHERE workspace_id IS NOT NULL`,
  );
  return rows.map((r) => r.workspace_id);
}

/**
 * The hand-off: the claimed message becomes 'sending', committed before its provider is called. Only the claim that
 * holds it may do so: a claim whose lease ended and was given back (recover.ts) hands off nothing (false).
 */
export async function handOff(db: Db, messageId: string, claim: string, at: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE messages SET status = 'sending', claimed_by = NULL, lease_until = NULL, updated_at = $3
     WHERE id = $1 AND status = 'claimed' AND claimed_by = $2 RETURNING 1`,
    [messageId, claim, at],
  );
  return rows.length === 1;
}

/** How many sends one claim may hold on a channel limited to `perSecond` (null: no limit). */
export const claimAllowance = (perSecond: number | null): number =>
  perSecond ? Math.max(1, Math.ceil(perSecond * CLAIM_AHEAD_SECONDS)) : Number.POSITIVE_INFINITY;
