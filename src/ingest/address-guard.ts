// What the public key may not change (pure): a customer's stored e-mail and phone. A web page's key is in everyone's
// hands; if its identify could repoint an address, anyone could have a customer's messages (a receipt, a password
// reset, a coupon) sent to themselves. A first address is taken (a visitor signing up gives theirs); a different one
// is held, the event itself kept, and the answer warns by field. The server key changes them as before.
import type { TraitState } from './traits.ts';

/** A change an event asked for and ingest did not make, by the event's index and field (the answer's `warnings`). */
export interface Held {
  index: number;
  field: string;
  reason: string;
}

const ADDRESSES = [
  { column: '$email', trait: 'email', field: 'traits.email', words: 'e-mail' },
  { column: '$phone', trait: 'phone', field: 'traits.phone', words: 'phone' },
] as const;

const heldReason = (words: string) =>
  `not applied: this customer already has another ${words}, and the public key cannot change it (anyone can send with it). ` +
  `Change it with the server key from your backend, once the person has proved the new ${words} is theirs (a signed link).`;

/**
 * The patch without the e-mail and phone changes the public key may not make: an address different from the one the
 * state holds (and not older than it, or it would not apply anyway). The held ones are added to `held`.
 */
export function withoutAddressChanges(
  state: TraitState,
  patch: Record<string, unknown>,
  at: string,
  index: number,
  held: Held[],
): Record<string, unknown> {
  let out = patch;
  for (const a of ADDRESSES) {
    if (!Object.hasOwn(patch, a.column)) continue;
    const stored = Object.hasOwn(state.traits, a.column) ? state.traits[a.column] : undefined;
    const since = Object.hasOwn(state.trait_times, a.column) ? state.trait_times[a.column] : undefined;
    if (stored === undefined || stored === null || stored === patch[a.column] || (since !== undefined && since > at))
      continue;
    if (out === patch) out = { ...patch };
    delete out[a.column];
    delete out[a.trait];
    held.push({ index, field: a.field, reason: heldReason(a.words) });
  }
  return out;
}

export interface Addresses {
  email: string | null;
  phone: string | null;
}

/** Two profiles that hold different e-mails or different phones: the public key does not merge them. */
export const addressesConflict = (a: Addresses | undefined, b: Addresses | undefined): boolean =>
  !!a && !!b && ((!!a.email && !!b.email && a.email !== b.email) || (!!a.phone && !!b.phone && a.phone !== b.phone));
