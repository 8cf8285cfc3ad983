// The events Retain writes itself (pure): their names and message id prefixes, reserved at ingest so that no key can
// pass an event off as one of ours (a segment entry that starts a journey, a delivery that stops a cascade, a consent).
// Every writer goes through this list: logOwnEvents refuses a name that is not on it, and the SQL writers (segment
// runner, lifecycle scoring) take their names from it.

export const SEGMENT_ENTERED = 'Segment Entered';
export const SEGMENT_EXITED = 'Segment Exited';
export const LIFECYCLE_STAGE_CHANGED = 'Lifecycle Stage Changed';
/** An order redeemed a coupon code (src/coupons/redeem.ts), attributed to the journey and message that gave it. */
export const COUPON_REDEEMED = 'Coupon Redeemed';
/** An order named a code that could not be redeemed: used already, expired, never given out, or unknown. */
export const COUPON_REFUSED = 'Coupon Refused';

export const OWN_EVENT_NAMES = [
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
  LIFECYCLE_STAGE_CHANGED,
  'Consent Granted',
  'Consent Revoked',
  'Consent Confirmation Requested',
  'Message Sent',
  'Message Delivered',
  'Message Undelivered',
  'Message Opened',
  'Message Clicked',
  'Message Skipped',
  'Message Deferred',
  'Message Failed',
  'Message Bounced',
  'Message Complained',
  'Message Unsubscribed',
  'Message Status Unknown',
  // loyalty (src/loyalty/events.ts): the ledger's movements and tier changes
  'Points Earned',
  'Points Available',
  'Points Redeemed',
  'Points Clawed Back',
  'Points Expired',
  'Points Adjusted',
  'Tier Changed',
  COUPON_REDEEMED,
  COUPON_REFUSED,
] as const;

export type OwnEventName = (typeof OWN_EVENT_NAMES)[number];

const NAMES: ReadonlySet<string> = new Set(OWN_EVENT_NAMES);

export const isOwnEventName = (name: string): name is OwnEventName => NAMES.has(name);

/** The message id of a segment entry or exit begins with this (the runner writes it; journeys trust no other). */
export const SEGMENT_EVENT_PREFIX = 'seg:';

/**
 * The message ids of our own events begin with one of these (segments, messages, consent and its confirmation,
 * lifecycle, coupons). A sent event may not take one: it would be stored first and our own event, with the same id, dropped.
 */
export const OWN_MESSAGE_ID_PREFIXES = [
  SEGMENT_EVENT_PREFIX,
  'msg:',
  'consent:',
  'consent-confirm:',
  'lifecycle:',
  'loyalty:',
  'coupon:',
] as const;

export const ownMessageIdPrefix = (messageId: string): string | null =>
  OWN_MESSAGE_ID_PREFIXES.find((p) => messageId.startsWith(p)) ?? null;
