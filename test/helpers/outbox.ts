// An outbox to drain, for the dispatcher's crash and fairness tests: a workspace whose e-mail goes to a local SMTP server
// (optionally rate-limited), a plain template, customers who consented to marketing e-mail, and their message intents
// written as journeys write them.
import type { Db } from '../../src/store/db.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel } from '../../src/channels/store.ts';
import { recordConsent } from '../../src/consent/store.ts';
import { putGateSettings } from '../../src/messaging/gate-settings.ts';
import { putJourneySettings } from '../../src/journeys/index.ts';

const NOTE = {
  en: {
    email: {
      subject: 'Note for {{ customer.first_name }}',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{ customer.first_name }}</mj-text></mj-column></mj-section></mj-body></mjml>',
    },
  },
};

export interface OutboxShop {
  ws: string;
  /** Recipient addresses, in customer order. */
  addresses: string[];
  /** Writes one intent per customer (or for the given ones): marketing unless said, e-mail unless a channel policy is given. */
  intents(opts?: {
    purpose?: 'marketing' | 'transactional';
    prefix?: string;
    only?: number[];
    channel?: object;
  }): Promise<void>;
}

/** A workspace with `people` consenting customers whose e-mail goes to 127.0.0.1:`smtpPort`. */
export async function outboxShop(
  db: Db,
  now: Date,
  o: { name: string; people: number; smtpPort: number; perSecond?: number; sms?: { url: string } },
): Promise<OutboxShop> {
  const ws = (await createWorkspace(db, o.name)).id;
  await putJourneySettings(db, ws, { share: 0, timezone: 'UTC' });
  await putGateSettings(db, ws, { quietHours: null, caps: {} });
  await saveChannel(db, ws, 'email', {
    provider: 'smtp',
    config: { host: '127.0.0.1', port: o.smtpPort, secure: false, from: `${o.name} <shop@example.com>` },
    ...(o.perSecond ? { perSecond: o.perSecond } : {}),
  });
  if (o.sms)
    await saveChannel(db, ws, 'sms', {
      provider: 'sms-http',
      config: { url: o.sms.url, body: { to: '{{to}}', text: '{{text}}' }, idPath: 'id' },
    });
  await createTemplate(db, ws, {
    id: 'note',
    name: 'Note',
    defaultLocale: 'en',
    content: { en: { ...NOTE.en, sms: { text: 'Hi {{ customer.first_name }}' } } },
  });
  const addresses = Array.from({ length: o.people }, (_, i) => `${o.name}-${i}@example.com`);
  const r = await ingest(
    db,
    ws,
    addresses.map((email, i) => ({
      type: 'identify',
      userId: `u${i}`,
      traits: { first_name: `P${i}`, email, phone: `+4860${String(i).padStart(7, '0')}` },
      timestamp: now.toISOString(),
    })),
    { receivedAt: now },
  );
  if (r.rejected.length) throw new Error(`identify rejected: ${JSON.stringify(r.rejected[0])}`);
  const byUser = new Map(
    (
      await db.query<{ user_id: string; id: string }>(
        'SELECT user_id, id::text FROM customers WHERE workspace_id = $1',
        [ws],
      )
    ).map((c) => [c.user_id, c.id]),
  );
  const customerIds = addresses.map((_, i) => byUser.get(`u${i}`)!);
  for (const id of customerIds) {
    for (const channel of ['email', 'sms'] as const) {
      await recordConsent(db, ws, id, {
        channel,
        purpose: 'marketing',
        granted: true,
        source: 'signup_form',
        ip: '203.0.113.9',
        textVersion: 'v1',
        at: now,
      });
    }
  }
  return {
    ws,
    addresses,
    async intents(opts = {}) {
      const which = opts.only ?? customerIds.map((_, i) => i);
      await db.query(
        `INSERT INTO message_intents (workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, created_at)
         SELECT $1, $2 || k, c, 'j', 's', $3, 'note', $5, $6 FROM unnest($4::bigint[]) WITH ORDINALITY AS x(c, k)`,
        [
          ws,
          `${opts.prefix ?? 'note'}-`,
          opts.purpose ?? 'marketing',
          which.map((i) => customerIds[i]),
          JSON.stringify(opts.channel ?? { fixed: 'email' }),
          now,
        ],
      );
    },
  };
}
