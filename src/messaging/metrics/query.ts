// The metrics query: one set-based statement over the messages sent in a range, grouped by one dimension. Every
// message row (one per message and channel tried) falls in the range by its send time (sent_at, else when the send
// was attempted) and in exactly one group. What each count means:
//   sent          the provider was asked (status neither queued nor sending): accepted, refused (bounced, failed)
//                 or in doubt after a crash (unknown).
//   delivered     not bounced or failed, and any proof of delivery: a delivery report (delivered_at, or a later
//                 status: opened, clicked, complained, unsubscribed), an open (human or machine), a click. A channel
//                 on which no delivery report has EVER arrived in the workspace (SMTP without a reporting webhook,
//                 most push and chat providers) cannot prove delivery: there, accepted by the provider ('sent') counts
//                 as delivered. Once one report arrives for a channel, only reported messages count on it.
//   opens         unique human opens: opened_at or clicked_at set (a click implies an open; machine opens never set
//                 either, tracking/record.ts).
//   machineOpens  messages with a machine open (the `Message Opened` event with id msg:<key>:<channel>:opened:machine)
//                 and no human one: the opens left out of the open rate.
//   clicks        unique human clicks (clicked_at set).
//   conversions   messages whose click was followed by a completed order of the customer within the attribution
//                 window; last click wins: an order goes to the latest click before it, so no order counts twice.
//                 revenue = those orders' totals less refunds.
//   unsubscribes  delivered messages with status unsubscribed, or the latest message sent to the customer (on that
//                 channel, or any for a topic) before a `Consent Revoked` with source 'unsubscribe_link' within the
//                 window after it.
//   bounced / failed  by status.
// Index use (011_tracking.sql): the range by messages_sent_time; the machine-open event by the events primary key;
// orders by orders_customer; the last-click check by messages_clicks; revocations by events_customer_time; the
// later-message check by messages_customer_sent; the reporting channels by messages_delivery_reports.
import type { Queryable } from '../../store/db.ts';
import { CHANNELS } from '../types.ts';
import type { MetricCounts } from './rates.ts';

export const DIMENSIONS = ['day', 'journey', 'step', 'channel', 'template', 'variant'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The columns a dimension groups by (fixed SQL, never built from input). */
const GROUP: Record<Dimension, string[]> = {
  day: ["to_char(f.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"],
  journey: ['f.journey_id'],
  step: ['f.journey_id', 'f.step_id'],
  channel: ['f.channel'],
  template: ['f.template'],
  variant: ['f.template', 'f.locale', 'f.arms'],
};

/** One group's identity (the dimension's columns; the rest null) and counts. */
export interface GroupRow extends MetricCounts {
  day: string | null;
  journeyId: string | null;
  stepId: string | null;
  channel: string | null;
  template: string | null;
  locale: string | null;
  /** The run's A/B arms as "split=arm,…" in split order; '' without any. */
  arms: string | null;
}

const PART_NAMES: Record<Dimension, (keyof GroupRow)[]> = {
  day: ['day'], journey: ['journeyId'], step: ['journeyId', 'stepId'], channel: ['channel'], template: ['template'], variant: ['template', 'locale', 'arms'],
};

export interface Window {
  /** Inclusive start and exclusive end of the send times counted. */
  from: Date;
  until: Date;
  attributionDays: number;
}

export async function groupCounts(db: Queryable, ws: string, by: Dimension, w: Window): Promise<GroupRow[]> {
  const cols = GROUP[by];
  const parts = cols.map((c, i) => `${c} AS "${PART_NAMES[by][i]}"`).join(', ');
  const rows = await db.query<GroupRow>(
    `WITH reported AS (
       SELECT r.ch FROM unnest($4::text[]) AS r(ch)
       WHERE EXISTS (SELECT 1 FROM messages d WHERE d.workspace_id = $1 AND d.channel = r.ch AND d.delivered_at IS NOT NULL)
     ), base AS (
       SELECT m.id, m.customer_id, m.channel, m.template, m.locale, m.status, m.clicked_at, COALESCE(m.sent_at, m.created_at) AS at,
              i.journey_id, i.step_id,
              COALESCE((SELECT string_agg(a.key || '=' || a.value, ',' ORDER BY a.key)
                        FROM jsonb_each_text(CASE WHEN jsonb_typeof(i.context -> 'arms') = 'object' THEN i.context -> 'arms' END) AS a), '') AS arms,
              (m.opened_at IS NOT NULL OR m.clicked_at IS NOT NULL) AS opened,
              EXISTS (SELECT 1 FROM events e WHERE e.workspace_id = $1 AND e.message_id = 'msg:' || m.message_key || ':' || m.channel || ':opened:machine') AS machine,
              (m.delivered_at IS NOT NULL OR m.status IN ('delivered', 'opened', 'clicked', 'complained', 'unsubscribed')
                OR (m.status = 'sent' AND m.channel NOT IN (SELECT ch FROM reported))) AS reported_delivered
       FROM messages m LEFT JOIN message_intents i ON i.id = m.intent_id
       WHERE m.workspace_id = $1 AND COALESCE(m.sent_at, m.created_at) >= $2 AND COALESCE(m.sent_at, m.created_at) < $3
         AND m.status NOT IN ('queued', 'sending')
     ), f AS (
       SELECT b.*, (b.status NOT IN ('bounced', 'failed') AND (b.reported_delivered OR b.opened OR b.machine)) AS delivered FROM base b
     ), conv AS (
       SELECT f.id, sum(o.total - o.refunded)::float8 AS revenue
       FROM f JOIN orders o ON o.workspace_id = $1 AND o.customer_id = f.customer_id AND o.status = 'completed'
         AND o.placed_at > f.clicked_at AND o.placed_at <= f.clicked_at + make_interval(days => $5::int)
       WHERE f.clicked_at IS NOT NULL
         AND NOT EXISTS (
           SELECT 1 FROM messages l WHERE l.workspace_id = $1 AND l.customer_id = f.customer_id AND l.clicked_at IS NOT NULL
             AND l.clicked_at < o.placed_at AND (l.clicked_at > f.clicked_at OR (l.clicked_at = f.clicked_at AND l.id > f.id)))
       GROUP BY f.id
     ), unsub AS (
       SELECT DISTINCT f.id
       FROM f JOIN events e ON e.workspace_id = $1 AND e.customer_id = f.customer_id AND e.name = 'Consent Revoked'
         AND e.timestamp >= f.at AND e.timestamp <= f.at + make_interval(days => $5::int)
         AND e.properties ->> 'source' = 'unsubscribe_link' AND e.properties ->> 'channel' IN (f.channel, '*')
       WHERE f.delivered
         AND NOT EXISTS (
           SELECT 1 FROM messages l WHERE l.workspace_id = $1 AND l.customer_id = f.customer_id AND l.sent_at IS NOT NULL
             AND l.sent_at <= e.timestamp AND e.properties ->> 'channel' IN (l.channel, '*')
             AND (l.sent_at > f.at OR (l.sent_at = f.at AND l.id > f.id)))
     )
     SELECT ${parts},
       count(*)::int AS sent,
       count(*) FILTER (WHERE f.delivered)::int AS delivered,
       count(*) FILTER (WHERE f.delivered AND f.opened)::int AS opens,
       count(*) FILTER (WHERE f.delivered AND f.clicked_at IS NOT NULL)::int AS clicks,
       count(conv.id)::int AS conversions,
       COALESCE(sum(conv.revenue), 0)::float8 AS revenue,
       count(*) FILTER (WHERE f.delivered AND (f.status = 'unsubscribed' OR unsub.id IS NOT NULL))::int AS unsubscribes,
       count(*) FILTER (WHERE f.status = 'bounced')::int AS bounced,
       count(*) FILTER (WHERE f.status = 'failed')::int AS failed,
       count(*) FILTER (WHERE f.delivered AND f.machine AND NOT f.opened)::int AS "machineOpens"
     FROM f LEFT JOIN conv ON conv.id = f.id LEFT JOIN unsub ON unsub.id = f.id
     GROUP BY ${cols.join(', ')}`,
    [ws, w.from, w.until, CHANNELS, w.attributionDays],
  );
  const none = { day: null, journeyId: null, stepId: null, channel: null, template: null, locale: null, arms: null };
  return rows.map((r) => ({ ...none, ...r }));
}
