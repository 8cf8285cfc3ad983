// Consent in the event log: every consent change is also an event (Consent Granted / Consent Revoked / Consent
// Confirmation Requested), written in the consent's own transaction with the per-name counter bumped and the customer
// queued in customer_changes, so segments with consent conditions re-evaluate them.
import type { Queryable } from '../store/index.ts';
import { logOwnEvents } from '../customers/index.ts';

export interface ConsentEvent {
  customerId: string;
  name: 'Consent Granted' | 'Consent Revoked' | 'Consent Confirmation Requested';
  /** Idempotency key: a replayed consent act logs nothing twice. */
  messageId: string;
  properties: Record<string, unknown>;
  at: Date;
}

/** Logs the event; false when an event with this messageId is already in the log (then nothing is counted again). */
export async function logConsentEvent(tx: Queryable, ws: string, e: ConsentEvent): Promise<boolean> {
  return (await logOwnEvents(tx, ws, [e])) > 0;
}
