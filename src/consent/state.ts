// The consent in force (pure): folds an audit trail into the latest state per channel, purpose and topic.
import type { Purpose } from '../channels/index.ts';
import { ANY_CHANNEL, type ConsentChannel, type ConsentRecord, type ConsentState } from './types.ts';

const keyOf = (r: { channel: string; purpose: string; topic: string }) =>
  `${r.channel}\u0000${r.purpose}\u0000${r.topic}`;

/**
 * The state per (channel, purpose, topic): the latest record decides granted; confirmed means a double opt-in
 * confirmation happened since the last revocation (a later plain re-grant keeps it, a revocation clears it).
 * Records may come in any order; ties at the same instant keep their given order.
 */
export function foldConsents(records: ConsentRecord[]): ConsentState[] {
  const sorted = records.map((r, i) => ({ r, i })).sort((a, b) => a.r.at.getTime() - b.r.at.getTime() || a.i - b.i);
  const states = new Map<string, ConsentState>();
  for (const { r } of sorted) {
    const before = states.get(keyOf(r));
    const confirmed = r.granted && (r.confirmedAt !== null || (before?.granted === true && before.confirmed));
    states.set(keyOf(r), {
      channel: r.channel,
      purpose: r.purpose,
      topic: r.topic,
      granted: r.granted,
      confirmed,
      at: r.at,
      source: r.source,
      textVersion: r.textVersion,
    });
  }
  return [...states.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

/** The state for one channel and purpose ('' topic = the channel consent itself), or null when nothing was ever recorded. */
export function consentFor(
  states: ConsentState[],
  channel: ConsentChannel,
  purpose: Purpose,
  topic = '',
): ConsentState | null {
  return states.find((s) => s.channel === channel && s.purpose === purpose && s.topic === topic) ?? null;
}

/** The subscription to a topic (channel '*', marketing), or null when the customer never joined nor left it. */
export function topicConsent(states: ConsentState[], topic: string): ConsentState | null {
  return consentFor(states, ANY_CHANNEL, 'marketing', topic);
}
