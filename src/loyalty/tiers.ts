// Tiers (pure): which tier a measure (points earned or spend over the rolling window) reaches, and what a review does
// with it: an upgrade at once, a downgrade at once or only at the end of the tier's period, as the programme says.
import { DateTime } from 'luxon';
import { tiersAscending, type ProgramSettings } from './program.ts';

/** The highest tier whose threshold the measure reaches, or null. */
export function tierFor(s: ProgramSettings, measure: number): string | null {
  let reached: string | null = null;
  for (const t of tiersAscending(s)) if (measure >= t.threshold) reached = t.name;
  return reached;
}

/** A tier's rank: 0 for no tier (or one no longer in the programme), 1 for the lowest… */
export const rank = (s: ProgramSettings, tier: string | null): number =>
  tier === null ? 0 : tiersAscending(s).findIndex((t) => t.name === tier) + 1;

export interface TierState {
  tier: string | null;
  since: Date | null;
  reviewAt: Date | null;
}

/** `renew`: the same tier reached again at its review, held for another period (no change to announce). */
export type TierMove = { to: TierState; direction: 'up' | 'down' | 'renew' } | null;

/** Start of the rolling window at `now`. */
export const windowStart = (s: ProgramSettings, now: Date): Date =>
  DateTime.fromJSDate(now, { zone: 'UTC' }).minus({ months: s.tierWindowMonths }).toJSDate();

/** When a tier reached (or held) at `from` is reviewed next: at its period's end, or — downgrading at once — the next day. */
const periodEnd = (s: ProgramSettings, from: Date): Date =>
  s.downgrade === 'immediate'
    ? new Date(from.getTime() + 86_400_000)
    : DateTime.fromJSDate(from, { zone: 'UTC' }).plus({ months: s.tierPeriodMonths }).toJSDate();

/**
 * What the review at `now` does to the customer's tier given the measure: up at once (a new period starts), down at
 * once or — with downgrade at period end — only once the period is over (else the tier is held and reviewed then).
 */
export function reviewTier(s: ProgramSettings, current: TierState, measure: number, now: Date): TierMove {
  const reached = tierFor(s, measure);
  const from = rank(s, current.tier);
  const to = rank(s, reached);
  if (to > from) return { to: { tier: reached, since: now, reviewAt: periodEnd(s, now) }, direction: 'up' };
  if (to === from) {
    // the tier was reached again: with period-end downgrades, a review that finds it held starts a new period
    if (current.tier !== null && current.reviewAt && current.reviewAt <= now)
      return { to: { ...current, reviewAt: periodEnd(s, now) }, direction: 'renew' };
    return null;
  }
  if (s.downgrade === 'periodEnd' && current.reviewAt && current.reviewAt > now) return null;
  return {
    to: { tier: reached, since: reached ? now : null, reviewAt: reached ? periodEnd(s, now) : null },
    direction: 'down',
  };
}
