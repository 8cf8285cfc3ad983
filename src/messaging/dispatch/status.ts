// How far along a message is (pure): delivery reports and the dispatcher's own marking only ever move it forward, so
// a report that arrives before the dispatcher has marked its send is never overwritten.

/** The order of a message's statuses; a status of lower rank never replaces one of higher rank. */
export const STATUS_RANK: Readonly<Record<string, number>> = {
  claimed: 0,
  queued: 0,
  sending: 1,
  unknown: 1,
  sent: 2,
  failed: 3,
  bounced: 3,
  delivered: 4,
  opened: 5,
  clicked: 6,
  complained: 7,
  unsubscribed: 7,
};

/** Whether `next` is news over `current` (a delivery report after an open changes nothing). */
export const movesForward = (current: string, next: string): boolean =>
  (STATUS_RANK[next] ?? 0) > (STATUS_RANK[current] ?? 0);

/** The statuses the dispatcher's mark of a send may replace: its own 'sending' hold, and anything less far along. */
export function replaceableBy(mark: string): string[] {
  return Object.keys(STATUS_RANK).filter((status) => status === 'sending' || movesForward(status, mark));
}
