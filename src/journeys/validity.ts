// How long a message stays worth sending when its send step does not say (pure, and light enough for the dashboard to
// show the default it will get): a marketing message made by an event (the cart reminder) a few hours, since "you left
// this in your cart" the next evening is noise; one made by a segment change (win-back) or a broadcast two days; a date
// or a schedule (birthday, digest) its day; transactional messages (receipts, payment notices) three days, as only
// retries and outages hold them.
import type { JourneyDefinition, Trigger } from './definition.ts';

/** A marketing message's default validity by the kind of trigger that made it: every kind has one. */
const MARKETING_VALIDITY: Record<Trigger['type'], string> = {
  event: 'PT12H',
  segment: 'P2D',
  broadcast: 'P2D',
  date: 'P1D',
  schedule: 'P1D',
  pointsExpiring: 'P1D',
};

export function validForDefault(purpose: JourneyDefinition['purpose'], trigger: Trigger['type']): string {
  if (purpose === 'transactional') return 'P3D';
  const validity = MARKETING_VALIDITY[trigger];
  if (validity === undefined) throw new Error(`no validity default for trigger ${String(trigger)}`);
  return validity;
}
