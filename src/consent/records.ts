// Consent records: grants and revocations per customer, channel, purpose and topic, with source, time, IP and the
// version of the text agreed — the audit trail that proves consent. Each act is also an event in the log.
import type { Db, Queryable } from '../store/index.ts';
import { CHANNELS, type Purpose } from '../channels/index.ts';
import { ANY_CHANNEL, type ConsentChannel, type ConsentRecord, type ConsentState } from './types.ts';
import { foldConsents } from './state.ts';
import { logConsentEvent } from './events.ts';
import { ConsentError } from './errors.ts';

export interface ConsentAct {
  /** A channel; '*' (ANY_CHANNEL) for a topic subscription. */
  channel: ConsentChannel;
  purpose: Purpose;
  /** A subscription topic's id; '' or absent for the channel and purpose itself. */
  topic?: string;
  granted: boolean;
  /** Where it came from: 'api', 'signup_form', 'unsubscribe_link', 'sms_stop'… (types.ts ConsentSource). */
  source: string;
  ip?: string | null;
  /** The version of the consent text the person agreed to (or was shown when revoking). */
  textVersion?: string | null;
  at: Date;
  /** The person confirmed this grant by double opt-in (the confirmation link). */
  confirmed?: boolean;
}

const TOPIC_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const SOURCE = /^[a-z0-9_.:-]{1,64}$/i;

/** The act, checked: throws ConsentError naming the field at fault. */
export function checkAct(act: ConsentAct): Required<Omit<ConsentAct, 'confirmed'>> & { confirmed: boolean } {
  const topic = act.topic ?? '';
  if (topic !== '' && !TOPIC_ID.test(topic))
    throw new ConsentError('invalid', 'a topic id: 1 to 64 letters, digits, "_", "-" or "."', 'topic');
  if (topic === '' && !(CHANNELS as readonly string[]).includes(act.channel)) {
    throw new ConsentError('invalid', `one of ${CHANNELS.join(', ')}`, 'channel');
  }
  if (topic !== '' && (act.channel !== ANY_CHANNEL || act.purpose !== 'marketing')) {
    throw new ConsentError(
      'invalid',
      'a topic subscription is for every channel and for marketing: use channel "*" and purpose "marketing"',
      'channel',
    );
  }
  if (act.purpose !== 'marketing' && act.purpose !== 'transactional')
    throw new ConsentError('invalid', 'marketing or transactional', 'purpose');
  if (typeof act.granted !== 'boolean') throw new ConsentError('invalid', 'true to grant, false to revoke', 'granted');
  if (!SOURCE.test(act.source ?? ''))
    throw new ConsentError(
      'invalid',
      'a short name such as "api" or "signup_form" (letters, digits, _ . : -)',
      'source',
    );
  if (act.textVersion != null && (typeof act.textVersion !== 'string' || act.textVersion.length > 200)) {
    throw new ConsentError('invalid', 'the consent text version, at most 200 characters', 'textVersion');
  }
  if (act.ip != null && (typeof act.ip !== 'string' || act.ip.length > 100))
    throw new ConsentError('invalid', 'an IP address', 'ip');
  if (!(act.at instanceof Date) || Number.isNaN(act.at.getTime()))
    throw new ConsentError('invalid', 'a valid time', 'at');
  return { ...act, topic, ip: act.ip ?? null, textVersion: act.textVersion ?? null, confirmed: act.confirmed === true };
}

/**
 * Records one act inside the caller's transaction: the consent row and its event (Consent Granted / Consent Revoked).
 * Idempotent: the same act at the same instant is recorded once (false the second time).
 */
export async function writeConsent(tx: Queryable, ws: string, customerId: string, act: ConsentAct): Promise<boolean> {
  const a = checkAct(act);
  const [customer] = await tx.query('SELECT 1 FROM customers WHERE workspace_id = $1 AND id = $2::bigint', [
    ws,
    customerId,
  ]);
  if (!customer) throw new ConsentError('not_found', `No customer ${customerId} in this workspace.`);
  if (a.topic) {
    const [topic] = await tx.query('SELECT 1 FROM subscription_topics WHERE workspace_id = $1 AND id = $2', [
      ws,
      a.topic,
    ]);
    if (!topic)
      throw new ConsentError(
        'not_found',
        `No subscription topic "${a.topic}": create it first with POST /api/v1/topics.`,
      );
  }
  const at = a.at.toISOString();
  const inserted = await tx.query(
    `INSERT INTO consents (workspace_id, customer_id, channel, purpose, topic, granted, source, ip, text_version, at, confirmed_at)
     VALUES ($1, $2::bigint, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, CASE WHEN $11::boolean THEN $10::timestamptz END)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [ws, customerId, a.channel, a.purpose, a.topic, a.granted, a.source, a.ip, a.textVersion, at, a.confirmed],
  );
  if (inserted.length === 0) return false;
  await logConsentEvent(tx, ws, {
    customerId,
    name: a.granted ? 'Consent Granted' : 'Consent Revoked',
    messageId: `consent:${ws}:${customerId}:${a.channel}:${a.purpose}:${a.topic}:${at}`,
    properties: {
      channel: a.channel,
      purpose: a.purpose,
      topic: a.topic || null,
      source: a.source,
      textVersion: a.textVersion,
      ...(a.confirmed ? { confirmed: true } : {}),
    },
    at: a.at,
  });
  return true;
}

/** Records one grant or revocation (and its event) in its own transaction; false when this exact act was already recorded. */
export async function recordConsent(
  db: Db,
  ws: string,
  customerId: string,
  act: ConsentAct,
): Promise<{ recorded: boolean }> {
  return { recorded: await db.transaction((tx) => writeConsent(tx, ws, customerId, act)) };
}

interface ConsentRow {
  channel: ConsentChannel;
  purpose: Purpose;
  topic: string;
  granted: boolean;
  source: string;
  ip: string | null;
  text_version: string | null;
  at: Date | string;
  confirmed_at: Date | string | null;
}

const toRecord = (r: ConsentRow): ConsentRecord => ({
  channel: r.channel,
  purpose: r.purpose,
  topic: r.topic,
  granted: r.granted,
  source: r.source,
  ip: r.ip,
  textVersion: r.text_version,
  at: new Date(r.at),
  confirmedAt: r.confirmed_at === null ? null : new Date(r.confirmed_at),
});

/** The customer's whole audit trail, oldest first. */
export async function consentTrail(db: Queryable, ws: string, customerId: string): Promise<ConsentRecord[]> {
  const rows = await db.query<ConsentRow>(
    `SELECT channel, purpose, topic, granted, source, ip, text_version, at, confirmed_at FROM consents
     WHERE workspace_id = $1 AND customer_id = $2::bigint ORDER BY at, channel, purpose, topic`,
    [ws, customerId],
  );
  return rows.map(toRecord);
}

/** The consent in force for many customers at once (the dispatcher's batch): one query, by customer id. */
export async function consentStates(
  db: Queryable,
  ws: string,
  customerIds: string[],
): Promise<Map<string, ConsentState[]>> {
  const rows = await db.query<ConsentRow & { customer_id: string }>(
    `SELECT customer_id::text, channel, purpose, topic, granted, source, ip, text_version, at, confirmed_at FROM consents
     WHERE workspace_id = $1 AND customer_id = ANY($2::bigint[]) ORDER BY consents.customer_id, at, channel, purpose, topic`,
    [ws, [...new Set(customerIds)]],
  );
  const trails = new Map<string, ConsentRecord[]>();
  for (const r of rows) trails.set(r.customer_id, [...(trails.get(r.customer_id) ?? []), toRecord(r)]);
  return new Map([...new Set(customerIds)].map((id) => [id, foldConsents(trails.get(id) ?? [])]));
}

/** The consent in force per channel, purpose and topic (the latest record of each; see state.ts foldConsents). */
export async function consentState(db: Queryable, ws: string, customerId: string): Promise<ConsentState[]> {
  return (await consentStates(db, ws, [customerId])).get(customerId)!;
}
