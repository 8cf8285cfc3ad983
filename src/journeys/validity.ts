// How long a message stays worth sending when its send step does not say (pure, and light enough for the dashboard to
// show the default it will get): a marketing message made by an event (the cart reminder) a few hours, since "you left
// this in your cart" the next evening is noise; one made by a segment change (win-back) or a broadcast two days; a date
// or a schedule (birthday, digest) its day; transactional messages (receipts, payment notices) three days, as only
// retries and outages hold them.
import type { JourneyDefinition, Trigger } from './definition.ts';

export function validForDefault(purpose: JourneyDefinition['purpose'], trigger: Trigger['type']): string {
  if (purpose === 'transactional') return 'P3D';
  switch (trigger) {
    case 'event': return 'PT12H';
    case 'segment': return 'P2D';
    case 'broadcast': return 'P2D';
    case 'date': return 'P1D';
    case 'schedule': return 'P1D';
    default: {
      const never: never = trigger;
      throw new Error(`no validity default for trigger ${String(never)}`);
    }
  }
}
