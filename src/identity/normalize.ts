// Identity normalisation (pure): e-mail lower-cased, phone numbers to E.164.
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
