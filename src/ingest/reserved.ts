// Reserved at ingest (pure): the event names and message ids of the events Retain writes itself. No key may send
// them: a forged "Segment Entered" would start a VIP journey for a non-member, a forged "Message Delivered" stop a
// cascade, a forged "Consent Granted" look like consent; an event taking one of our message ids would be stored first
// and our own event, with the same id, dropped.
import { isOwnEventName, ownMessageIdPrefix } from '../customers/index.ts';
import type { MessageType } from './schema.ts';

export interface ReservedField {
  field: string;
  reason: string;
}

/** The field that takes a reserved name or message id, or null. `name` is the track event's or the page's name. */
export function reservedField(type: MessageType, name: string | null, messageId: string | null): ReservedField | null {
  if (name !== null && isOwnEventName(name)) {
    return {
      field: type === 'track' ? 'event' : 'name',
      reason: `"${name}" is a name Retain writes itself (its own record of segments, messages and consent): send your event under another name`,
    };
  }
  const prefix = messageId === null ? null : ownMessageIdPrefix(messageId);
  if (prefix)
    return {
      field: 'messageId',
      reason: `begins with "${prefix}", which Retain's own events use: choose another messageId`,
    };
  return null;
}
