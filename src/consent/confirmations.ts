// The statements of double opt-in: confirmation tokens (consent_confirmations, only their hashes) and the confirmation
// e-mail's intents on the outbox. confirm.ts and confirmation-mail.ts hold the rules; each statement is named here.
import type { Queryable } from '../store/index.ts';
import type { Channel, Purpose } from '../channels/index.ts';

export interface StoredConfirmation {
  customer_id: string;
  channel: Channel;
  purpose: Purpose;
  topic: string;
  text_version: string | null;
  confirmed_at: Date | null;
}

/** Stores a token's hash for a customer of the workspace; false when no such customer or the hash is stored already. */
export async function insertConfirmation(
  tx: Queryable,
  ws: string,
  tokenHash: string,
  customerId: string,
  grant: { channel: string; purpose: string; topic: string; textVersion: string | null },
  requestedAt: Date,
): Promise<boolean> {
  const inserted = await tx.query(
    `INSERT INTO consent_confirmations (workspace_id, token_hash, customer_id, channel, purpose, topic, text_version, requested_at)
     SELECT $1, $2, c.id, $4, $5, $8, $6, $7 FROM customers c WHERE c.workspace_id = $1 AND c.id = $3::bigint
     ON CONFLICT (workspace_id, token_hash) DO NOTHING RETURNING 1`,
    [
      ws,
      tokenHash,
      customerId,
      grant.channel,
      grant.purpose,
      grant.textVersion,
      requestedAt.toISOString(),
      grant.topic,
    ],
  );
  return inserted.length > 0;
}

/** The confirmation a token's hash stands for, locked until the transaction ends. */
export async function confirmationByHash(
  tx: Queryable,
  ws: string,
  tokenHash: string,
): Promise<StoredConfirmation | undefined> {
  const [row] = await tx.query<StoredConfirmation>(
    `SELECT customer_id::text, channel, purpose, topic, text_version, confirmed_at FROM consent_confirmations
     WHERE workspace_id = $1 AND token_hash = $2 FOR UPDATE`,
    [ws, tokenHash],
  );
  return row;
}

/** Stamps a confirmation as confirmed at `at`. */
export async function markConfirmed(tx: Queryable, ws: string, tokenHash: string, at: Date): Promise<void> {
  await tx.query('UPDATE consent_confirmations SET confirmed_at = $3 WHERE workspace_id = $1 AND token_hash = $2', [
    ws,
    tokenHash,
    at.toISOString(),
  ]);
}

/** Whether the customer has a confirmation e-mail intent created after `since`, other than the one keyed `exceptKey`. */
export async function confirmationQueuedSince(
  tx: Queryable,
  ws: string,
  customerId: string,
  template: string,
  since: Date,
  exceptKey: string,
): Promise<boolean> {
  const [recent] = await tx.query(
    `SELECT 1 FROM message_intents WHERE workspace_id = $1 AND customer_id = $2::bigint AND template = $3 AND created_at > $4 AND message_key <> $5 LIMIT 1`,
    [ws, customerId, template, since, exceptKey],
  );
  return recent !== undefined;
}

/** Queues the confirmation e-mail as a transactional e-mail intent; false when an intent with this key exists already. */
export async function queueConfirmationEmail(
  tx: Queryable,
  ws: string,
  key: string,
  customerId: string,
  template: string,
  context: unknown,
  at: Date,
): Promise<boolean> {
  const queued = await tx.query(
    `INSERT INTO message_intents (workspace_id, message_key, customer_id, purpose, template, channel, context, created_at)
     VALUES ($1, $2, $3::bigint, 'transactional', $4, '{"fixed":"email"}', $5::jsonb, $6) ON CONFLICT (workspace_id, message_key) DO NOTHING RETURNING 1`,
    [ws, key, customerId, template, JSON.stringify(context), at],
  );
  return queued.length > 0;
}
