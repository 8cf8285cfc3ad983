// The dispatcher against real local servers: an SMTP server (smtp-server) and an HTTP SMS gateway. Each scenario puts
// message intents in the outbox (as journeys do), dispatches on a virtual clock and checks what the servers received,
// the message rows and the events: consent, suppression, quiet hours, caps across journeys, retries, a crash after the
// hand-over, and a cascade that stops on a delivery report.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { recordConsent, suppress, putGateSettings } from '../../src/consent/store.ts';
import { putJourneySettings } from '../../src/journeys/index.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { recoverInterrupted } from '../../src/messaging/dispatch/recover.ts';
import { applyReceipt } from '../../src/messaging/dispatch/receipts.ts';
import { smtpServer } from '../helpers/smtp.ts';


/** A local SMS gateway: answers {id} and keeps each request. */
async function smsGateway() {
  const sent: { to: string; text: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const msg = JSON.parse(body);
      sent.push(msg);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `sms-${sent.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { sent, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const NEWS = {
  en: {
    email: { subject: 'Hello {{ customer.first_name }}', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>News for {{ customer.first_name }}</mj-text></mj-column></mj-section></mj-body></mjml>' },
    sms: { text: 'News for {{ customer.first_name }}' },
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

  /** A workspace with e-mail (local SMTP) and SMS (local gateway), the "news" template, customers with consent. */
  async function shop(now: Date) {
    const ws = (await createWorkspace(t.db, 'shop')).id;
    await putJourneySettings(t.db, ws, { share: 0, timezone: 'Europe/Warsaw' });
    await putGateSettings(t.db, ws, { quietHours: { from: '21:00', to: '09:00' }, caps: { all: { perDay: 1, perWeek: 3 } } });
    await saveChannel(t.db, ws, 'email', { provider: 'smtp', config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' } });
    await saveChannel(t.db, ws, 'sms', { provider: 'sms-http', config: { url: gateway.url, body: { to: '{{to}}', text: '{{text}}' }, idPath: 'id' }, pricePerMessage: 0.05 });
    await createTemplate(t.db, ws, { id: 'news', name: 'News', defaultLocale: 'en', content: NEWS });
    const people = ['ann', 'bob', 'cy', 'dee'];
    const r = await ingest(t.db, ws, people.map((u, i) => ({
      type: 'identify', userId: u, traits: { first_name: u.toUpperCase(), email: `${u}@example.com`, phone: `+4860000000${i}` }, timestamp: now.toISOString(),
    })), { receivedAt: now });
    assert.deepEqual(r.rejected, []);
    const ids = Object.fromEntries((await t.db.query<{ user_id: string; id: string }>('SELECT user_id, id::text FROM customers WHERE workspace_id = $1', [ws])).map((c) => [c.user_id, c.id]));
    const consent = async (user: string, channel: 'email' | 'sms', granted = true) =>
      recordConsent(t.db, ws, ids[user]!, { channel, purpose: 'marketing', granted, source: 'signup_form', ip: '203.0.113.9', textVersion: 'v1', at: now });
    let n = 0;
    const intent = async (user: string, opts: { purpose?: 'marketing' | 'transactional'; channel?: object; key?: string; at?: Date } = {}) => {
      n += 1;
      await t.db.query(
        `INSERT INTO message_intents (workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, created_at)
         VALUES ($1, $2, $3, 'j', 's', $4, 'news', $5, $6)`,
        [ws, opts.key ?? `k${n}`, ids[user], opts.purpose ?? 'marketing', JSON.stringify(opts.channel ?? { fixed: 'email' }), opts.at ?? now],
      );
    };
    const dispatch = (at: Date) => dispatchDue(t.db, at, { providers: configuredProviders(), renderer: templateRenderer, baseUrl: 'http://retain.test' });
    const events = async () => (await t.db.query<{ user_id: string; name: string; properties: Record<string, unknown> }>(
      "SELECT c.user_id, e.name, e.properties FROM events e JOIN customers c ON c.workspace_id = e.workspace_id AND c.id = e.customer_id WHERE e.workspace_id = $1 AND e.name LIKE 'Message %' ORDER BY e.timestamp, e.message_id",
      [ws])).map((e) => `${e.user_id} ${e.name}${e.properties.reason ? ` ${e.properties.reason}` : ''}${e.properties.channel ? ` ${e.properties.channel}` : ''}`);
    return { ws, ids, consent, intent, dispatch, events };
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
    assert.doesNotMatch(mails.find((m) => m.to === 'dee@example.com')!.raw, /List-Unsubscribe/, 'transactional mail has no unsubscribe');
    assert.deepEqual((await s.events()).sort(), ['ann Message Sent email', 'bob Message Skipped no_consent', 'cy Message Skipped suppressed', 'dee Message Sent email'].sort());
  });

  it('the outbox goes out oldest first, ids compared as numbers: intent 9,000,000,009 before 90,000,000,010', async () => {
    const s = await shop(NOON);
    await s.consent('ann', 'email');
    await s.consent('bob', 'email');
    const before = smtp.mails.length;
    for (const [id, user] of [[90_000_000_010, 'bob'], [9_000_000_009, 'ann']] as const) {
      await t.db.query(
        `INSERT INTO message_intents (id, workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, created_at)
         OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, 'j', 's', 'transactional', 'news', '{"fixed": "email"}', $5)`,
        [id, s.ws, `order-${id}`, s.ids[user], NOON],
      );
    }
    const opts = { providers: configuredProviders(), renderer: templateRenderer, baseUrl: 'http://retain.test', limit: 1 };
    assert.equal((await dispatchDue(t.db, NOON, opts)).sent, 1);
    assert.deepEqual(smtp.mails.slice(before).map((m) => m.to), ['ann@example.com']);
    assert.equal((await dispatchDue(t.db, NOON, opts)).sent, 1);
    assert.deepEqual(smtp.mails.slice(before).map((m) => m.to), ['ann@example.com', 'bob@example.com']);
  });

  it('quiet hours defer to 09:00 local; the cap (1 a day across journeys) defers the second; both go when allowed', async () => {
    const night = new Date('2026-06-01T20:30:00Z'); // 22:30 in Warsaw
    const s = await shop(night);
    await s.consent('ann', 'email');
    await s.intent('ann', { key: 'journey-a' });
    await s.intent('ann', { key: 'journey-b' });
    const r = await s.dispatch(night);
    assert.equal(r.deferred, 2);
    const [due] = await t.db.query<{ not_before: Date }>("SELECT min(not_before) AS not_before FROM message_intents WHERE workspace_id = $1", [s.ws]);
    assert.equal(new Date(due!.not_before).toISOString(), '2026-06-02T07:00:00.000Z', '09:00 in Warsaw');
    const morning = new Date('2026-06-02T07:00:00Z');
    const r2 = await s.dispatch(morning);
    assert.deepEqual([r2.sent, r2.deferred], [1, 1], 'one a day: the second waits');
    const r3 = await s.dispatch(new Date('2026-06-03T07:00:01Z'));
    assert.equal(r3.sent, 1);
    assert.deepEqual(await s.events(), [
      'ann Message Deferred quiet_hours', 'ann Message Deferred quiet_hours', 'ann Message Sent email', 'ann Message Deferred frequency_cap', 'ann Message Sent email',
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
    const rows = await t.db.query<{ address: string; status: string; attempts: number }>('SELECT address, status, attempts FROM messages WHERE workspace_id = $1 ORDER BY address', [s.ws]);
    assert.deepEqual(rows, [{ address: 'ann@example.com', status: 'sent', attempts: 2 }, { address: 'bob@example.com', status: 'bounced', attempts: 1 }]);
    const [sup] = await t.db.query<{ reason: string }>("SELECT reason FROM suppressions WHERE workspace_id = $1 AND address = 'bob@example.com'", [s.ws]);
    assert.equal(sup?.reason, 'hard_bounce');
  });

  it('crash after the hand-over: the mail went out, the worker died before marking it; it is never sent again', async () => {
    const s = await shop(NOON);
    await s.intent('dee', { purpose: 'transactional', key: 'invoice-1' });
    const before = smtp.mails.length;
    await t.db.query(`CREATE FUNCTION crash_marking() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.status = 'sent' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$`);
    await t.db.query('CREATE TRIGGER crash_marking BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION crash_marking()');
    try {
      await assert.rejects(() => s.dispatch(NOON), /simulated crash/);
    } finally {
      await t.db.query('DROP TRIGGER crash_marking ON messages');
      await t.db.query('DROP FUNCTION crash_marking()');
    }
    assert.equal(smtp.mails.length - before, 1, 'handed over once');
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 60_000))).claimed, 0, 'the intent is not pending again');
    assert.deepEqual(await recoverInterrupted(t.db, new Date(NOON.getTime() + 10 * 60_000)), { unknown: 1, retried: 0 });
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
    const cascade = { cascade: [{ channel: 'sms', timeout: 'PT1H' }, { channel: 'email', timeout: 'PT1H' }] };
    await s.intent('ann', { channel: cascade, key: 'offer-ann' });
    await s.intent('bob', { channel: cascade, key: 'offer-bob' });
    const smsBefore = gateway.sent.length;
    const mailBefore = smtp.mails.length;
    assert.equal((await s.dispatch(NOON)).sent, 2, (await s.events()).join('; '));
    assert.deepEqual(gateway.sent.slice(smsBefore).map((m) => m.text).sort(), ['News for ANN', 'News for BOB']);
    const [bobSms] = await t.db.query<{ provider_message_id: string }>("SELECT provider_message_id FROM messages WHERE workspace_id = $1 AND message_key = 'offer-bob'", [s.ws]);
    await applyReceipt(t.db, s.ws, { providerMessageId: bobSms!.provider_message_id, status: 'delivered', at: new Date(NOON.getTime() + 5 * 60_000) });
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 30 * 60_000))).sent, 0, 'within the hour: nothing more');
    assert.equal((await s.dispatch(new Date(NOON.getTime() + 61 * 60_000))).sent, 1);
    assert.deepEqual(smtp.mails.slice(mailBefore).map((m) => m.to), ['ann@example.com'], 'only ann, whose SMS was not delivered, gets the e-mail');
    assert.deepEqual((await s.events()).filter((e) => !e.includes('Deferred')), [
      'ann Message Sent sms', 'bob Message Sent sms', 'bob Message Delivered sms', 'ann Message Sent email',
    ]);
  });
});
