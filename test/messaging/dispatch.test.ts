// The dispatcher against real local servers: an SMTP server (smtp-server), an HTTP SMS gateway and a Web Push service.
// Each scenario puts message intents in the outbox (as journeys do), dispatches on a virtual clock and checks what the
// servers received, the message rows and the events: consent, suppression, quiet hours, caps across journeys (and
// across workers), retries that pass the gate again, a crash after the hand-over, each channel's own unsubscribe link,
// a cascade that stops on a delivery report (also one that comes early), a provider's unsubscribe, and the newest
// usable Web Push subscription.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import {
  consentFor,
  consentState,
  readLink,
  recordConsent,
  revokeByPhone,
  suppress,
  unsubscribeByLink,
} from '../../src/consent/store.ts';
import { putGateSettings } from '../../src/messaging/gate-settings.ts';
import { putJourneySettings } from '../../src/journeys/index.ts';
import { dispatchDue, type DispatchOptions, type Renderer } from '../../src/messaging/dispatch/dispatcher.ts';
import type { GateSettings } from '../../src/messaging/gate.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { recoverInterrupted } from '../../src/messaging/dispatch/recover.ts';
import { applyReceipt } from '../../src/messaging/dispatch/receipts.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { readMail } from '../helpers/mail-parts.ts';
import { localServer, type Answer } from '../channels/servers.ts';
import { addSubscription } from '../../src/channels/push-subscriptions.ts';
import { createECDH, randomBytes } from 'node:crypto';
import webpush from 'web-push';

/**
 * A local SMS gateway: answers {id} and keeps each request. `refuse` answers the next requests 503 (try later);
 * `beforeAnswer` runs between receiving a message and answering it (a delivery report racing the answer, a slow send).
 */
async function smsGateway() {
  const sent: { to: string; text: string }[] = [];
  const gw = {
    sent,
    refuse: 0,
    beforeAnswer: null as ((msg: { to: string; text: string }, id: string) => Promise<void>) | null,
    url: '',
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    // A throw in here fails the test as an unhandled rejection, like an assertion anywhere else.
    req.on(
      'end',
      () =>
        void (async () => {
          if (gw.refuse > 0) {
            gw.refuse--;
            res.statusCode = 503;
            res.end('busy, try again later');
            return;
          }
          const msg = JSON.parse(body);
          sent.push(msg);
          const id = `sms-${sent.length}`;
          await gw.beforeAnswer?.(msg, id);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ id }));
        })(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  gw.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  return gw;
}

const NEWS = {
  en: {
    email: {
      subject: 'Hello {{ customer.first_name }}',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>News for {{ customer.first_name }}</mj-text></mj-column></mj-section></mj-body></mjml>',
    },
    sms: { text: 'News for {{ customer.first_name }}' },
  },
};

/** News whose e-mail and SMS both print the unsubscribe link (each message must carry its own channel's). */
const NEWS_WITH_LINKS = {
  en: {
    email: {
      subject: 'News',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>News <a href="{% unsubscribe_url %}">unsubscribe</a></mj-text></mj-column></mj-section></mj-body></mjml>',
    },
    sms: { text: 'News. Stop: {% unsubscribe_url %}' },
  },
};

describe(`dispatcher: outbox → gate → template → provider (${backend})`, () => {
  let t: TestDb;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let gateway: Awaited<ReturnType<typeof smsGateway>>;
  before(async () => {
    t = await freshDb();
    smtp = await smtpServer();
    gateway = await smsGateway();
  });
  after(async () => {
    await closeProviders();
    await smtp.close();
    await gateway.close();
    await t.close();
  });

  /** A workspace with e-mail (local SMTP) and SMS (local gateway), the "news" and "news-links" templates, customers with consent. */
  async function shop(now: Date, gate: { caps?: GateSettings['caps'] } = {}) {
    const ws = (await createWorkspace(t.db, 'shop')).id;
    await putJourneySettings(t.db, ws, { share: 0, timezone: 'Europe/Warsaw' });
    await putGateSettings(t.db, ws, {
      quietHours: { from: '21:00', to: '09:00' },
      caps: gate.caps ?? { all: { perDay: 1, perWeek: 3 } },
    });
    await saveChannel(t.db, ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    await saveChannel(t.db, ws, 'sms', {
      provider: 'sms-http',
      config: { url: gateway.url, body: { to: '{{to}}', text: '{{text}}' }, idPath: 'id' },
      pricePerMessage: 0.05,
    });
    await createTemplate(t.db, ws, { id: 'news', name: 'News', defaultLocale: 'en', content: NEWS });
    await createTemplate(t.db, ws, {
      id: 'news-links',
      name: 'News with links',
      defaultLocale: 'en',
      content: NEWS_WITH_LINKS,
    });
    const people = ['ann', 'bob', 'cy', 'dee'];
    const r = await ingest(
      t.db,
      ws,
      people.map((u, i) => ({
        type: 'identify',
        userId: u,
        traits: { first_name: u.toUpperCase(), email: `${u}@example.com`, phone: `+4860000000${i}` },
        timestamp: now.toISOString(),
      })),
      { receivedAt: now },
    );
    assert.deepEqual(r.rejected, []);
    const ids = Object.fromEntries(
      (
        await t.db.query<{ user_id: string; id: string }>(
          'SELECT user_id, id::text FROM customers WHERE workspace_id = $1',
          [ws],
        )
      ).map((c) => [c.user_id, c.id]),
    );
    const consent = async (user: string, channel: 'email' | 'sms', granted = true) =>
      recordConsent(t.db, ws, ids[user]!, {
        channel,
        purpose: 'marketing',
        granted,
        source: 'signup_form',
        ip: '203.0.113.9',
        textVersion: 'v1',
        at: now,
      });
    let n = 0;
    const intent = async (
      user: string,
      opts: {
        purpose?: 'marketing' | 'transactional';
        channel?: object;
        key?: string;
        at?: Date;
        template?: string;
      } = {},
    ) => {
      n += 1;
      await t.db.query(
        `INSERT INTO message_intents (workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, created_at)
         VALUES ($1, $2, $3, 'j', 's', $4, $5, $6, $7)`,
        [
          ws,
          opts.key ?? `k${n}`,
          ids[user],
          opts.purpose ?? 'marketing',
          opts.template ?? 'news',
          JSON.stringify(opts.channel ?? { fixed: 'email' }),
          opts.at ?? now,
        ],
      );
    };
    const dispatch = (at: Date, extra: Partial<DispatchOptions> = {}) =>
      dispatchDue(t.db, at, {
        providers: configuredProviders(),
        renderer: templateRenderer,
        baseUrl: 'http://retain.test',
        ...extra,
      });
    const events = async () =>
      (
        await t.db.query<{ user_id: string; name: string; properties: Record<string, unknown> }>(
          "SELECT c.user_id, e.name, e.properties FROM events e JOIN customers c ON c.workspace_id = e.workspace_id AND c.id = e.customer_id WHERE e.workspace_id = $1 AND e.name LIKE 'Message %' ORDER BY e.timestamp, e.message_id",
          [ws],
        )
      ).map(
        (e) =>
          `${e.user_id} ${e.name}${e.properties.reason ? ` ${e.properties.reason}` : ''}${e.properties.channel ? ` ${e.properties.channel}` : ''}`,
      );
    const messages = () =>
      t.db.query<{
        message_key: string;
        channel: string;
        status: string;
        attempts: number;
        error: string | null;
        provider_message_id: string | null;
        sent_at: Date | null;
        locale: string | null;
      }>(
        'SELECT message_key, channel, status, attempts, error, provider_message_id, sent_at, locale FROM messages WHERE workspace_id = $1 ORDER BY id',
        [ws],
      );
    return { ws, ids, consent, intent, dispatch, events, messages };
  }

  const NOON = new Date('2026-06-01T10:00:00Z'); // 12:00 in Warsaw

  it('marketing e-mail: sent with consent (one-click unsubscribe headers), skipped without, skipped when suppressed; transactional needs none', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'email');
    await s.consent('cy', 'email');
    await suppress(t.db, s.ws, 'email', 'cy@example.com', 'hard_bounce', 'mailbox gone', NOON);
    const before = smtp.mails.length;
    await s.intent('ann');
    await s.intent('bob');
    await s.intent('cy');
    await s.intent('dee', { purpose: 'transactional' });
    const r = await s.dispatch(NOON);
    assert.deepEqual([r.sent, r.skipped], [2, 2]);
    const mails = smtp.mails.slice(before);
    assert.deepEqual(mails.map((m) => m.to).sort(), ['ann@example.com', 'dee@example.com']);
    const ann = mails.find((m) => m.to === 'ann@example.com')!.raw;
    assert.match(ann, /Subject: Hello ANN/);
    assert.match(ann, /List-Unsubscribe:\s+<http:\/\/retain\.test\/c\/unsubscribe\?t=[^>]+>/);
    assert.match(ann, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    assert.doesNotMatch(
      mails.find((m) => m.to === 'dee@example.com')!.raw,
      /List-Unsubscribe/,
      'transactional mail has no unsubscribe',
    );
    assert.deepEqual(
      (await s.events()).sort(),
      [
        'ann Message Sent email',
        'bob Message Skipped no_consent',
        'cy Message Skipped suppressed',
        'dee Message Sent email',
      ].sort(),
    );
  });

  it('the outbox goes out oldest first, ids compared as numbers: intent 9,000,000,009 before 90,000,000,010', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'email');
    await s.consent('bob', 'email');
    const before = smtp.mails.length;
    for (const [id, user] of [
      [90_000_000_010, 'bob'],
      [9_000_000_009, 'ann'],
    ] as const) {
      await t.db.query(
        `INSERT INTO message_intents (id, workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, created_at)
         OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, 'j', 's', 'transactional', 'news', '{"fixed": "email"}', $5)`,
        [id, s.ws, `order-${id}`, s.ids[user], NOON],
      );
    }
    const opts = {
      providers: configuredProviders(),
      renderer: templateRenderer,
      baseUrl: 'http://retain.test',
      limit: 1,
    };
    assert.equal((await dispatchDue(t.db, NOON, opts)).sent, 1);
    assert.deepEqual(
      smtp.mails.slice(before).map((m) => m.to),
      ['ann@example.com'],
    );
    assert.equal((await dispatchDue(t.db, NOON, opts)).sent, 1);
    assert.deepEqual(
      smtp.mails.slice(before).map((m) => m.to),
      ['ann@example.com', 'bob@example.com'],
    );
  });

  it('quiet hours defer to 09:00 local; the cap (1 a day across journeys) defers the second; both go when allowed', async () => {
    const night = new Date('2026-06-01T20:30:00Z'); // 22:30 in Warsaw
    const s = await shop(night);
    await s.consent('ann', 'email');
    await s.intent('ann', { key: 'journey-a' });
    await s.intent('ann', { key: 'journey-b' });
    const r = await s.dispatch(night);
    assert.equal(r.deferred, 2);
    const [due] = await t.db.query<{ not_before: Date }>(
      'SELECT min(not_before) AS not_before FROM message_intents WHERE workspace_id = $1',
      [s.ws],
    );
    assert.equal(new Date(due!.not_before).toISOString(), '2026-06-02T07:00:00.000Z', '09:00 in Warsaw');
    const morning = new Date('2026-06-02T07:00:00Z');
    const r2 = await s.dispatch(morning);
    assert.deepEqual([r2.sent, r2.deferred], [1, 1], 'one a day: the second waits');
    const r3 = await s.dispatch(new Date('2026-06-03T07:00:01Z'));
    assert.equal(r3.sent, 1);
    assert.deepEqual(await s.events(), [
      'ann Message Deferred quiet_hours',
      'ann Message Deferred quiet_hours',
      'ann Message Sent email',
      'ann Message Deferred frequency_cap',
      'ann Message Sent email',
    ]);
  });

  it('a retryable SMTP refusal (451) is retried with back-off; a 550 fails and suppresses the address', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'email');
    await s.consent('bob', 'email');
    smtp.reject.set('ann@example.com', 451);
    smtp.reject.set('bob@example.com', 550);
    await s.intent('ann', { purpose: 'transactional' });
    await s.intent('bob', { purpose: 'transactional' });
    const r = await s.dispatch(NOON);
    assert.deepEqual([r.sent, r.retried, r.failed], [0, 1, 1]);
    const later = new Date(NOON.getTime() + 31_000);
    const r2 = await s.dispatch(later);
    assert.equal(r2.sent, 1);
    const rows = await t.db.query<{ address: string; status: string; attempts: number }>(
      'SELECT address, status, attempts FROM messages WHERE workspace_id = $1 ORDER BY address',
      [s.ws],
    );
    assert.deepEqual(rows, [
      { address: 'ann@example.com', status: 'sent', attempts: 2 },
      { address: 'bob@example.com', status: 'bounced', attempts: 1 },
    ]);
    const [sup] = await t.db.query<{ reason: string }>(
      "SELECT reason FROM suppressions WHERE workspace_id = $1 AND address = 'bob@example.com'",
      [s.ws],
    );
    assert.equal(sup?.reason, 'hard_bounce');
  });

  it('crash after the hand-over: the mail went out, the worker died before marking it; it is never sent again', async () => {
    const s = await shop(NOON);
    await s.intent('dee', { purpose: 'transactional', key: 'invoice-1' });
    const before = smtp.mails.length;
    await t.db.query(
      `CREATE FUNCTION crash_marking() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.status = 'sent' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$`,
    );
    await t.db.query(
      'CREATE TRIGGER crash_marking BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION crash_marking()',
    );
    try {
      await assert.rejects(() => s.dispatch(NOON), /simulated crash/);
    } finally {
      await t.db.query('DROP TRIGGER crash_marking ON messages');
      await t.db.query('DROP FUNCTION crash_marking()');
    }
    assert.equal(smtp.mails.length - before, 1, 'handed over once');
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 60_000))).claimed, 0, 'the intent is not pending again');
    assert.deepEqual(await recoverInterrupted(t.db, new Date(NOON.getTime() + 10 * 60_000)), {
      returned: 0,
      unknown: 1,
      retried: 0,
    });
    await s.dispatch(new Date(NOON.getTime() + 11 * 60_000));
    assert.equal(smtp.mails.length - before, 1, 'still once');
    const [m] = await t.db.query<{ status: string }>('SELECT status FROM messages WHERE workspace_id = $1', [s.ws]);
    assert.equal(m!.status, 'unknown');
  });

  it('cascade SMS → e-mail: no delivery report within the hour → the e-mail; a delivery report stops it', async () => {
    const s = await shop(NOON);
    for (const u of ['ann', 'bob']) {
      await s.consent(u, 'email');
      await s.consent(u, 'sms');
    }
    const cascade = {
      cascade: [
        { channel: 'sms', timeout: 'PT1H' },
        { channel: 'email', timeout: 'PT1H' },
      ],
    };
    await s.intent('ann', { channel: cascade, key: 'offer-ann' });
    await s.intent('bob', { channel: cascade, key: 'offer-bob' });
    const smsBefore = gateway.sent.length;
    const mailBefore = smtp.mails.length;
    assert.equal((await s.dispatch(NOON)).sent, 2, (await s.events()).join('; '));
    assert.deepEqual(
      gateway.sent
        .slice(smsBefore)
        .map((m) => m.text)
        .sort(),
      ['News for ANN', 'News for BOB'],
    );
    const [bobSms] = await t.db.query<{ provider_message_id: string }>(
      "SELECT provider_message_id FROM messages WHERE workspace_id = $1 AND message_key = 'offer-bob'",
      [s.ws],
    );
    await applyReceipt(t.db, s.ws, {
      providerMessageId: bobSms!.provider_message_id,
      status: 'delivered',
      at: new Date(NOON.getTime() + 5 * 60_000),
    });
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 30 * 60_000))).sent, 0, 'within the hour: nothing more');
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 61 * 60_000))).sent, 1);
    assert.deepEqual(
      smtp.mails.slice(mailBefore).map((m) => m.to),
      ['ann@example.com'],
      'only ann, whose SMS was not delivered, gets the e-mail',
    );
    assert.deepEqual(
      (await s.events()).filter((e) => !e.includes('Deferred')),
      ['ann Message Sent sms', 'bob Message Sent sms', 'bob Message Delivered sms', 'ann Message Sent email'],
    );
  });

  // ---- each message carries its own channel's links ----

  it("each channel's message carries its own unsubscribe link: a best or cascade route's e-mail unsubscribes from e-mail, its SMS from SMS", async () => {
    const s = await shop(NOON, { caps: {} });
    await s.consent('ann', 'email'); // no SMS consent: {best: [sms, email]} takes ann to e-mail
    await s.consent('bob', 'email');
    await s.consent('bob', 'sms');
    await s.intent('ann', { template: 'news-links', channel: { best: ['sms', 'email'] } });
    await s.intent('bob', {
      template: 'news-links',
      channel: {
        cascade: [
          { channel: 'sms', timeout: 'PT1H' },
          { channel: 'email', timeout: 'PT1H' },
        ],
      },
    });
    const mailBefore = smtp.mails.length;
    const smsBefore = gateway.sent.length;
    assert.equal((await s.dispatch(NOON)).sent, 2);
    assert.equal(
      (await s.dispatch(new Date(NOON.getTime() + 61 * 60_000))).sent,
      1,
      "bob's SMS was not delivered: his e-mail",
    );
    const mailTo = (to: string) => smtp.mails.slice(mailBefore).find((m) => m.to === to)!.raw;
    const linkIn = (raw: string) => ({
      header: /^List-Unsubscribe:\s*<([^>]+)>/m.exec(raw.replace(/\r\n[ \t]+/g, ' '))![1]!,
      body: /href="(http:\/\/retain\.test\/c\/unsubscribe\?t=[^"]+)"/.exec(readMail(raw).html!)![1]!,
    });
    const named = async (link: string) => {
      const read = await readLink(t.db, new URL(link).searchParams.get('t')!, 'unsubscribe', NOON);
      if (!read.ok) assert.fail(`the link does not verify: ${read.reason}`);
      return read.payload;
    };
    const ann = linkIn(mailTo('ann@example.com'));
    const bob = linkIn(mailTo('bob@example.com'));
    const bobSms = /(http:\/\/retain\.test\/c\/unsubscribe\?t=\S+)/.exec(
      gateway.sent.slice(smsBefore).find((m) => m.to === '+48600000001')!.text,
    )![1]!;
    assert.deepEqual(
      [(await named(ann.header)).ch, (await named(ann.body)).ch],
      ['email', 'email'],
      "ann's e-mail: List-Unsubscribe and the link in it",
    );
    assert.deepEqual(
      [(await named(bob.header)).ch, (await named(bob.body)).ch, (await named(bobSms)).ch],
      ['email', 'email', 'sms'],
    );

    // the one-click unsubscribe of each e-mail stops e-mail and leaves SMS as it was
    for (const link of [ann.header, bob.header])
      assert.equal(
        await unsubscribeByLink(t.db, await named(link), new Date(NOON.getTime() + 2 * 3600_000), null),
        true,
      );
    const marketing = async (user: string, channel: 'email' | 'sms') =>
      consentFor(await consentState(t.db, s.ws, s.ids[user]!), channel, 'marketing')?.granted ?? null;
    assert.deepEqual(
      [
        await marketing('ann', 'email'),
        await marketing('ann', 'sms'),
        await marketing('bob', 'email'),
        await marketing('bob', 'sms'),
      ],
      [false, null, false, true],
    );
  });

  it('the message records the locale of the variant rendered for the channel it went by', async () => {
    const s = await shop(NOON, { caps: {} });
    await ingest(
      t.db,
      s.ws,
      [{ type: 'identify', userId: 'ann', traits: { locale: 'pl-PL' }, timestamp: NOON.toISOString() }],
      { receivedAt: NOON },
    );
    await createTemplate(t.db, s.ws, {
      id: 'news-pl',
      name: 'News (SMS in Polish)',
      defaultLocale: 'en',
      content: { en: { email: NEWS.en.email, sms: { text: 'News' } }, pl: { sms: { text: 'Nowości' } } },
    });
    await s.consent('ann', 'sms'); // no e-mail consent: SMS, which has a Polish variant (the e-mail has only English)
    await s.intent('ann', { template: 'news-pl', channel: { best: ['email', 'sms'] } });
    assert.equal((await s.dispatch(NOON)).sent, 1);
    assert.deepEqual(
      (await s.messages()).map((m) => `${m.channel} ${m.locale}`),
      ['sms pl'],
    );
  });

  // ---- retries go through the gate ----

  it('a retry passes the whole gate again: a STOP between the tries stops the SMS, and the refused try is closed as failed', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'sms');
    await s.intent('ann', { channel: { fixed: 'sms' }, key: 'promo' });
    const before = gateway.sent.length;
    gateway.refuse = 1;
    assert.equal((await s.dispatch(NOON)).retried, 1);
    await revokeByPhone(t.db, s.ws, '+48600000000', 'sms_stop', new Date(NOON.getTime() + 10_000));
    const r = await s.dispatch(new Date(NOON.getTime() + 31_000));
    assert.deepEqual([r.sent, r.skipped], [0, 1]);
    assert.equal(gateway.sent.length - before, 0, 'nothing reached the gateway after the STOP');
    const [m] = await s.messages();
    assert.deepEqual([m!.status, m!.attempts], ['failed', 1]);
    assert.match(m!.error!, /^not retried: sms address suppressed: unsubscribed/);
    assert.deepEqual((await s.events()).sort(), ['ann Message Failed sms', 'ann Message Skipped suppressed']);
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 3600_000))).claimed, 0, 'nothing left to retry');
  });

  it('a retry waits out quiet hours like a first send: refused at 20:59:50, due at 21:00:20, sent at 09:00', async () => {
    const evening = new Date('2026-06-01T18:59:50Z'); // 20:59:50 in Warsaw
    const s = await shop(evening);
    await s.consent('ann', 'sms');
    await s.intent('ann', { channel: { fixed: 'sms' } });
    gateway.refuse = 1;
    assert.equal((await s.dispatch(evening)).retried, 1);
    const before = gateway.sent.length;
    assert.deepEqual((await s.dispatch(new Date('2026-06-01T19:00:21Z'))).deferred, 1);
    assert.equal(gateway.sent.length - before, 0, 'not in quiet hours');
    const [due] = await t.db.query<{ not_before: Date }>(
      'SELECT not_before FROM message_intents WHERE workspace_id = $1',
      [s.ws],
    );
    assert.equal(new Date(due!.not_before).toISOString(), '2026-06-02T07:00:00.000Z', '09:00 in Warsaw');
    assert.equal((await s.dispatch(new Date('2026-06-02T07:00:00Z'))).sent, 1);
    assert.deepEqual(
      (await s.messages()).map((m) => `${m.status} ${m.attempts}`),
      ['sent 2'],
    );
  });

  it('cascade SMS → e-mail: an SMS sent on its retry still waits for its delivery report, then the e-mail goes', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'sms');
    await s.consent('ann', 'email');
    await s.intent('ann', {
      channel: {
        cascade: [
          { channel: 'sms', timeout: 'PT1H' },
          { channel: 'email', timeout: 'PT1H' },
        ],
      },
    });
    const mailBefore = smtp.mails.length;
    gateway.refuse = 1;
    assert.equal((await s.dispatch(NOON)).retried, 1);
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 31_000))).sent, 1, 'the SMS on its second try');
    assert.equal(
      (await s.dispatch(new Date(NOON.getTime() + 30 * 60_000))).claimed,
      0,
      'waiting for a delivery report',
    );
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 62 * 60_000))).sent, 1);
    assert.deepEqual(
      smtp.mails.slice(mailBefore).map((m) => m.to),
      ['ann@example.com'],
      'no report within the hour: the e-mail',
    );
  });

  // ---- caps count messages still on their way ----

  it('frequency caps count a message waiting for its retry: under a cap of 1 a day, a second marketing message waits', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'sms');
    const before = gateway.sent.length;
    await s.intent('ann', { channel: { fixed: 'sms' }, key: 'first' });
    gateway.refuse = 1;
    assert.equal((await s.dispatch(NOON)).retried, 1);
    await s.intent('ann', { channel: { fixed: 'sms' }, key: 'second' });
    assert.deepEqual(
      (await s.dispatch(new Date(NOON.getTime() + 10_000))).deferred,
      1,
      'the first is still on its way',
    );
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 40_000))).sent, 1, "the first's retry");
    assert.equal(gateway.sent.length - before, 1, 'one marketing SMS a day');
    assert.ok((await s.events()).includes('ann Message Deferred frequency_cap'));
  });

  it("two workers deciding for one customer take turns: the second counts the first's message being sent (cap of 1 a day)", async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'sms');
    await s.intent('ann', { channel: { fixed: 'sms' }, key: 'w1' });
    await s.intent('ann', { channel: { fixed: 'sms' }, key: 'w2' });
    const before = gateway.sent.length;
    // worker 1 stops inside its deciding transaction (while rendering) until released
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const held = new Promise<void>((r) => (release = r));
    const stalling: Renderer = {
      async render(...args) {
        entered();
        await held;
        return templateRenderer.render(...args);
      },
    };
    const w1 = s.dispatch(NOON, { renderer: stalling, limit: 1 });
    await inside;
    const w2 = s.dispatch(NOON, { limit: 1 });
    await Promise.race([w2, new Promise((r) => setTimeout(r, 1000))]); // without turns, worker 2 decides meanwhile
    release();
    const [r1, r2] = await Promise.all([w1, w2]);
    assert.deepEqual([r1.sent, r2.sent, r2.deferred], [1, 0, 1]);
    assert.equal(gateway.sent.length - before, 1);
  });

  // ---- delivery reports that come early ----

  it('a delivery report that comes before the provider answers (by message key) is kept: the message stays delivered, the cascade stops', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'sms');
    await s.consent('ann', 'email');
    await s.intent('ann', {
      channel: {
        cascade: [
          { channel: 'sms', timeout: 'PT1H' },
          { channel: 'email', timeout: 'PT1H' },
        ],
      },
      key: 'early',
    });
    const reports: unknown[] = [];
    gateway.beforeAnswer = async () => {
      reports.push(
        await applyReceipt(t.db, s.ws, {
          messageKey: 'early',
          channel: 'sms',
          status: 'delivered',
          at: new Date(NOON.getTime() + 1000),
        }),
      );
    };
    try {
      assert.equal((await s.dispatch(NOON)).sent, 1);
    } finally {
      gateway.beforeAnswer = null;
    }
    assert.deepEqual(reports, [{ found: true, changed: true }]);
    const [m] = await s.messages();
    assert.equal(m!.status, 'delivered', 'the marking after the answer does not move it back to sent');
    assert.ok(m!.sent_at && m!.provider_message_id, 'yet it records the hand-over');
    const mailBefore = smtp.mails.length;
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 61 * 60_000))).claimed, 0, 'the cascade is over');
    assert.equal(smtp.mails.length - mailBefore, 0);
    assert.deepEqual(await s.events(), ['ann Message Sent sms', 'ann Message Delivered sms']);
  });

  it('each send is marked when its provider answers: a report for it (by provider id) is found while another send of the batch is still out', async () => {
    const s = await shop(NOON);
    for (const u of ['ann', 'bob']) {
      await s.consent(u, 'email');
      await s.consent(u, 'sms');
    }
    const cascade = {
      cascade: [
        { channel: 'sms', timeout: 'PT1H' },
        { channel: 'email', timeout: 'PT1H' },
      ],
    };
    await s.intent('ann', { channel: cascade });
    await s.intent('bob', { channel: cascade });
    let releaseBob!: () => void;
    const bobHeld = new Promise<void>((r) => (releaseBob = r));
    let annAnswered!: (id: string) => void;
    const annId = new Promise<string>((r) => (annAnswered = r));
    gateway.beforeAnswer = async (msg, id) => {
      if (msg.to === '+48600000001')
        await bobHeld; // bob's gateway is slow
      else setImmediate(() => annAnswered(id));
    };
    let report: unknown;
    try {
      const dispatching = s.dispatch(NOON);
      const id = await annId;
      const marked = async () =>
        (await t.db.query('SELECT 1 FROM messages WHERE workspace_id = $1 AND provider_message_id = $2', [s.ws, id]))
          .length > 0;
      for (let i = 0; i < 100 && !(await marked()); i++) await new Promise((r) => setTimeout(r, 50));
      report = await applyReceipt(t.db, s.ws, {
        providerMessageId: id,
        status: 'delivered',
        at: new Date(NOON.getTime() + 2000),
      });
      releaseBob();
      assert.equal((await dispatching).sent, 2);
    } finally {
      releaseBob();
      gateway.beforeAnswer = null;
    }
    assert.deepEqual(report, { found: true, changed: true });
    const mailBefore = smtp.mails.length;
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 61 * 60_000))).sent, 1);
    assert.deepEqual(
      smtp.mails.slice(mailBefore).map((m) => m.to),
      ['bob@example.com'],
      "ann's SMS was delivered: only bob gets the e-mail",
    );
  });

  // ---- reports that change consent ----

  it('an unsubscribe the provider reports revokes marketing on that channel (Consent Revoked), so the next marketing message is skipped', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'email');
    await s.intent('ann', { key: 'news-1' });
    assert.equal((await s.dispatch(NOON)).sent, 1);
    const r = await applyReceipt(t.db, s.ws, {
      messageKey: 'news-1',
      channel: 'email',
      status: 'unsubscribed',
      at: new Date(NOON.getTime() + 3600_000),
    });
    assert.deepEqual(r, { found: true, changed: true });
    const email = consentFor(await consentState(t.db, s.ws, s.ids.ann!), 'email', 'marketing');
    assert.deepEqual([email?.granted, email?.source], [false, 'provider_unsubscribe']);
    const [revoked] = await t.db.query<{ properties: Record<string, unknown> }>(
      "SELECT properties FROM events WHERE workspace_id = $1 AND name = 'Consent Revoked'",
      [s.ws],
    );
    assert.deepEqual([revoked?.properties.channel, revoked?.properties.source], ['email', 'provider_unsubscribe']);
    await s.intent('ann', { key: 'news-2' });
    await s.dispatch(new Date(NOON.getTime() + 2 * 86_400_000));
    assert.deepEqual((await s.events()).slice(-1), ['ann Message Skipped no_consent']);
    assert.deepEqual(
      (await s.messages()).map((m) => m.message_key),
      ['news-1'],
      'nothing more sent',
    );
  });

  // ---- answers that never come ----

  const rows = async (ws: string) =>
    t.db.query<{ status: string; reason: string | null; reason_detail: string | null }>(
      'SELECT status, reason, reason_detail FROM message_intents WHERE workspace_id = $1 ORDER BY id',
      [ws],
    );

  it('the SMTP server takes the mail and drops the connection before answering: the message is unknown, never sent again (at most once)', async () => {
    const s = await shop(NOON);
    await s.intent('dee', { purpose: 'transactional', key: 'receipt-1' });
    const before = smtp.mails.length;
    smtp.drop.add('dee@example.com');
    try {
      assert.equal((await s.dispatch(NOON)).unknown, 1);
    } finally {
      smtp.drop.delete('dee@example.com');
    }
    assert.equal(smtp.mails.length - before, 1, 'the server has it');
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 10 * 60_000))).claimed, 0, 'nothing to retry');
    assert.equal(smtp.mails.length - before, 1, 'still once');
    const [m] = await s.messages();
    assert.equal(m!.status, 'unknown');
    assert.match(m!.error!, /no reply from the server after the message was sent/);
    assert.deepEqual(
      (await rows(s.ws)).map((i) => `${i.status} ${i.reason}`),
      ['unknown in_doubt'],
    );
    assert.deepEqual(await s.events(), ['dee Message Status Unknown in_doubt email']);
  });

  it('…while an SMTP server that cannot be reached never saw the mail: it is retried', async () => {
    const s = await shop(NOON);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await saveChannel(t.db, s.ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port, secure: false, from: 'Shop <shop@example.com>', timeoutMs: 1000 },
    });
    await s.intent('dee', { purpose: 'transactional' });
    assert.equal((await s.dispatch(NOON)).retried, 1);
    assert.deepEqual(
      (await s.messages()).map((m) => m.status),
      ['queued'],
    );
    assert.deepEqual(
      (await rows(s.ws)).map((i) => `${i.status} ${i.reason}`),
      ['pending retry'],
    );
    await saveChannel(t.db, s.ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    assert.equal(
      (await s.dispatch(new Date(NOON.getTime() + 31_000))).sent,
      1,
      'the server is back: sent on the retry',
    );
  });

  it('an SMS gateway that answers after the timeout may have sent it: unknown, not retried; one that refuses the connection is retried', async () => {
    const s = await shop(NOON);
    await saveChannel(t.db, s.ws, 'sms', {
      provider: 'sms-http',
      config: { url: gateway.url, body: { to: '{{to}}', text: '{{text}}' }, idPath: 'id', timeoutMs: 200 },
      pricePerMessage: 0.05,
    });
    await s.intent('dee', { purpose: 'transactional', channel: { fixed: 'sms' }, key: 'code-1' });
    const before = gateway.sent.length;
    gateway.beforeAnswer = () => new Promise((r) => setTimeout(r, 600));
    try {
      assert.equal((await s.dispatch(NOON)).unknown, 1);
    } finally {
      gateway.beforeAnswer = null;
    }
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 10 * 60_000))).claimed, 0);
    assert.equal(gateway.sent.length - before, 1, 'the gateway got it once');
    assert.match(
      (await s.messages())[0]!.error!,
      /no answer from the provider after the message was sent \(timed out\)/,
    );

    await saveChannel(t.db, s.ws, 'sms', {
      provider: 'sms-http',
      config: { url: 'http://127.0.0.1:9/send', body: { to: '{{to}}', text: '{{text}}' }, timeoutMs: 200 },
    });
    await s.intent('dee', { purpose: 'transactional', channel: { fixed: 'sms' }, key: 'code-2' });
    assert.equal(
      (await s.dispatch(new Date(NOON.getTime() + 11 * 60_000))).retried,
      1,
      'nothing reached a gateway: try again',
    );
    await saveChannel(t.db, s.ws, 'sms', {
      provider: 'sms-http',
      config: { url: gateway.url, body: { to: '{{to}}', text: '{{text}}' }, idPath: 'id' },
    });
    assert.equal(
      (await s.dispatch(new Date(NOON.getTime() + 12 * 60_000))).sent,
      1,
      'the gateway is back: sent on the retry',
    );
  });

  it("a cascade whose SMS is in doubt treats it as sent without a report: the e-mail follows after the step's timeout, the SMS is not sent again", async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'sms');
    await s.consent('ann', 'email');
    await saveChannel(t.db, s.ws, 'sms', {
      provider: 'sms-http',
      config: { url: gateway.url, body: { to: '{{to}}', text: '{{text}}' }, idPath: 'id', timeoutMs: 200 },
      pricePerMessage: 0.05,
    });
    await s.intent('ann', {
      channel: {
        cascade: [
          { channel: 'sms', timeout: 'PT1H' },
          { channel: 'email', timeout: 'PT1H' },
        ],
      },
      key: 'doubt-cascade',
    });
    const smsBefore = gateway.sent.length;
    const mailBefore = smtp.mails.length;
    gateway.beforeAnswer = () => new Promise((r) => setTimeout(r, 600));
    try {
      assert.equal((await s.dispatch(NOON)).unknown, 1);
    } finally {
      gateway.beforeAnswer = null;
    }
    assert.equal(
      (await s.dispatch(new Date(NOON.getTime() + 30 * 60_000))).claimed,
      0,
      'waiting for a delivery report',
    );
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 61 * 60_000))).sent, 1);
    assert.deepEqual(
      [gateway.sent.length - smsBefore, smtp.mails.slice(mailBefore).map((m) => m.to)],
      [1, ['ann@example.com']],
    );
    assert.deepEqual(
      (await s.messages()).map((m) => `${m.channel} ${m.status}`),
      ['sms unknown', 'email sent'],
    );
  });

  it('a webhook receiver that answers too late gets the message again with the same Idempotency-Key (it deduplicates)', async () => {
    const s = await shop(NOON, { caps: {} });
    let calls = 0;
    const receiver = await localServer(() => (++calls === 1 ? { hang: true } : { status: 200 }));
    try {
      await saveChannel(t.db, s.ws, 'webhook', {
        provider: 'webhook',
        config: { url: `${receiver.url}/in`, secret: '0123456789abcdef', timeoutMs: 200 },
      });
      await createTemplate(t.db, s.ws, {
        id: 'hook',
        name: 'Hook',
        defaultLocale: 'en',
        content: { en: { webhook: { body: { text: 'Order shipped' } } } },
      });
      await s.intent('ann', {
        purpose: 'transactional',
        template: 'hook',
        channel: { fixed: 'webhook' },
        key: 'shipped-1',
      });
      assert.equal((await s.dispatch(NOON)).retried, 1, 'in doubt, and the receiver deduplicates: again');
      assert.equal((await s.dispatch(new Date(NOON.getTime() + 31_000))).sent, 1);
      assert.deepEqual(
        receiver.seen.map((r) => r.headers['idempotency-key']),
        ['shipped-1:webhook', 'shipped-1:webhook'],
      );
      assert.deepEqual(
        (await s.messages()).map((m) => `${m.status} ${m.attempts}`),
        ['sent 2'],
      );
    } finally {
      await receiver.close();
    }
  });

  it('a delivery report by provider id that comes before the provider answers is kept, and applied when the answer records the id: the cascade stops', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'sms');
    await s.consent('ann', 'email');
    await s.intent('ann', {
      channel: {
        cascade: [
          { channel: 'sms', timeout: 'PT1H' },
          { channel: 'email', timeout: 'PT1H' },
        ],
      },
      key: 'early-id',
    });
    const reports: unknown[] = [];
    gateway.beforeAnswer = async (_msg, id) => {
      reports.push(
        await applyReceipt(t.db, s.ws, {
          providerMessageId: id,
          status: 'delivered',
          at: new Date(NOON.getTime() + 1000),
        }),
      );
    };
    try {
      assert.equal((await s.dispatch(NOON)).sent, 1);
    } finally {
      gateway.beforeAnswer = null;
    }
    assert.deepEqual(reports, [{ found: false, changed: false, held: true }], 'not findable yet: kept');
    const [m] = await s.messages();
    assert.equal(m!.status, 'delivered', 'applied once the answer gave us the id');
    const mailBefore = smtp.mails.length;
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 61 * 60_000))).claimed, 0, 'the cascade is over');
    assert.equal(smtp.mails.length - mailBefore, 0);
    assert.deepEqual(await s.events(), ['ann Message Sent sms', 'ann Message Delivered sms']);
    const [{ n }] = (await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM unmatched_receipts WHERE workspace_id = $1',
      [s.ws],
    )) as [{ n: number }];
    assert.equal(n, 0, 'nothing left over');
    assert.deepEqual(
      await applyReceipt(t.db, s.ws, { providerMessageId: 'sms-of-someone-else', status: 'delivered', at: NOON }),
      { found: false, changed: false },
      'no send in flight: not kept',
    );
  });

  // ---- Web Push ----

  it('Web Push goes to the newest subscription that is not suppressed: the new laptop first; when it is gone (410), the older phone', async () => {
    const s = await shop(NOON, { caps: {} });
    let laptopGone = false;
    const service = await localServer(
      (req): Answer =>
        req.url === '/new-laptop' && laptopGone
          ? { status: 410, body: 'push subscription has unsubscribed or expired' }
          : { status: 201, headers: { location: `/m${req.url}` } },
    );
    try {
      const vapid = webpush.generateVAPIDKeys();
      await saveChannel(t.db, s.ws, 'webpush', {
        provider: 'webpush',
        config: { subject: 'mailto:ops@shop.example', ...vapid, allowHttpEndpoints: true },
      });
      await createTemplate(t.db, s.ws, {
        id: 'push-news',
        name: 'Push news',
        defaultLocale: 'en',
        content: { en: { push: { title: 'News', body: 'For {{ customer.first_name }}' } } },
      });
      const browserKeys = () => {
        const ecdh = createECDH('prime256v1');
        ecdh.generateKeys();
        return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
      };
      let list = addSubscription(
        [],
        { endpoint: `${service.url}/old-phone`, keys: browserKeys() },
        new Date('2026-01-01T00:00:00Z'),
      );
      list = addSubscription(
        list,
        { endpoint: `${service.url}/new-laptop`, keys: browserKeys() },
        new Date('2026-05-01T00:00:00Z'),
      );
      await ingest(
        t.db,
        s.ws,
        [{ type: 'identify', userId: 'ann', traits: { webpush_subscriptions: list }, timestamp: NOON.toISOString() }],
        { receivedAt: NOON },
      );
      await recordConsent(t.db, s.ws, s.ids.ann!, {
        channel: 'webpush',
        purpose: 'marketing',
        granted: true,
        source: 'api',
        at: NOON,
      });
      const push = async (key: string, at: Date) => {
        await s.intent('ann', { key, template: 'push-news', channel: { fixed: 'webpush' }, at });
        return s.dispatch(at);
      };
      assert.equal((await push('p1', NOON)).sent, 1);
      laptopGone = true;
      assert.equal(
        (await push('p2', new Date(NOON.getTime() + 60_000))).failed,
        1,
        'the laptop unsubscribed: suppressed',
      );
      assert.equal((await push('p3', new Date(NOON.getTime() + 120_000))).sent, 1);
      assert.deepEqual(
        service.seen.map((r) => r.url),
        ['/new-laptop', '/new-laptop', '/old-phone'],
      );
    } finally {
      await service.close();
    }
  });
});
