// Consent by phone number: an inbound STOP revokes SMS marketing for every customer with that number and suppresses
// the number ('unsubscribed'); START re-grants it and lifts that suppression (not a bounce's or complaint's).
import type { Db } from '../store/index.ts';
import { normalizePhone } from '../identity/index.ts';
import { writeConsent } from './records.ts';
import { ConsentError } from './errors.ts';
import { customerIdsByPhone } from './customers.ts';
import { removeSuppression, suppressUnlessUndeliverable } from './suppressions.ts';

export interface PhoneResult {
  phone: string;
  /** The customers whose consent was recorded. */
  customers: string[];
}

function e164(phone: string): string {
  const normalized = normalizePhone(phone);
  if (!normalized)
    throw new ConsentError(
      'invalid',
      `${JSON.stringify(phone)} is not a phone number in international format (+48…)`,
      'from',
    );
  return normalized;
}

async function byPhone(
  db: Db,
  ws: string,
  phone: string,
  granted: boolean,
  source: string,
  at: Date,
  detail: string,
): Promise<PhoneResult> {
  const number = e164(phone);
  return db.transaction(async (tx) => {
    const ids = await customerIdsByPhone(tx, ws, number);
    for (const id of ids) await writeConsent(tx, ws, id, { channel: 'sms', purpose: 'marketing', granted, source, at });
    if (granted) {
      await removeSuppression(tx, ws, 'sms', number, 'unsubscribed');
    } else {
      await suppressUnlessUndeliverable(tx, ws, 'sms', number, 'unsubscribed', detail, at);
    }
    return { phone: number, customers: ids };
  });
}

/** STOP: revokes SMS marketing of every customer with this number and suppresses it (even when no customer has it). */
export function revokeByPhone(
  db: Db,
  ws: string,
  phone: string,
  source = 'sms_stop',
  at: Date = new Date(),
  detail = 'STOP received',
): Promise<PhoneResult> {
  return byPhone(db, ws, phone, false, source, at, detail);
}

/** START: re-grants SMS marketing of every customer with this number and lifts its 'unsubscribed' suppression. */
export function regrantByPhone(
  db: Db,
  ws: string,
  phone: string,
  source = 'sms_start',
  at: Date = new Date(),
): Promise<PhoneResult> {
  return byPhone(db, ws, phone, true, source, at, '');
}
