// What consent links do: the unsubscribe link revokes (a topic, or marketing on a channel), the preference centre
// shows and saves marketing channels and topics. Only what changed is recorded, with the clicker's IP.
import type { Db, Queryable } from '../store/index.ts';
import { CHANNELS } from '../channels/index.ts';
import type { LinkPayload } from './tokens.ts';
import type { PreferenceChoices, UnsubscribeTarget } from './pages.ts';
import { consentState, writeConsent } from './records.ts';
import { consentFor, topicConsent } from './state.ts';
import { listTopics, topicExists, topicName } from './topics.ts';
import { customerById } from './customers.ts';
import { askForConfirmation } from './confirmation-mail.ts';
import { ANY_CHANNEL } from './types.ts';

/** What an unsubscribe link stops (the pages say it in the reader's language): the topic by its name, or the channel. */
export async function unsubscribeWhat(
  db: Queryable,
  ws: string,
  p: Extract<LinkPayload, { k: 'unsubscribe' }>,
): Promise<UnsubscribeTarget> {
  if (!p.t) return { channel: p.ch };
  return { channel: p.ch, topic: (await topicName(db, ws, p.t)) ?? p.t };
}

/** Revokes what the link names; false when the customer no longer exists (erased). Revoking twice records once. */
export async function unsubscribeByLink(
  db: Db,
  p: Extract<LinkPayload, { k: 'unsubscribe' }>,
  at: Date,
  ip: string | null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const customer = await customerById(tx, p.ws, p.c);
    if (!customer) return false;
    const states = await consentState(tx, p.ws, customer.id);
    const current = p.t ? topicConsent(states, p.t) : consentFor(states, p.ch, 'marketing');
    if (current && !current.granted) return true; // already out: nothing new to prove
    if (p.t && (await topicExists(tx, p.ws, p.t))) {
      await writeConsent(tx, p.ws, customer.id, {
        channel: ANY_CHANNEL,
        purpose: 'marketing',
        topic: p.t,
        granted: false,
        source: 'unsubscribe_link',
        ip,
        at,
      });
    } else {
      // a deleted topic's link still stops marketing on the channel it came by: the person asked for less, not more
      await writeConsent(tx, p.ws, customer.id, {
        channel: p.ch,
        purpose: 'marketing',
        granted: false,
        source: 'unsubscribe_link',
        ip,
        at,
      });
    }
    return true;
  });
}

/**
 * The preference centre's checkboxes for the customer a link names (internal id): channels the customer can be
 * reached on or has a consent for, and every topic.
 */
export async function preferenceChoices(
  db: Queryable,
  ws: string,
  customerId: string,
): Promise<PreferenceChoices | null> {
  const customer = await customerById(db, ws, customerId);
  if (!customer) return null;
  const states = await consentState(db, ws, customer.id);
  const shown = CHANNELS.filter(
    (ch) =>
      (ch === 'email' && customer.email) ||
      (ch === 'sms' && customer.phone) ||
      consentFor(states, ch, 'marketing') !== null,
  );
  return {
    channels: shown.map((ch) => ({ channel: ch, checked: consentFor(states, ch, 'marketing')?.granted === true })),
    topics: (await listTopics(db, ws)).map((t) => ({ ...t, checked: topicConsent(states, t.id)?.granted === true })),
  };
}

/**
 * Saves the preference centre: every channel and topic shown is granted when ticked and revoked when not; only the
 * changes are recorded. A newly ticked e-mail under double opt-in waits for confirmation like a sign-up.
 */
export async function savePreferences(
  db: Db,
  ws: string,
  customerId: string,
  ticked: { channels: string[]; topics: string[] },
  at: Date,
  ip: string | null,
  doubleOptInEmail: boolean,
): Promise<number> {
  return db.transaction(async (tx) => {
    const choices = await preferenceChoices(tx, ws, customerId);
    const customer = await customerById(tx, ws, customerId);
    if (!choices || !customer) return 0;
    let changes = 0;
    for (const c of choices.channels) {
      const want = ticked.channels.includes(c.channel);
      if (want === c.checked) continue;
      await writeConsent(tx, ws, customer.id, {
        channel: c.channel,
        purpose: 'marketing',
        granted: want,
        source: 'preference_centre',
        ip,
        at,
      });
      if (want && c.channel === 'email' && doubleOptInEmail)
        await askForConfirmation(tx, ws, customer.id, { channel: 'email', purpose: 'marketing' }, at);
      changes++;
    }
    for (const t of choices.topics) {
      const want = ticked.topics.includes(t.id);
      if (want === t.checked) continue;
      await writeConsent(tx, ws, customer.id, {
        channel: ANY_CHANNEL,
        purpose: 'marketing',
        topic: t.id,
        granted: want,
        source: 'preference_centre',
        ip,
        at,
      });
      changes++;
    }
    return changes;
  });
}
