// Double opt-in end to end: a sign-up on the website (POST /v1/consent) under double opt-in queues the confirmation
// e-mail; the dispatcher sends it through the gate and the template (built in, or the workspace's own, localised) to a
// real SMTP server; following the link in the received mail confirms the consent. Repeats, replays, a refused
// hand-over and a crash after it never send a second mail; bad input is refused with its field.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { recoverInterrupted } from '../../src/messaging/dispatch/recover.ts';
import { CONFIRMATION_TEMPLATE } from '../../src/consent/store.ts';
import { builtInConfirmationTemplate } from '../../src/messaging/templates/confirmation.ts';
import { validateTemplate } from '../../src/messaging/templates/store.ts';
import { readMail } from '../helpers/mail-parts.ts';

/** What a reader sees of a received mail: both parts decoded, and the decoded subject. */
const readable = (raw: string) => {
  const m = readMail(raw);
  return `${m.text ?? ''}\n${m.html ?? ''}`;
};
const subjectOf = (raw: string) => readMail(raw).header('Subject');

describe(`double opt-in e-mail through the outbox (${backend})`, () => {
  let s: Served;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let now = new Date('2026-06-01T10:00:00Z');
  const later = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));
  const signUp = (body: object) =>
    s.call('POST', '/v1/consent', {
      key: s.writeKey,
      body: { channel: 'email', purpose: 'marketing', granted: true, textVersion: 'news-v1', ...body },
    });
  const dispatch = () =>
    dispatchDue(s.t.db, now, { providers: configuredProviders(), renderer: templateRenderer, baseUrl: s.url });
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to === address);
  const confirmLink = (raw: string) => {
    const m = /href="([^"]*\/c\/confirm\?t=[^"]+)"/.exec(readable(raw));
    assert.ok(m, 'the mail has the confirmation link');
    return m[1]!.replace(/&amp;/g, '&');
  };
  const emailConsent = async (customer: string) => {
    const res = await s.call('GET', `/api/v1/customers/${customer}/consents`, { key: s.adminKey });
    return res.body.state.find(
      (x: { channel: string; purpose: string; topic: string }) =>
        x.channel === 'email' && x.purpose === 'marketing' && x.topic === '',
    );
  };

  before(async () => {
    smtp = await smtpServer();
    s = await serve({ clock: () => now });
    await saveChannel(s.t.db, s.t.workspaceId, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    assert.equal(
      (
        await s.call('PUT', '/api/v1/settings/messaging', {
          key: s.adminKey,
          body: { doubleOptInEmail: true, senderIdentification: 'Shop Ltd, 1 Main St' },
        })
      ).status,
      200,
    );
  });
  after(async () => {
    await closeProviders();
    await s.close();
    await smtp.close();
  });

  it('the built-in confirmation template is a valid template', async () => {
    assert.deepEqual(await validateTemplate(builtInConfirmationTemplate), []);
  });

  it('sign-up → 202 pending → one transactional e-mail with the link → following it confirms the consent', async () => {
    const res = await signUp({ email: 'ann@example.com' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const ann = res.body.customerId;
    assert.equal((await emailConsent(ann)).confirmed, false);
    const r = await dispatch();
    assert.deepEqual([r.sent, r.skipped], [1, 0]);
    const [mail, ...more] = mailsTo('ann@example.com');
    assert.equal(more.length, 0);
    assert.equal(subjectOf(mail!.raw), 'Please confirm your subscription');
    assert.match(readable(mail!.raw), /Shop Ltd, 1 Main St/, 'the sender identification is in the mail');
    assert.doesNotMatch(mail!.raw, /List-Unsubscribe/, 'transactional: no unsubscribe headers');
    const [row] = await s.t.db.query<{ purpose: string; status: string; template: string }>(
      'SELECT purpose, status, template FROM messages WHERE workspace_id = $1 AND customer_id = $2',
      [s.t.workspaceId, ann],
    );
    assert.deepEqual(row, { purpose: 'transactional', status: 'sent', template: CONFIRMATION_TEMPLATE });

    later(5);
    const link = confirmLink(mail!.raw);
    assert.ok(link.startsWith(`${s.url}/c/confirm?t=`), link);
    const page = await fetch(link);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /your subscription is confirmed/);
    const state = await emailConsent(ann);
    assert.deepEqual([state.granted, state.confirmed], [true, true]);
    const stored = await s.t.db.query<{ confirmed_at: Date | null }>(
      'SELECT confirmed_at FROM consent_confirmations WHERE workspace_id = $1 AND customer_id = $2',
      [s.t.workspaceId, ann],
    );
    assert.equal(stored.length, 1);
    assert.equal(
      JSON.stringify(stored).includes(new URL(link).searchParams.get('t')!),
      false,
      'only a hash of the token is stored',
    );
  });

  it("the customer's locale picks the variant (Polish built in); a workspace template under the same id replaces the built-in one", async () => {
    await s.call('POST', '/v1/identify', {
      key: s.writeKey,
      body: { userId: 'ola', traits: { email: 'ola@example.com', first_name: 'Ola' }, context: { locale: 'pl-PL' } },
    });
    assert.equal((await signUp({ userId: 'ola' })).status, 202);
    await dispatch();
    assert.equal(subjectOf(mailsTo('ola@example.com')[0]!.raw), 'Potwierdź subskrypcję');
    assert.match(readable(mailsTo('ola@example.com')[0]!.raw), /Dzień dobry, Ola/);

    const own = await s.call('POST', '/api/v1/templates', {
      key: s.adminKey,
      body: {
        id: CONFIRMATION_TEMPLATE,
        name: 'Our confirmation',
        defaultLocale: 'de',
        content: {
          de: {
            email: {
              subject: 'Bitte bestätigen, {{ customer.first_name }}',
              html: '<p><a href="{% confirm_url %}">Bestätigen</a></p>',
            },
          },
        },
      },
    });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    await s.call('POST', '/v1/identify', {
      key: s.writeKey,
      body: { userId: 'max', traits: { email: 'max@example.com', first_name: 'Max' } },
    });
    const max = await signUp({ userId: 'max' });
    assert.equal(max.status, 202);
    await dispatch();
    const [mail] = mailsTo('max@example.com');
    assert.equal(subjectOf(mail!.raw), 'Bitte bestätigen, Max');
    later(1);
    assert.equal((await fetch(confirmLink(mail!.raw))).status, 200);
    assert.equal((await emailConsent(max.body.customerId)).confirmed, true);
    assert.equal(
      (await s.call('DELETE', `/api/v1/templates/${CONFIRMATION_TEMPLATE}`, { key: s.adminKey })).status,
      204,
    );
  });

  it('asking again within 10 minutes (a double click, a retried request, a replay) sends no second mail; later it does', async () => {
    const first = await signUp({ email: 'bob@example.com' });
    assert.equal((await signUp({ email: 'bob@example.com' })).status, 202, 'the same request again');
    later(3);
    assert.equal((await signUp({ email: 'bob@example.com' })).status, 202);
    await dispatch();
    assert.equal(mailsTo('bob@example.com').length, 1);
    const requested = await s.t.db.query<{ properties: { emailQueued: boolean } }>(
      "SELECT properties FROM events WHERE workspace_id = $1 AND customer_id = $2 AND name = 'Consent Confirmation Requested' ORDER BY timestamp",
      [s.t.workspaceId, first.body.customerId],
    );
    assert.deepEqual(
      requested.map((e) => e.properties.emailQueued),
      [true, false],
      'each request is in the log; the identical replay once',
    );
    later(11);
    await signUp({ email: 'bob@example.com' });
    await dispatch();
    assert.equal(mailsTo('bob@example.com').length, 2, 'a new request after 10 minutes gets a new mail');
  });

  it('a refused hand-over (451) is retried with the same link; a crash after the hand-over never sends again', async () => {
    smtp.reject.set('cy@example.com', 451);
    const cy = (await signUp({ email: 'cy@example.com' })).body.customerId;
    assert.equal((await dispatch()).retried, 1);
    later(1);
    assert.equal((await dispatch()).sent, 1);
    assert.equal(mailsTo('cy@example.com').length, 1);
    later(1);
    const hashes = await s.t.db.query(
      'SELECT token_hash FROM consent_confirmations WHERE workspace_id = $1 AND customer_id = $2',
      [s.t.workspaceId, cy],
    );
    assert.equal(hashes.length, 1, 'the retry rendered the same token');
    assert.equal((await fetch(confirmLink(mailsTo('cy@example.com')[0]!.raw))).status, 200);

    const dee = (await signUp({ email: 'dee@example.com' })).body.customerId;
    await s.t.db.query(
      `CREATE FUNCTION crash_marking() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.status = 'sent' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$`,
    );
    await s.t.db.query(
      'CREATE TRIGGER crash_marking BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION crash_marking()',
    );
    try {
      await assert.rejects(() => dispatch(), /simulated crash/);
    } finally {
      await s.t.db.query('DROP TRIGGER crash_marking ON messages');
      await s.t.db.query('DROP FUNCTION crash_marking()');
    }
    assert.equal(mailsTo('dee@example.com').length, 1, 'handed over once');
    later(10);
    assert.deepEqual(await recoverInterrupted(s.t.db, now), { returned: 0, unknown: 1, retried: 0 });
    later(1);
    await dispatch();
    assert.equal(mailsTo('dee@example.com').length, 1, 'still once after recovery and another dispatch');
    // the link of the mail that did go out still confirms
    later(1);
    assert.equal((await fetch(confirmLink(mailsTo('dee@example.com')[0]!.raw))).status, 200);
    assert.equal((await emailConsent(dee)).confirmed, true);
  });

  const bad: [string, object, number, RegExp][] = [
    ['a malformed e-mail', { email: 'not-an-address' }, 400, /^email: /],
    [
      'a grant without the consent text version',
      { email: 'eve@example.com', textVersion: undefined },
      400,
      /^textVersion: /,
    ],
    ['nobody to consent', { email: undefined }, 400, /^userId: /],
  ];
  for (const [what, body, status, message] of bad) {
    it(`refuses ${what} and queues nothing`, async () => {
      const before = (
        await s.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_intents WHERE workspace_id = $1', [
          s.t.workspaceId,
        ])
      )[0]!.n;
      const res = await signUp(body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(res.body.message, message);
      const after = (
        await s.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_intents WHERE workspace_id = $1', [
          s.t.workspaceId,
        ])
      )[0]!.n;
      assert.equal(after, before);
    });
  }

  it('links that do not confirm: tampered (400), expired after 7 days (410); an address suppressed since gets no mail', async () => {
    const fay = (await signUp({ email: 'fay@example.com' })).body.customerId;
    await dispatch();
    const link = confirmLink(mailsTo('fay@example.com')[0]!.raw);
    assert.equal((await fetch(link.slice(0, -4) + 'AAAA')).status, 400);
    later(7 * 24 * 60 + 1);
    const expired = await fetch(link);
    assert.equal(expired.status, 410);
    assert.match(await expired.text(), /expired/);
    assert.equal((await emailConsent(fay)).confirmed, false);

    await s.call('POST', '/api/v1/suppressions', {
      key: s.adminKey,
      body: { channel: 'email', address: 'gus@example.com', reason: 'hard_bounce' },
    });
    await signUp({ email: 'gus@example.com' });
    const r = await dispatch();
    assert.deepEqual([r.sent, r.skipped], [0, 1]);
    assert.equal(mailsTo('gus@example.com').length, 0);
  });
});
