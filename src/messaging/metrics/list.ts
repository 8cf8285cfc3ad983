// The message log: messages newest first (by id), filtered by customer, journey and status, a page at a time with an
// opaque cursor (the last id seen). Uses messages_recent / messages_customer_recent (011_tracking.sql). deliveredAt
// follows the metrics' rule (delivered.ts), so the log and the delivered count agree.
import type { Queryable } from '../../store/db.ts';
import { deliveredAtSql, machineOpenAtSql, reportingChannelsSql } from './delivered.ts';

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'failed', 'complained', 'unsubscribed', 'unknown'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface MessageFilter {
  /** Internal customer id (resolve a user id first). */
  customerId?: string;
  journeyId?: string;
  status?: MessageStatus;
  limit: number;
  /** Messages older than this cursor (a nextCursor from an earlier page). */
  cursor?: string;
}

export interface MessageView {
  id: string;
  customerId: string;
  userId: string | null;
  channel: string;
  template: string | null;
  locale: string | null;
  status: string;
  journeyId: string | null;
  stepId: string | null;
  sentAt: string | null;
  /** When it counts as delivered (a proof, or accepted on a channel without delivery reports); null when it does not. */
  deliveredAt: string | null;
  openedAt: string | null;
  clickedAt: string | null;
  error: string | null;
  cost: number | null;
}

/** A cursor is a message id: digits only. */
export const isCursor = (s: string) => /^\d{1,18}$/.test(s);

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function listMessages(db: Queryable, ws: string, f: MessageFilter): Promise<{ messages: MessageView[]; nextCursor: string | null }> {
  const params: unknown[] = [ws];
  const where = ['m.workspace_id = $1'];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.customerId) add((p) => `m.customer_id = ${p}::bigint`, f.customerId);
  if (f.journeyId) add((p) => `i.journey_id = ${p}`, f.journeyId);
  if (f.status) add((p) => `m.status = ${p}`, f.status);
  if (f.cursor) add((p) => `m.id < ${p}::bigint`, f.cursor);
  params.push(f.limit + 1);
  const rows = await db.query<Omit<MessageView, 'sentAt' | 'deliveredAt' | 'openedAt' | 'clickedAt'> & Record<'sent_at' | 'delivered_at' | 'opened_at' | 'clicked_at', Date | null>>(
    `WITH reported AS (${reportingChannelsSql('$1')})
     SELECT m.id::text, m.customer_id::text AS "customerId", c.user_id AS "userId", m.channel, m.template, m.locale, m.status,
            i.journey_id AS "journeyId", i.step_id AS "stepId", m.sent_at, m.opened_at, m.clicked_at, m.error, m.cost,
            ${deliveredAtSql('m', machineOpenAtSql('m', '$1'), 'SELECT ch FROM reported')} AS delivered_at
     FROM messages m
     LEFT JOIN message_intents i ON i.id = m.intent_id
     LEFT JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id
     WHERE ${where.join(' AND ')}
     ORDER BY m.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, f.limit);
  return {
    messages: page.map((m) => ({
      id: m.id, customerId: m.customerId, userId: m.userId, channel: m.channel, template: m.template, locale: m.locale, status: m.status,
      journeyId: m.journeyId, stepId: m.stepId, sentAt: iso(m.sent_at), deliveredAt: iso(m.delivered_at), openedAt: iso(m.opened_at),
      clickedAt: iso(m.clicked_at), error: m.error, cost: m.cost === null ? null : Number(m.cost),
    })),
    nextCursor: rows.length > f.limit ? page[page.length - 1]!.id : null,
  };
}
