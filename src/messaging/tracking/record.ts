// What a pixel fetch or a tracked-link click records. A person's open or click goes through applyReceipt like any
// provider report: the status moves forward, opened_at / clicked_at are set once, and `Message Opened` /
// `Message Clicked` is logged once per message (its event id makes a second open a no-op). A click implies an open.
//
// A machine's hit (machine.ts) is recorded ONLY as an event with `machine: true` and the reason, under its own event id
// (msg:<message key>:<channel>:opened:machine, …:clicked:machine): it sets no timestamp and no status, so it never
// counts as an open or a click; the metrics find it by that id (metrics/query.ts). Segments and journeys that read
// `Message Opened` should filter on `machine`.
import type { Db } from '../../store/index.ts';
import { logOwnEvents } from '../../customers/index.ts';
import { applyReceipt } from '../dispatch/receipts.ts';
import type { Channel } from '../../channels/index.ts';
import { machineReason, type Hit, type MachineReason } from './machine.ts';

export type Recorded = { recorded: 'open' | 'click' | 'machine'; reason?: MachineReason } | { recorded: 'nothing' };

export interface TrackingRequest {
  method: string;
  ip: string | null;
  userAgent: string | null;
  at: Date;
}

interface MessageRow {
  message_key: string;
  channel: Channel;
  customer_id: string;
  sent_at: Date;
}

/** The event id of a machine's open or click of a message (one each per message). */
export const machineEventId = (messageKey: string, channel: string, what: 'opened' | 'clicked') =>
  `msg:${messageKey}:${channel}:${what}:machine`;

async function messageOf(db: Db, ws: string, messageId: string): Promise<MessageRow | null> {
  const [m] = await db.query<MessageRow>(
    'SELECT message_key, channel, customer_id::text, COALESCE(sent_at, created_at) AS sent_at FROM messages WHERE workspace_id = $1 AND id = $2::bigint',
    [ws, messageId],
  );
  return m ?? null;
}

async function logMachine(
  db: Db,
  ws: string,
  m: MessageRow,
  what: 'opened' | 'clicked',
  reason: MachineReason,
  r: TrackingRequest,
  extra: Record<string, unknown>,
) {
  await logOwnEvents(db, ws, [
    {
      customerId: m.customer_id,
      name: what === 'opened' ? 'Message Opened' : 'Message Clicked',
      messageId: machineEventId(m.message_key, m.channel, what),
      at: r.at,
      properties: {
        messageKey: m.message_key,
        channel: m.channel,
        machine: true,
        reason,
        userAgent: r.userAgent,
        ...extra,
      },
    },
  ]);
}

const hit = (r: TrackingRequest, m: MessageRow): Hit => ({ ...r, sentAt: new Date(m.sent_at) });

/** The open pixel of a message was fetched. A message that no longer exists (erased) records nothing. */
export async function recordOpen(db: Db, ws: string, messageId: string, r: TrackingRequest): Promise<Recorded> {
  const m = await messageOf(db, ws, messageId);
  if (!m) return { recorded: 'nothing' };
  const reason = machineReason(hit(r, m));
  if (reason) {
    await logMachine(db, ws, m, 'opened', reason, r, {});
    return { recorded: 'machine', reason };
  }
  await applyReceipt(db, ws, { messageKey: m.message_key, channel: m.channel, status: 'opened', at: r.at });
  return { recorded: 'open' };
}

/** A tracked link of a message was followed to url: a click, and the open it implies. */
export async function recordClick(
  db: Db,
  ws: string,
  messageId: string,
  url: string,
  r: TrackingRequest,
): Promise<Recorded> {
  const m = await messageOf(db, ws, messageId);
  if (!m) return { recorded: 'nothing' };
  const reason = machineReason(hit(r, m));
  if (reason) {
    await logMachine(db, ws, m, 'clicked', reason, r, { url });
    return { recorded: 'machine', reason };
  }
  await applyReceipt(db, ws, {
    messageKey: m.message_key,
    channel: m.channel,
    status: 'opened',
    detail: 'implied by a click',
    at: r.at,
  });
  await applyReceipt(db, ws, {
    messageKey: m.message_key,
    channel: m.channel,
    status: 'clicked',
    detail: url,
    at: r.at,
  });
  return { recorded: 'click' };
}
