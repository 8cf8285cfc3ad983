// Consent with the public key (a web page's key: anyone can read it and send with it): an e-mail marketing sign-up is
// always confirmed by the person through the link in a real e-mail (double opt-in, even with the workspace's setting
// off); a revocation needs the token of the person's own unsubscribe or preferences link; other consents and another
// e-mail for a known person are refused. The server key keeps its power.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { anotherWorkspace, serve, type Served } from '../http/server.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { consentLinks } from '../../src/consent/store.ts';
import { readMail } from '../helpers/mail-parts.ts';

describe(`consent with the public key (${backend})`, () => {
  let s: Served;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let now = new Date('2026-06-01T10:00:00Z');
  const later = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));
  const consent = (key: string, body: object) =>
    s.call('POST', '/v1/consent', { key, body: { channel: 'email', purpose: 'marketing', ...body } });
  const dispatch = () =>
    dispatchDue(s.t.db, now, { providers: configuredProviders(), renderer: templateRenderer, baseUrl: s.url });
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to === address);
  const idOf = async (userIdOrEmail: string) =>
    (
      await s.t.db.query<{ id: string }>(
        'SELECT id::text FROM customers WHERE workspace_id = $1 AND (user_id = $2 OR email = $2) ORDER BY id LIMIT 1',
        [s.t.workspaceId, userIdOrEmail],
      )
    )[0]?.id;
  const consents = async (customer: string) =>
    (await s.call('GET', `/api/v1/customers/${customer}/consents`, { key: s.adminKey })).body;
  const state = async (customer: string, channel = 'email', topic = '') =>
    (await consents(customer)).state.find(
      (x: { channel: string; purpose: string; topic: string }) =>
        x.channel === channel && x.purpose === 'marketing' && x.topic === topic,
    );
  const confirmLink = (raw: string) => {
    const m = readMail(raw);
    const link = /href="([^"]*\/c\/confirm\?t=[^"]+)"/.exec(`${m.text ?? ''}\n${m.html ?? ''}`);
    assert.ok(link, 'the mail has the confirmation link');
    return link[1]!.replace(/&amp;/g, '&');
  };
  const tokenOf = (url: string) => new URL(url).searchParams.get('t')!;

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
          body: { doubleOptInEmail: false, senderIdentification: 'Shop Ltd, 1 Main St' },
        })
      ).status,
      200,
    );
    assert.equal(
      (await s.call('POST', '/api/v1/topics', { key: s.adminKey, body: { id: 'news', name: 'News' } })).status,
      201,
    );
    await s.call('POST', '/v1/identify', {
      key: s.serverKey,
      body: { userId: 'ann', traits: { email: 'ann@example.com', phone: '+48600100200' } },
    });
    const ann = await idOf('ann');
    for (const channel of ['email', 'sms']) {
      await s.call('POST', `/api/v1/customers/${ann}/consents`, {
        key: s.adminKey,
        body: { channel, purpose: 'marketing', granted: true, textVersion: 'shop-v1' },
      });
    }
  });
  after(async () => {
    await closeProviders();
    await s.close();
    await smtp.close();
  });

  it('an e-mail sign-up (double opt-in off in the settings) → 202 pending, nothing granted; the link in the mail grants it, confirmed', async () => {
    const res = await consent(s.publicKey, { email: 'zoe@example.com', granted: true, textVersion: 'footer-v2' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual(res.body, { status: 'pending' }, 'no customer id for the public key');
    const zoe = (await idOf('zoe@example.com'))!;
    assert.equal(await state(zoe), undefined, 'no grant before the confirmation: no marketing goes out');
    assert.deepEqual((await consents(zoe)).trail, []);
    assert.deepEqual([(await dispatch()).sent, mailsTo('zoe@example.com').length], [1, 1]);
    later(2);
    assert.equal((await fetch(confirmLink(mailsTo('zoe@example.com')[0]!.raw))).status, 200);
    const granted = await state(zoe);
    assert.deepEqual(
      [granted.granted, granted.confirmed, granted.source, granted.textVersion],
      [true, true, 'double_opt_in', 'footer-v2'],
    );
  });

  it('joining a topic: the topic is granted with the channel when the person confirms, not before', async () => {
    const res = await consent(s.publicKey, {
      email: 'tom@example.com',
      topic: 'news',
      granted: true,
      textVersion: 'news-v1',
    });
    assert.equal(res.status, 202);
    const tom = (await idOf('tom@example.com'))!;
    assert.equal(await state(tom, '*', 'news'), undefined);
    await dispatch();
    later(2);
    assert.equal((await fetch(confirmLink(mailsTo('tom@example.com')[0]!.raw))).status, 200);
    assert.deepEqual([(await state(tom)).granted, (await state(tom, '*', 'news')).granted], [true, true]);
  });

  it('a known address is answered as an unknown one (nobody learns who subscribes), and the mail goes to the address on file', async () => {
    later(20);
    const known = await consent(s.publicKey, { email: 'ann@example.com', granted: true, textVersion: 'footer-v2' });
    const unknown = await consent(s.publicKey, {
      email: 'nobody-yet@example.com',
      granted: true,
      textVersion: 'footer-v2',
    });
    assert.deepEqual(
      [known.status, known.body, unknown.status, unknown.body],
      [202, { status: 'pending' }, 202, { status: 'pending' }],
    );
    await dispatch();
    assert.equal(mailsTo('ann@example.com').length, 1);
  });

  const refused: [string, object, number, string][] = [
    ['an SMS sign-up', { userId: 'ann', channel: 'sms', granted: true, textVersion: 'v1' }, 403, 'channel'],
    [
      'a transactional e-mail grant',
      { userId: 'ann', purpose: 'transactional', granted: true, textVersion: 'v1' },
      403,
      'purpose',
    ],
    ['a revocation without proof', { userId: 'ann', granted: false }, 403, 'token'],
    ['a revocation of SMS without proof', { userId: 'ann', channel: 'sms', granted: false }, 403, 'token'],
    [
      'a sign-up naming ann with another e-mail (it would repoint her address)',
      { userId: 'ann', email: 'mallory@evil.example', granted: true, textVersion: 'v1' },
      409,
      'email',
    ],
    ['a revocation with a made-up token', { userId: 'ann', granted: false, token: 'abc.def' }, 403, 'token'],
  ];
  for (const [what, body, status, field] of refused) {
    it(`refuses ${what} (${status}, by "${field}"): ann's consent, address and mailbox stay as they were`, async () => {
      const ann = (await idOf('ann'))!;
      const before = { trail: (await consents(ann)).trail.length, mails: smtp.mails.length };
      const res = await consent(s.publicKey, body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(res.body.message, new RegExp(`^${field}: `));
      assert.equal(res.body.details?.field, field);
      await dispatch();
      assert.deepEqual({ trail: (await consents(ann)).trail.length, mails: smtp.mails.length }, before);
      assert.deepEqual([(await state(ann)).granted, (await state(ann, 'sms')).granted], [true, true]);
      const [row] = await s.t.db.query<{ email: string }>(
        'SELECT email FROM customers WHERE workspace_id = $1 AND id = $2',
        [s.t.workspaceId, ann],
      );
      assert.equal(row!.email, 'ann@example.com');
    });
  }

  it("a revocation with the token of ann's own link revokes hers, whoever the body names; a token of another workspace does not", async () => {
    const ann = (await idOf('ann'))!;
    const links = await consentLinks(s.t.db, s.t.workspaceId, { customerId: ann, channel: 'sms' }, s.url);
    later(1);
    const sms = await consent(s.publicKey, {
      userId: 'someone-else',
      channel: 'sms',
      granted: false,
      token: tokenOf(links.unsubscribe),
    });
    assert.deepEqual([sms.status, sms.body], [200, { status: 'revoked' }]);
    assert.equal((await state(ann, 'sms')).granted, false);

    const other = await anotherWorkspace(s.t, 'other shop');
    const theirs = await consentLinks(s.t.db, other.workspaceId, { customerId: ann, channel: 'email' }, s.url);
    const foreign = await consent(s.publicKey, { granted: false, token: tokenOf(theirs.preferences) });
    assert.equal(foreign.status, 403);
    assert.equal((await state(ann)).granted, true);

    later(1);
    const email = await consent(s.publicKey, { granted: false, token: tokenOf(links.preferences) });
    assert.equal(email.status, 200);
    assert.deepEqual([(await state(ann)).granted, (await consents(ann)).trail.at(-1).ip], [false, '127.0.0.1']);
  });

  it("the server key keeps today's power: a grant without confirmation (double opt-in off), a revocation without a token", async () => {
    later(1);
    const grant = await consent(s.serverKey, { userId: 'ann', granted: true, textVersion: 'shop-v2' });
    assert.deepEqual([grant.status, grant.body.status], [200, 'granted']);
    const ann = grant.body.customerId;
    assert.equal((await state(ann)).granted, true);
    later(1);
    const revoke = await consent(s.serverKey, { userId: 'ann', granted: false });
    assert.deepEqual([revoke.status, revoke.body.status], [200, 'revoked']);
    assert.equal((await state(ann)).granted, false);
  });
});
