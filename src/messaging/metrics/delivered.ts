// When a message counts as delivered, and since when: one rule, read by the metrics (the delivered count is the
// messages with a delivered time) and by the message log (deliveredAt), so the two always agree.
//
// A message handed to the provider (not queued or sending) and not refused (bounced, failed) is delivered at the
// earliest proof of it: a delivery report (delivered_at), a person's open or click, a machine's open (its event
// msg:<key>:<channel>:opened:machine, tracking/record.ts), or a complaint or unsubscribe reported without an earlier
// proof (the time of that report, updated_at, as nothing moves a message after it). A channel on which no delivery
// report has EVER arrived in the workspace cannot prove delivery (SMTP without a reporting webhook, most push and chat
// providers): there a message the provider accepted is delivered when it was sent, unless the send is in doubt after a
// crash (unknown). Once one report arrives for a channel, only proven messages count on it.
import { CHANNELS } from '../../channels/pure.ts';

/** SQL: the channels on which a delivery report has ever arrived in workspace `ws` (one probe of messages_delivery_reports each). */
export const reportingChannelsSql = (ws: string) =>
  `SELECT r.ch FROM unnest(ARRAY[${CHANNELS.map((c) => `'${c}'`).join(', ')}]::text[]) AS r(ch)
   WHERE EXISTS (SELECT 1 FROM messages d WHERE d.workspace_id = ${ws} AND d.channel = r.ch AND d.delivered_at IS NOT NULL)`;

/** SQL: when a machine fetched the open pixel of message row `m` (its event, by primary key), or NULL. */
export const machineOpenAtSql = (m: string, ws: string) =>
  `(SELECT e.timestamp FROM events e WHERE e.workspace_id = ${ws} AND e.message_id = 'msg:' || ${m}.message_key || ':' || ${m}.channel || ':opened:machine')`;

/**
 * SQL: the time message row `m` counts as delivered from, or NULL when it does not. `m` has the messages columns
 * status, channel, sent_at, delivered_at, opened_at, clicked_at and updated_at; `machineOpenAt` is machineOpenAtSql or
 * a column holding it; `reporting` is a query of the reporting channels (reportingChannelsSql or a CTE of it).
 */
export const deliveredAtSql = (m: string, machineOpenAt: string, reporting: string) =>
  `CASE WHEN ${m}.status IN ('claimed', 'queued', 'sending', 'bounced', 'failed') THEN NULL ELSE LEAST(
     ${m}.delivered_at, ${m}.opened_at, ${m}.clicked_at, ${machineOpenAt},
     CASE WHEN ${m}.status IN ('complained', 'unsubscribed') THEN ${m}.updated_at END,
     CASE WHEN ${m}.status <> 'unknown' AND ${m}.channel NOT IN (${reporting}) THEN ${m}.sent_at END) END`;
