// Normalisation (pure; the clock comes in as receivedAt): one raw Segment message → a validated event, or a rejection naming the field.
import { createHash } from 'node:crypto';
import { messageSchemas, MESSAGE_TYPES, type MessageType } from './schema.ts';
import { commerceFact, type CommerceFact } from './commerce.ts';
import { cartFact, type CartFact } from '../carts/index.ts';
import { normalizeEmail, normalizePhone } from '../identity/index.ts';
import { plainlyValid } from './check.ts';
import { checkJson, checkText, storableTime } from './storable.ts';
import { reservedField } from './reserved.ts';
import { fieldName, shapeProblem } from './shape.ts';

export interface NormalizedEvent {
  index: number;
  messageId: string;
  type: MessageType;
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  traits: Record<string, unknown> | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown> | null;
  timestamp: Date;
  /** The timestamp as ISO 8601 text, formatted once. */
  at: string;
  receivedAt: Date;
  email: string | null;
  phone: string | null;
  commerce: CommerceFact | null;
  /** What a cart event (Product Added, Product Removed, Cart Viewed, Checkout Started) does to its cart. */
  cart: CartFact | null;
}

export interface Rejection {
  index: number;
  field: string;
  reason: string;
}

export interface NormalizeEnv {
  receivedAt: Date;
  /** sentAt and context given once for a whole batch. */
  batchSentAt?: string | number;
  batchContext?: Record<string, unknown>;
  /** False only for trusted imports of anonymous sales (no userId nor anonymousId). */
  requireIdentity?: boolean;
  defaultCountry?: string;
}

/** An id as stored: numbers become strings (as the zod schema's transform does), absent is null. */
const idText = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

function toDate(v: string | number | undefined): Date | undefined {
  return v === undefined ? undefined : new Date(v);
}

/**
 * Segment's clock-skew rule: when the client says when it sent the message (sentAt), the event time is moved by
 * the difference between our clock and the client's: timestamp = receivedAt − (sentAt − originalTimestamp).
 */
export function correctedTimestamp(receivedAt: Date, original?: Date, sentAt?: Date): Date {
  if (!original) return receivedAt;
  if (!sentAt) return original;
  return new Date(receivedAt.getTime() - (sentAt.getTime() - original.getTime()));
}

function contentMessageId(type: string, raw: Record<string, unknown>, receivedAt: Date | null): string {
  const hash = createHash('sha1').update(type).update(JSON.stringify(raw));
  if (receivedAt) hash.update(receivedAt.toISOString());
  return 'h-' + hash.digest('hex');
}

/** The message's texts and JSON parts as they will be stored (see storable.ts), or the first field that cannot be. */
function storableParts(m: Record<string, any>, type: MessageType, env: NormalizeEnv) {
  const texts: Record<'messageId' | 'name' | 'userId' | 'anonymousId' | 'previousId' | 'category', string | null> = {
    messageId: m.messageId ?? null,
    name: type === 'track' ? m.event : type === 'page' || type === 'screen' ? (m.name ?? null) : null,
    userId: idText(m.userId),
    anonymousId: idText(m.anonymousId),
    previousId: type === 'alias' ? idText(m.previousId) : null,
    category: type === 'page' && m.category ? m.category : null,
  };
  for (const key of Object.keys(texts) as (keyof typeof texts)[]) {
    const r = checkText(texts[key], key === 'name' && type === 'track' ? 'event' : key);
    if ('field' in r) return r;
    texts[key] = r.value;
  }
  const parts: { properties: unknown; traits: unknown; context: unknown } = {
    properties: m.properties ?? {},
    traits: type === 'identify' || type === 'group' ? (m.traits ?? {}) : null,
    context: env.batchContext ? { ...env.batchContext, ...m.context } : (m.context ?? null),
  };
  for (const key of ['properties', 'traits', 'context'] as const) {
    const r = checkJson(parts[key], key);
    if ('field' in r) return r;
    parts[key] = r.value;
  }
  return {
    texts,
    properties: parts.properties as Record<string, unknown>,
    traits: parts.traits as Record<string, unknown> | null,
    context: parts.context as Record<string, unknown> | null,
  };
}

export function normalizeMessage(
  raw: unknown,
  index: number,
  env: NormalizeEnv,
  typeHint?: MessageType,
): NormalizedEvent | Rejection {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { index, field: '', reason: 'each event must be a JSON object' };
  const obj = raw as Record<string, unknown>;
  // Before anything that recurses over the message (the storable check, hashing): a message nested too deeply, or
  // with a "__proto__" key, is refused by field.
  const shape = shapeProblem(obj);
  if (shape) return { index, field: fieldName(shape.path), reason: shape.reason };
  const type = (typeHint ?? obj.type) as MessageType;
  if (!MESSAGE_TYPES.includes(type)) {
    return { index, field: 'type', reason: `must be one of ${MESSAGE_TYPES.join(', ')}` };
  }
  let m: Record<string, any> = obj;
  if (!plainlyValid(type, obj)) {
    // zod decides, and names the field when it refuses.
    const parsed = messageSchemas[type].safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { index, field: issue.path.join('.'), reason: issue.message };
    }
    m = parsed.data;
  }
  const userId = idText(m.userId);
  const anonymousId = idText(m.anonymousId);
  if (!userId && !anonymousId && env.requireIdentity !== false) {
    return { index, field: 'userId', reason: 'every event needs a userId or an anonymousId' };
  }
  // Every text and JSON value as PostgreSQL can store it (storable.ts): a NUL refuses this message, by field.
  const stored = storableParts(m, type, env);
  if ('field' in stored) return { index, ...stored };
  const { properties, traits, context, texts } = stored;
  const reserved = reservedField(type, texts.name, texts.messageId);
  if (reserved) return { index, ...reserved };

  let email: string | null = null;
  let phone: string | null = null;
  if (type === 'identify' && traits) {
    if (traits.email !== undefined && traits.email !== null && traits.email !== '') {
      email = normalizeEmail(traits.email);
      if (!email) return { index, field: 'traits.email', reason: 'not an e-mail address' };
    }
    if (traits.phone !== undefined && traits.phone !== null && traits.phone !== '') {
      phone = normalizePhone(traits.phone, env.defaultCountry);
      if (!phone)
        return {
          index,
          field: 'traits.phone',
          reason: 'not a phone number: use the international form, e.g. +14155550123',
        };
    }
  }

  let commerce: CommerceFact | null = null;
  let cart: CartFact | null = null;
  if (type === 'track') {
    const result = commerceFact(m.event, properties);
    if (result && 'field' in result) return { index, ...result };
    commerce = result?.fact ?? null;
    cart = cartFact(texts.name, properties, context);
  }

  const original = toDate(m.originalTimestamp ?? m.timestamp);
  const ownTime = original !== undefined || m.sentAt !== undefined || env.batchSentAt !== undefined;
  const sentAt = toDate(m.sentAt ?? env.batchSentAt);
  // RudderStack clients send the call time as originalTimestamp, plus timestamp only when the caller set one: then
  // that timestamp is the event time, as given (as RudderStack does); Segment clients send timestamp alone.
  const explicit = m.originalTimestamp !== undefined && m.timestamp !== undefined ? toDate(m.timestamp) : undefined;
  const timestamp = explicit ?? correctedTimestamp(env.receivedAt, original, sentAt);
  if (!storableTime(timestamp)) {
    return {
      index,
      field: m.timestamp !== undefined ? 'timestamp' : 'originalTimestamp',
      reason: `${timestamp.toISOString()} is not a time between the years 0001 and 9999`,
    };
  }
  return {
    index,
    // Without a messageId a replayed payload is recognised by its content; a message without any time of its own is
    // stamped on arrival, and then an identical one arriving later is a new event, not a replay.
    messageId: texts.messageId ?? contentMessageId(type, obj, ownTime ? null : env.receivedAt),
    type,
    name: texts.name,
    userId: texts.userId,
    anonymousId: texts.anonymousId,
    previousId: texts.previousId,
    traits,
    properties: type === 'page' && texts.category ? { category: texts.category, ...properties } : properties,
    context,
    timestamp,
    at: timestamp.toISOString(),
    receivedAt: env.receivedAt,
    email,
    phone,
    commerce,
    cart,
  };
}

export function isRejection(v: NormalizedEvent | Rejection): v is Rejection {
  return 'reason' in v;
}
