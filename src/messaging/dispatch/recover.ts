// After a crash. A message still 'claimed' when its lease ends was never handed off: it goes back to the outbox (as a
// try waiting for its retry, on the same channel and address) and another worker sends it. A message left 'sending'
// past the send timeout was handed off and never marked: e-mail, SMS, push and Telegram give no way to ask "did you
// get it?", so it becomes 'unknown' (at most once; a cascade then waits for its step's timeout and moves on); the
// webhook channel sends an Idempotency-Key its receiver honours, so it is retried (at least once, seen once).
import type { Db, Queryable } from '../../store/index.ts';
import { logOwnEvents } from '../../customers/index.ts';
import type { ChannelPolicy } from '../routing.ts';
import { addDuration } from '../../time/index.ts';
import {
  closeIntentInDoubt,
  markSendUnknown,
  reopenSendingIntents,
  retryInterruptedWebhook,
  requeueExpiredClaims,
  staleSends,
  waitForCascadeTimeout,
} from './store.ts';

/** A worker that has not marked its send within this long is gone (sends time out well before); RETAIN_SEND_TIMEOUT_SECONDS. */
export const SENDING_LEASE_MS = 5 * 60_000;

const RELEASED =
  'the worker that claimed it stopped before handing it to the provider: it never left, another worker sends it';
const IN_DOUBT =
  'a worker stopped between handing it to the provider and recording the answer: it may have been delivered, so it is not sent again';

export interface Recovered {
  /** Claims whose lease ended before their hand-off: back in the outbox. */
  returned: number;
  /** Handed off and never marked: in doubt, never sent again. */
  unknown: number;
  /** Handed off to a provider that recognises a repeat: sent again with the same idempotency key. */
  retried: number;
}

export async function recoverInterrupted(db: Db, now: Date, sendTimeoutMs = SENDING_LEASE_MS): Promise<Recovered> {
  const returned = await returnExpiredClaims(db, now);
  const { unknown, retried } = await settleStaleSends(db, now, sendTimeoutMs);
  return { returned, unknown, retried };
}

/** Claims whose lease has ended go back to the outbox; the claim's own hand-off of them is refused from now on. */
async function returnExpiredClaims(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const intents = await requeueExpiredClaims(tx, now, RELEASED);
    if (intents.length) await reopenSendingIntents(tx, intents, now, RELEASED);
    return intents.length;
  });
}

/** Sends never marked within the timeout: in doubt ('unknown'), or retried where the provider deduplicates (webhooks). */
async function settleStaleSends(
  db: Db,
  now: Date,
  sendTimeoutMs: number,
): Promise<{ unknown: number; retried: number }> {
  return db.transaction(async (tx) => {
    const stale = await staleSends(tx, new Date(now.getTime() - sendTimeoutMs));
    let unknown = 0;
    let retried = 0;
    for (const m of stale) {
      if (m.channel === 'webhook') {
        await retryInterruptedWebhook(tx, m.id, m.intent_id, now);
        retried++;
        continue;
      }
      await markSendUnknown(tx, m.id, now, IN_DOUBT);
      await closeInDoubt(tx, m, now);
      await logOwnEvents(tx, m.workspace_id, [
        {
          customerId: m.customer_id,
          name: 'Message Status Unknown',
          messageId: `msg:${m.message_key}:${m.channel}:unknown`,
          at: now,
          properties: { messageKey: m.message_key, channel: m.channel, reason: 'in_doubt', detail: IN_DOUBT },
        },
      ]);
      unknown++;
    }
    return { unknown, retried };
  });
}

/** The intent of a send in doubt: closed as unknown, or, in a cascade, waiting for the step's timeout before the next channel. */
async function closeInDoubt(
  tx: Queryable,
  m: { intent_id: string; channel: string; policy: ChannelPolicy | null },
  now: Date,
) {
  const step = m.policy && 'cascade' in m.policy ? m.policy.cascade.find((c) => c.channel === m.channel) : undefined;
  if (step) {
    const until = addDuration(now, step.timeout, 'UTC');
    const detail = `${m.channel} in doubt (a worker stopped during the hand-off); the next channel unless it is delivered by ${until.toISOString()}`;
    await waitForCascadeTimeout(tx, m.intent_id, now, until, detail);
    return;
  }
  await closeIntentInDoubt(tx, m.intent_id, now, IN_DOUBT);
}
