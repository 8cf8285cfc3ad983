// The loyalty events on a customer's timeline (pure): each ledger movement and each tier change as one of our own events,
// its message id taken from the movement's source, so a replay logs nothing twice.
import type { OwnEvent } from '../customers/index.ts';
import { assertNever } from '../lib/index.ts';
import type { LedgerKind, NewLedgerRow } from './store.ts';

export const LOYALTY_EVENT_PREFIX = 'loyalty:';
export const TIER_CHANGED = 'Tier Changed';

export const LOYALTY_EVENT_NAMES = [
  'Points Earned',
  'Points Available',
  'Points Redeemed',
  'Points Clawed Back',
  'Points Expired',
  'Points Adjusted',
  TIER_CHANGED,
] as const;
export type LoyaltyEventName = (typeof LOYALTY_EVENT_NAMES)[number];

export function eventName(kind: LedgerKind): LoyaltyEventName {
  switch (kind) {
    case 'earn':
    case 'bonus':
    case 'referral':
      return 'Points Earned';
    case 'release':
      return 'Points Available';
    case 'redeem':
      return 'Points Redeemed';
    case 'clawback':
      return 'Points Clawed Back';
    case 'expire':
      return 'Points Expired';
    case 'adjust':
      return 'Points Adjusted';
    default:
      return assertNever(kind, 'ledger kind');
  }
}

/** The timeline event of one movement, with the balances after it. */
export function movementEvent(row: NewLedgerRow, after: { available: number; pending: number }): OwnEvent {
  return {
    customerId: row.customerId,
    name: eventName(row.kind),
    messageId: `${LOYALTY_EVENT_PREFIX}${row.source}`,
    at: row.at,
    properties: {
      kind: row.kind,
      points: row.available + row.pending,
      available: after.available,
      pending: after.pending,
      source: row.source,
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.actor ? { actor: row.actor } : {}),
      ...row.details,
    },
  };
}

/** The timeline event of a tier change (`from`/`to` null: no tier). */
export function tierEvent(customerId: string, from: string | null, to: string | null, at: Date, why: string): OwnEvent {
  return {
    customerId,
    name: TIER_CHANGED,
    messageId: `${LOYALTY_EVENT_PREFIX}tier:${customerId}:${at.toISOString()}:${to ?? ''}`,
    at,
    properties: { from, to, direction: why },
  };
}
