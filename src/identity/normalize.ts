// Identity normalisation (pure): e-mail lower-cased, phone numbers to E.164; and the hash erasure tombstones keep of an id.
import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export function normalizeEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const email = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

/** E.164 form of a phone number, or null when it cannot be a real number. */
export function normalizePhone(value: unknown, defaultCountry?: string): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const parsed = parsePhoneNumberFromString(String(value), defaultCountry as CountryCode | undefined);
  return parsed && parsed.isPossible() ? parsed.number : null;
}

/** Hash of an identity as kept in erasure tombstones: no PII is stored, yet a replay is recognised. */
export const identityHash = (kind: 'user' | 'anonymous', value: string) =>
  createHash('sha256').update(`${kind}:${value}`).digest('hex');
