// The metrics query: one set-based statement over the messages sent in a range, grouped by one dimension. Every
// message row (one per message and channel tried) falls in the range by its send time (sent_at, else when the send
// was attempted) and in exactly one group. What each count means:
//   sent          the provider was asked (status neither queued nor sending): accepted, refused (bounced, failed)
//                 or in doubt after a crash (unknown).
//   delivered     the messages with a delivered time by the rule of delivered.ts (a proof of delivery, or accepted on
//                 a channel that has never had a delivery report): the same rule as the message log's deliveredAt.
//   opens         unique human opens: opened_at or clicked_at set (a click implies an open; machine opens never set
//                 either, tracking/record.ts).
//   machineOpens  messages with a machine open (the `Message Opened` event with id msg:<key>:<channel>:opened:machine)
//                 and no human one: the opens left out of the open rate.
//   clicks        unique human clicks (clicked_at set).
//   conversions   messages whose click was followed by a completed order of the customer within the attribution
//                 window; last click wins: an order goes to the latest click before it, so no order counts twice.
//                 revenueByCurrency = those orders' totals less refunds, per order currency (an order sent without a
//                 currency is in the base currency); never added across currencies here (report.ts converts).
//   unsubscribes  delivered messages with status unsubscribed, or the latest message sent to the customer (on that
//                 channel, or any for a topic) before a `Consent Revoked` with source 'unsubscribe_link' within the
//                 window after it.
//   bounced / failed  by status.
// Index use (011_tracking.sql): the range by messages_sent_time; the machine-open event by the events primary key;
// orders by orders_customer; the last-click check by messages_clicks; revocations by events_customer_time; the
// later-message check by messages_customer_sent; the reporting channels by messages_delivery_reports.
import type { Queryable } from '../../store/index.ts';
import { orderCurrencySql, type ByCurrency } from '../../money/index.ts';
import { deliveredAtSql, machineOpenAtSql, reportingChannelsSql } from './delivered.ts';
import type { MetricCounts } from './rates.ts';

export const DIMENSIONS = ['day', 'journey', 'step', 'channel', 'template', 'variant'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The columns a dimension groups by, over a message row `b` (fixed SQL, never built from input). */
const GROUP: Record<Dimension, string[]> = {
  day: ["to_char(b.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"],
  journey: ['b.journey_id'],
  step: ['b.journey_id', 'b.step_id'],
  channel: ['b.channel'],
  template: ['b.template'],
  variant: ['b.template', 'b.locale', 'b.arms'],
};

/** One group's identity (the dimension's columns; the rest null), counts, and conversion revenue per currency. */
export interface GroupRow extends Omit<MetricCounts, 'revenue'> {
  revenueByCurrency: ByCurrency;
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
  day: ['day'],
  journey: ['journeyId'],
  step: ['journeyId', 'stepId'],
  channel: ['channel'],
  template: ['template'],
  variant: ['template', 'locale', 'arms'],
};

export interface Window {
  /** Inclusive start and exclusive end of the send times counted. */
  from: Date;
  until: Date;
  attributionDays: number;
  /** The currency of orders sent without one. */
  baseCurrency: string;
}

export async function groupCounts(db: Queryable, ws: string, by: Dimension, w: Window): Promise<GroupRow[]> {
  const keys = GROUP[by].map((_, i) => `k${i}`);
  const fKeys = keys.map((k) => `f.${k}`).join(', ');
  const named = keys.map((k, i) => `g.${k} AS "${PART_NAMES[by][i]}"`).join(', ');
  const sameGroup = keys.map((k) => `r.${k} IS NOT DISTINCT FROM g.${k}`).join(' AND ');
  const rows = await db.query<Omit<GroupRow, 'revenueByCurrency'> & { revenueByCurrency: ByCurrency | null }>(
    `WITH reported AS (${reportingChannelsSql('$1')}
     ), base AS (
       SELECT m.id, m.customer_id, m.channel, m.template, m.locale, m.status, m.sent_at, m.delivered_at, m.opened_at, m.clicked_at, m.updated_at,
              COALESCE(m.sent_at, m.created_at) AS at, i.journey_id, i.step_id,
              COALESCE((SELECT string_agg(a.key || '=' || a.value, ',' ORDER BY a.key)
                        FROM jsonb_each_text(CASE WHEN jsonb_typeof(i.context -> 'arms') = 'object' THEN i.context -> 'arms' END) AS a), '') AS arms,
              (m.opened_at IS NOT NULL OR m.clicked_at IS NOT NULL) AS opened,
              ${machineOpenAtSql('m', '$1')} AS machine_at
       FROM messages m LEFT JOIN message_intents i ON i.id = m.intent_id
       WHERE m.workspace_id = $1 AND COALESCE(m.sent_at, m.created_at) >= $2 AND COALESCE(m.sent_at, m.created_at) < $3
         AND m.status NOT IN ('claimed', 'queued', 'sending')
     ), f AS (
       SELECT b.*, ${GROUP[by].map((c, i) => `${c} AS k${i}`).join(', ')}, b.machine_at IS NOT NULL AS machine,
              (${deliveredAtSql('b', 'b.machine_at', 'SELECT ch FROM reported')}) IS NOT NULL AS delivered
       FROM base b
     ), conv AS (
       SELECT f.id, ${orderCurrencySql('o.currency', '$5')} AS currency, sum(o.total - o.refunded)::float8 AS revenue
       FROM f JOIN orders o ON o.workspace_id = $1 AND o.customer_id = f.customer_id AND o.status = 'completed'
         AND o.placed_at > f.clicked_at AND o.placed_at <= f.clicked_at + make_interval(days => $4::int)
       WHERE f.clicked_at IS NOT NULL
         AND NOT EXISTS (
           SELECT 1 FROM messages l WHERE l.workspace_id = $1 AND l.customer_id = f.customer_id AND l.clicked_at IS NOT NULL
             AND l.clicked_at < o.placed_at AND (l.clicked_at > f.clicked_at OR (l.clicked_at = f.clicked_at AND l.id > f.id)))
       GROUP BY f.id, 2
     ), unsub AS (
       SELECT DISTINCT f.id
       FROM f JOIN events e ON e.workspace_id = $1 AND e.customer_id = f.customer_id AND e.name = 'Consent Revoked'
         AND e.timestamp >= f.at AND e.timestamp <= f.at + make_interval(days => $4::int)
         AND e.properties ->> 'source' = 'unsubscribe_link' AND e.properties ->> 'channel' IN (f.channel, '*')
       WHERE f.delivered
         AND NOT EXISTS (
           SELECT 1 FROM messages l WHERE l.workspace_id = $1 AND l.customer_id = f.customer_id AND l.sent_at IS NOT NULL
             AND l.sent_at <= e.timestamp AND e.properties ->> 'channel' IN (l.channel, '*')
             AND (l.sent_at > f.at OR (l.sent_at = f.at AND l.id > f.id)))
     ), g AS (
       SELECT ${fKeys},
         count(*)::int AS sent,
         count(*) FILTER (WHERE f.delivered)::int AS delivered,
         count(*) FILTER (WHERE f.delivered AND f.opened)::int AS opens,
         count(*) FILTER (WHERE f.delivered AND f.clicked_at IS NOT NULL)::int AS clicks,
         count(converted.id)::int AS conversions,
         count(*) FILTER (WHERE f.delivered AND (f.status = 'unsubscribed' OR unsub.id IS NOT NULL))::int AS unsubscribes,
         count(*) FILTER (WHERE f.status = 'bounced')::int AS bounced,
         count(*) FILTER (WHERE f.status = 'failed')::int AS failed,
         count(*) FILTER (WHERE f.delivered AND f.machine AND NOT f.opened)::int AS "machineOpens"
       FROM f LEFT JOIN unsub ON unsub.id = f.id LEFT JOIN (SELECT DISTINCT id FROM conv) converted ON converted.id = f.id
       GROUP BY ${fKeys}
     ), revenue AS MATERIALIZED ( -- made once: each group looks up its row below (groups may have NULL keys, hence IS NOT DISTINCT FROM)
       SELECT ${keys.join(', ')}, jsonb_object_agg(currency, amount) AS by_currency
       FROM (SELECT ${fKeys}, conv.currency, sum(conv.revenue) AS amount
             FROM f JOIN conv ON conv.id = f.id GROUP BY ${fKeys}, conv.currency) c
       GROUP BY ${keys.join(', ')}
     )
     SELECT ${named}, g.sent, g.delivered, g.opens, g.clicks, g.conversions, g.unsubscribes, g.bounced, g.failed, g."machineOpens",
            (SELECT r.by_currency FROM revenue r WHERE ${sameGroup}) AS "revenueByCurrency"
     FROM g`,
    [ws, w.from, w.until, w.attributionDays, w.baseCurrency],
  );
  const none = { day: null, journeyId: null, stepId: null, channel: null, template: null, locale: null, arms: null };
  return rows.map((r) => ({ ...none, ...r, revenueByCurrency: r.revenueByCurrency ?? {} }));
}
