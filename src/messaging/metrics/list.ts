// The message log: what was sent and what was not, newest first, a page at a time. Two kinds of rows, merged by time:
// messages (one per message and channel tried, at the time they were recorded) and messages that were never handed to
// a provider — skipped, deferred, expired, cancelled by their journey's goal — each with its reason, at the time of that
// decision (message intents with a reason and no message row). Filtered by customer, journey, status and reason; the
// cursor is the last row's (time, kind, id). Indexes: messages_log / messages_customer_recent and
// message_intents_outcomes / message_intents_customer (011, 017). deliveredAt follows the metrics' rule (delivered.ts), so
// the log and the delivered count agree.
import type { Queryable } from '../../store/index.ts';
import type { OutcomeReason } from '../types.ts';
import { deliveredAtSql, machineOpenAtSql, reportingChannelsSql } from './delivered.ts';
// instants.ts itself, not time/index.ts: the dashboard bundles this module (LOG_STATUSES) and needs no zone rules
import { iso, isoOrNull } from '../../time/pure.ts';

export const MESSAGE_STATUSES = [
  'claimed',
  'queued',
  'sending',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'failed',
  'complained',
  'unsubscribed',
  'unknown',
] as const;

/** What the log says of a message never handed to a provider (besides 'failed'). */
export const UNSENT_STATUSES = ['skipped', 'deferred', 'expired'] as const;
export const LOG_STATUSES = [...MESSAGE_STATUSES, ...UNSENT_STATUSES] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

export interface MessageFilter {
  /** Internal customer id (resolve a user id first). */
  customerId?: string;
  journeyId?: string;
  /** Only the messages of one journey run. */
  runId?: string;
  status?: LogStatus;
  /** Only messages not sent for this reason (goal_reached, quiet_hours, expired…). */
  reason?: OutcomeReason;
  limit: number;
  /** Rows older than this cursor (a nextCursor from an earlier page). */
  cursor?: string;
}

export interface MessageView {
  /** The message's id, or for a message never handed over, its intent's id (see `kind`). */
  id: string;
  kind: 'message' | 'unsent';
  customerId: string;
  userId: string | null;
  /** The channel tried; for a message not sent, its journey's fixed channel, else null (routing never chose one). */
  channel: string | null;
  template: string | null;
  locale: string | null;
  status: LogStatus;
  /** Why it was not sent (yet), as a code; `detail` says it in words. Null for messages handed over. */
  reason: OutcomeReason | null;
  detail: string | null;
  /** When: the message recorded, or the decision not to send (yet). */
  at: string;
  /** A deferred message: when it is tried again. */
  until: string | null;
  journeyId: string | null;
  /** The journey run that asked for it (null for a message sent outside a journey). */
  runId: string | null;
  stepId: string | null;
  sentAt: string | null;
  /** When it counts as delivered (a proof, or accepted on a channel without delivery reports); null when it does not. */
  deliveredAt: string | null;
  openedAt: string | null;
  clickedAt: string | null;
  error: string | null;
  cost: number | null;
}

/** A cursor: the last row's time (UTC, microseconds), kind rank (1 message, 0 not sent) and id. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([01])_(\d{1,18})$/;
export const isCursor = (s: string) => CURSOR.test(s);

type Times = 'at' | 'until' | 'sentAt' | 'deliveredAt' | 'openedAt' | 'clickedAt';
/** A row as the query returns it: the view with its times as dates, the kind's rank and the cursor's time. */
type Row = Omit<MessageView, Times> & Record<Times, Date | null> & { rank: number; atKey: string };

/** Which part of the log a status filter reads: messages, messages not sent, or both ('failed'). */
function partsFor(status: LogStatus | undefined, reason: OutcomeReason | undefined) {
  const unsentOnly = (UNSENT_STATUSES as readonly string[]).includes(status ?? '');
  return { messages: !unsentOnly && !reason, unsent: !status || unsentOnly || status === 'failed' };
}

/** The SQL of a status among messages not sent (a fixed text per status, never built from input). */
const UNSENT_STATUS: Record<string, string> = {
  skipped: "i.status = 'skipped' AND i.reason <> 'expired'",
  expired: "i.status = 'skipped' AND i.reason = 'expired'",
  deferred: "i.status = 'pending'",
  failed: "i.status = 'failed'",
};

export async function listMessages(
  db: Queryable,
  ws: string,
  f: MessageFilter,
): Promise<{ messages: MessageView[]; nextCursor: string | null }> {
  const params: unknown[] = [ws, f.limit + 1];
  const p = (value: unknown) => `$${params.push(value)}`;
  const cursor = f.cursor ? CURSOR.exec(f.cursor) : null;
  const parts = partsFor(f.status, f.reason);
  if (!parts.messages && !parts.unsent) return { messages: [], nextCursor: null }; // a reason asked of messages handed over
  const selects: string[] = [];
  if (parts.messages) {
    const where = ['m.workspace_id = $1'];
    if (f.customerId) where.push(`m.customer_id = ${p(f.customerId)}::bigint`);
    if (f.journeyId) where.push(`i.journey_id = ${p(f.journeyId)}`);
    if (f.runId) where.push(`i.run_id = ${p(f.runId)}::bigint`);
    if (f.status) where.push(`m.status = ${p(f.status)}`);
    if (cursor) {
      const at = p(cursor[1]);
      where.push(
        `m.created_at <= ${at}::timestamptz AND (m.created_at, 1, m.id) < (${at}::timestamptz, ${p(Number(cursor[2]))}::int, ${p(cursor[3])}::bigint)`,
      );
    }
    selects.push(`(SELECT 'message' AS kind, 1 AS rank, m.id, m.created_at AS at, m.customer_id, m.channel, m.template, m.locale, m.status,
        NULL::text AS reason, NULL::text AS detail, NULL::timestamptz AS until, i.journey_id, i.run_id, i.step_id,
        m.sent_at, ${deliveredAtSql('m', machineOpenAtSql('m', '$1'), 'SELECT ch FROM reported')} AS delivered_at, m.opened_at, m.clicked_at, m.error, m.cost
      FROM messages m LEFT JOIN message_intents i ON i.id = m.intent_id
      WHERE ${where.join(' AND ')}
      ORDER BY m.created_at DESC, m.id DESC LIMIT $2)`);
  }
  if (parts.unsent) {
    const where = [
      'i.workspace_id = $1',
      'i.reason IS NOT NULL',
      "i.status IN ('skipped', 'pending', 'failed')",
      'NOT EXISTS (SELECT 1 FROM messages x WHERE x.workspace_id = i.workspace_id AND x.message_key = i.message_key)',
    ];
    if (f.customerId) where.push(`i.customer_id = ${p(f.customerId)}::bigint`);
    if (f.journeyId) where.push(`i.journey_id = ${p(f.journeyId)}`);
    if (f.runId) where.push(`i.run_id = ${p(f.runId)}::bigint`);
    if (f.status) where.push(UNSENT_STATUS[f.status]!);
    if (f.reason) where.push(`i.reason = ${p(f.reason)}`);
    if (cursor) {
      const at = p(cursor[1]);
      where.push(
        `i.reason_at <= ${at}::timestamptz AND (i.reason_at, 0, i.id) < (${at}::timestamptz, ${p(Number(cursor[2]))}::int, ${p(cursor[3])}::bigint)`,
      );
    }
    selects.push(`(SELECT 'unsent' AS kind, 0 AS rank, i.id, i.reason_at AS at, i.customer_id, i.channel ->> 'fixed' AS channel, i.template, NULL::text AS locale,
        CASE WHEN i.status = 'skipped' AND i.reason = 'expired' THEN 'expired' WHEN i.status = 'pending' THEN 'deferred' ELSE i.status END AS status,
        i.reason, i.reason_detail AS detail, CASE WHEN i.status = 'pending' THEN i.not_before END AS until, i.journey_id, i.run_id, i.step_id,
        NULL::timestamptz AS sent_at, NULL::timestamptz AS delivered_at, NULL::timestamptz AS opened_at, NULL::timestamptz AS clicked_at,
        NULL::text AS error, NULL::float8 AS cost
      FROM message_intents i
      WHERE ${where.join(' AND ')}
      ORDER BY i.reason_at DESC, i.id DESC LIMIT $2)`);
  }
  const rows = await db.query<Row>(
    `WITH reported AS (${reportingChannelsSql('$1')})
     SELECT x.kind, x.rank, x.id::text, x.at, to_char(x.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "atKey",
            x.customer_id::text AS "customerId", c.user_id AS "userId", x.channel, x.template, x.locale, x.status, x.reason, x.detail, x.until,
            x.journey_id AS "journeyId", x.run_id::text AS "runId", x.step_id AS "stepId", x.sent_at AS "sentAt", x.delivered_at AS "deliveredAt", x.opened_at AS "openedAt",
            x.clicked_at AS "clickedAt", x.error, x.cost
     FROM (${selects.join(' UNION ALL ')}) AS x
     LEFT JOIN customers c ON c.workspace_id = $1 AND c.id = x.customer_id
     ORDER BY x.at DESC, x.rank DESC, x.id DESC LIMIT $2`,
    params,
  );
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    messages: page.map(({ rank: _rank, atKey: _key, ...m }) => ({
      ...m,
      at: iso(m.at!),
      until: isoOrNull(m.until),
      sentAt: isoOrNull(m.sentAt),
      deliveredAt: isoOrNull(m.deliveredAt),
      openedAt: isoOrNull(m.openedAt),
      clickedAt: isoOrNull(m.clickedAt),
      cost: m.cost === null ? null : Number(m.cost),
    })),
    nextCursor: rows.length > f.limit && last ? `${last.atKey}_${last.rank}_${last.id}` : null,
  };
}
