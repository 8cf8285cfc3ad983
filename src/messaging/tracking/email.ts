// The dispatcher's one call into tracking: decorates the HTML of an outgoing e-mail (open pixel, tracked links, UTM
// for marketing) for the message row it was recorded as. Other channels pass through untouched.
import { type Queryable, oncePerTransaction } from '../../store/index.ts';
import type { Channel } from '../../channels/index.ts';
import type { IntentRow } from '../dispatch/facts.ts';
import { decorateEmail } from './decorate.ts';
import { signTracking, trackingKey } from './tokens.ts';
import { utmFor } from './utm.ts';

export interface TrackedMessage {
  /** The intent it was sent for: workspace, purpose, template, journey, step and A/B arms (context.arms). */
  intent: Pick<IntentRow, 'workspace_id' | 'purpose' | 'template' | 'journey_id' | 'step_id' | 'context'>;
  /** messages.id of the recorded message: what the pixel and the links report on. */
  messageId: string;
  channel: Channel;
}

/** Where our /t/ paths live on the public base URL (a base with a path keeps it): https://retain.example.com/app/t */
export function trackingRoot(baseUrl: string): string {
  const base = new URL(baseUrl);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}/t`;
}

/** Rewrites content.email.html in place (the content is this send's own rendering). */
export async function trackEmail(
  tx: Queryable,
  content: Record<string, unknown>,
  m: TrackedMessage,
  baseUrl: string,
): Promise<void> {
  const email = content.email as { html?: string } | undefined;
  if (m.channel !== 'email' || typeof email?.html !== 'string') return;
  const { intent } = m;
  const ws = intent.workspace_id;
  const key = await oncePerTransaction(tx, `tracking-key\u0000${ws}`, () => trackingKey(tx, ws));
  const root = trackingRoot(baseUrl);
  email.html = decorateEmail(email.html, {
    baseUrl,
    pixelUrl: `${root}/o/${signTracking(key, { k: 'open', ws, m: m.messageId })}`,
    clickUrl: (target) => `${root}/c/${signTracking(key, { k: 'click', ws, m: m.messageId, u: target })}`,
    utm: utmFor({
      purpose: intent.purpose,
      channel: m.channel,
      journeyId: intent.journey_id,
      stepId: intent.step_id,
      template: intent.template,
      arms: (intent.context?.arms ?? null) as Record<string, unknown> | null,
    }),
  });
}
