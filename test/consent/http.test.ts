// The consent API and pages over HTTP: a website sign-up (IP recorded) → the audit trail; double opt-in through the
// confirmation page; one-click unsubscribe (RFC 8058); the preference centre; inbound STOP / START; topics,
// suppressions and gate settings; and every bad input answered with the field at fault.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { consentLinks, requestConfirmation } from '../../src/consent/store.ts';

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

describe(`consent API and pages (${backend})`, () => {
  let s: Served;
  let now = new Date('2026-05-01T10:00:00Z');
  const tick = (minutes = 1) => (now = new Date(now.getTime() + minutes * 60_000));
  const admin = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await s.call(method, path, { key: s.adminKey, body });
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };
  const signUp = (body: object) => s.call('POST', '/v1/consent', { key: s.writeKey, body });
  const trailOf = async (customer: string) =>
    (await admin('GET', `/api/v1/customers/${customer}/consents`)).trail.map(
      (r: { channel: string; purpose: string; topic: string; granted: boolean; source: string }) =>
        `${r.channel}/${r.purpose}${r.topic ? `/${r.topic}` : ''} ${r.granted ? 'granted' : 'revoked'} by ${r.source}`,
    );
  const stateOf = async (customer: string, channel: string, topic = '') =>
    (await admin('GET', `/api/v1/customers/${customer}/consents`)).state.find(
      (x: { channel: string; purpose: string; topic: string }) =>
        x.channel === channel && x.purpose === 'marketing' && x.topic === topic,
    );

  before(async () => {
    s = await serve({ clock: () => now });
    await s.call('POST', '/v1/identify', {
      key: s.writeKey,
      body: { userId: 'ann', traits: { email: 'ann@example.com', phone: '+48600100200' } },
    });
  });
  after(async () => s.close());

  it('keys: /api needs the admin key, /v1/consent the write key; link pages need only their token', async () => {
    assert.equal((await s.call('GET', '/api/v1/topics')).status, 401);
    assert.equal((await s.call('GET', '/api/v1/topics', { key: s.writeKey })).status, 403);
    assert.equal((await s.call('POST', '/v1/consent', { body: {} })).status, 401);
    assert.equal((await s.call('GET', '/c/unsubscribe?t=nonsense')).status, 400);
  });

  it('a sign-up form with only an e-mail creates the customer and records the consent with the request IP and text version', async () => {
    const res = await signUp({
      email: 'Zoe@Example.com',
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      textVersion: 'footer-form-v2',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'granted');
    const { trail, state } = await admin('GET', `/api/v1/customers/${res.body.customerId}/consents`);
    assert.equal(trail.length, 1);
    assert.deepEqual(
      [trail[0].source, trail[0].ip, trail[0].textVersion, trail[0].at],
      ['signup_form', '127.0.0.1', 'footer-form-v2', now.toISOString()],
    );
    assert.equal(state[0].granted, true);
    const again = await signUp({ email: 'zoe@example.com', channel: 'email', purpose: 'marketing', granted: false });
    assert.deepEqual(
      [again.body.status, again.body.customerId],
      ['revoked', res.body.customerId],
      'the same person by e-mail',
    );
  });

  const badSignUps: [string, object, string][] = [
    ['no identity', { channel: 'email', purpose: 'marketing', granted: true, textVersion: 'v1' }, 'userId'],
    [
      'a grant without the text version',
      { userId: 'ann', channel: 'email', purpose: 'marketing', granted: true },
      'textVersion',
    ],
    [
      'an unknown channel',
      { userId: 'ann', channel: 'fax', purpose: 'marketing', granted: true, textVersion: 'v1' },
      'channel',
    ],
    [
      'a bad e-mail',
      { email: 'nope', channel: 'email', purpose: 'marketing', granted: true, textVersion: 'v1' },
      'email',
    ],
    [
      'granted not a boolean',
      { userId: 'ann', channel: 'email', purpose: 'marketing', granted: 'yes', textVersion: 'v1' },
      'granted',
    ],
    [
      'an unknown topic',
      { userId: 'ann', channel: 'email', purpose: 'marketing', topic: 'nope', granted: true, textVersion: 'v1' },
      '',
    ],
  ];
  for (const [what, body, field] of badSignUps) {
    it(`POST /v1/consent refuses ${what}${field ? `, naming "${field}"` : ' (404, saying how to create it)'}`, async () => {
      const res = await signUp(body);
      if (field) {
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(res.body.message, new RegExp(`^${field}: `));
      } else {
        assert.equal(res.status, 404);
        assert.match(res.body.message, /POST \/api\/v1\/topics/);
      }
    });
  }

  it('double opt-in: the sign-up answers 202 pending and logs the request; the confirmation page confirms (once)', async () => {
    await admin('PUT', '/api/v1/settings/messaging', { doubleOptInEmail: true });
    const res = await signUp({
      userId: 'ben',
      email: 'ben@example.com',
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      textVersion: 'v1',
    });
    assert.equal(res.status, 202);
    assert.equal(res.body.status, 'pending');
    const ben = res.body.customerId;
    const [requested] = await s.t.db.query<{ name: string }>(
      "SELECT name FROM events WHERE workspace_id = $1 AND customer_id = $2 AND name = 'Consent Confirmation Requested'",
      [s.t.workspaceId, ben],
    );
    assert.ok(requested);
    assert.equal((await stateOf(ben, 'email')).confirmed, false);

    // the dispatcher, sending the confirmation e-mail, asks for the token
    const { token } = await requestConfirmation(s.t.db, s.t.workspaceId, ben, { textVersion: 'v1' }, now);
    tick();
    const page = await s.call('GET', `/c/confirm?t=${token}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.match(page.body, /your subscription is confirmed/);
    assert.match((await s.call('GET', `/c/confirm?t=${token}`)).body, /already confirmed/);
    assert.equal((await stateOf(ben, 'email')).confirmed, true);
    assert.deepEqual(await trailOf(ben), [
      'email/marketing granted by signup_form',
      'email/marketing granted by double_opt_in',
    ]);
    assert.equal((await s.call('GET', `/c/confirm?t=${token.slice(0, -3)}abc`)).status, 400);
    await admin('PUT', '/api/v1/settings/messaging', { doubleOptInEmail: false });
  });

  it('the API grants and revokes for a customer (by user id); bad input is refused with its field', async () => {
    const granted = await admin(
      'POST',
      '/api/v1/customers/ann/consents',
      { channel: 'sms', purpose: 'marketing', granted: true, textVersion: 'in-store-2026' },
      201,
    );
    assert.equal(granted.recorded, true);
    const bad: [object, number, RegExp][] = [
      [{ channel: 'fax', purpose: 'marketing', granted: true }, 400, /^channel: /],
      [{ channel: 'email', granted: true }, 400, /^purpose: required/],
      [{ purpose: 'marketing', granted: true }, 400, /^channel: required/],
      [{ channel: 'email', purpose: 'marketing' }, 400, /^granted: /],
      [{ channel: 'email', purpose: 'marketing', granted: true, at: 'yesterday' }, 400, /^at: /],
      [
        { channel: 'email', purpose: 'marketing', granted: true, at: '2099-01-01T00:00:00Z' },
        400,
        /^at: in the future/,
      ],
      [{ channel: 'email', purpose: 'marketing', granted: true, colour: 'red' }, 400, /Unrecognized key: "colour"/],
      [{ topic: 'nope', granted: true }, 404, /No subscription topic "nope"/],
    ];
    for (const [body, status, message] of bad) {
      const res = await s.call('POST', '/api/v1/customers/ann/consents', { key: s.adminKey, body });
      assert.equal(res.status, status, JSON.stringify(body));
      assert.match(res.body.message, message, JSON.stringify(res.body));
    }
    assert.equal((await s.call('GET', '/api/v1/customers/nobody/consents', { key: s.adminKey })).status, 404);
  });

  it('topics: create, list, rename, join through the API, delete; a taken id is a 409', async () => {
    await admin('POST', '/api/v1/topics', { id: 'news', name: 'Product news' }, 201);
    await admin('POST', '/api/v1/topics', { id: 'offers', name: 'Offers', description: 'Discounts' }, 201);
    assert.equal(
      (await s.call('POST', '/api/v1/topics', { key: s.adminKey, body: { id: 'news', name: 'x' } })).status,
      409,
    );
    const badId = await s.call('POST', '/api/v1/topics', { key: s.adminKey, body: { id: 'has space', name: 'x' } });
    assert.equal(badId.status, 400);
    assert.match(badId.body.message, /^id: /);
    assert.equal((await admin('PUT', '/api/v1/topics/news', { description: 'Monthly' })).description, 'Monthly');
    assert.deepEqual(
      (await admin('GET', '/api/v1/topics')).topics.map((t: { id: string }) => t.id),
      ['offers', 'news'],
    );
    await admin('POST', '/api/v1/customers/ann/consents', { topic: 'news', granted: true }, 201);
    assert.equal((await stateOf('ann', '*', 'news')).granted, true);
    await admin('POST', '/api/v1/topics', { id: 'tmp', name: 'Temporary' }, 201);
    await admin('DELETE', '/api/v1/topics/tmp');
    assert.equal((await s.call('DELETE', '/api/v1/topics/tmp', { key: s.adminKey })).status, 404);
  });

  it('the unsubscribe page names the sender: the sender name of the messaging settings, else the workspace', async () => {
    const [ann] = await s.t.db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
      [s.t.workspaceId],
    );
    const path = pathOf(
      (await consentLinks(s.t.db, s.t.workspaceId, { customerId: ann!.id, channel: 'email' }, s.url)).unsubscribe,
    );
    const question = async () => /<p>(Stop receiving [^<]*)<\/p>/.exec((await s.call('GET', path)).body)?.[1];
    assert.equal(
      await question(),
      'Stop receiving marketing messages by E-mail from test?',
      "no sender name yet: the workspace's",
    );
    await admin('PUT', '/api/v1/settings/messaging', { senderName: 'Acme Water & Co' });
    assert.equal(
      await question(),
      'Stop receiving marketing messages by E-mail from Acme Water &#38; Co?',
      'the sender the messages sign with, escaped',
    );
    await admin('PUT', '/api/v1/settings/messaging', { senderName: null });
  });

  it('one-click unsubscribe: GET shows a button and changes nothing; POST List-Unsubscribe=One-Click revokes', async () => {
    await admin(
      'POST',
      '/api/v1/customers/ann/consents',
      { channel: 'email', purpose: 'marketing', granted: true },
      201,
    );
    const [ann] = await s.t.db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
      [s.t.workspaceId],
    );
    const links = await consentLinks(s.t.db, s.t.workspaceId, { customerId: ann!.id, channel: 'email' }, s.url);
    const path = pathOf(links.unsubscribe);

    const page = await s.call('GET', path);
    assert.equal(page.status, 200);
    assert.match(
      page.body,
      /<form method="post" action="\/c\/unsubscribe\?t=[^"]+"><input type="hidden" name="List-Unsubscribe" value="One-Click">/,
    );
    assert.equal((await stateOf('ann', 'email')).granted, true, 'a GET (a mail scanner) must not unsubscribe');

    assert.equal((await s.call('POST', path, { body: '', headers: form })).status, 400);
    tick();
    const done = await s.call('POST', path, { body: 'List-Unsubscribe=One-Click', headers: form });
    assert.equal(done.status, 200);
    assert.match(done.body, /no longer receive marketing messages by E-mail/);
    const revoked = await stateOf('ann', 'email');
    assert.deepEqual([revoked.granted, revoked.source], [false, 'unsubscribe_link']);
    const trail = (await admin('GET', '/api/v1/customers/ann/consents')).trail;
    assert.equal(trail[trail.length - 1].ip, '127.0.0.1');
  });

  it('one-click unsubscribe also accepts multipart/form-data, and a topic link leaves only the topic', async () => {
    const [ann] = await s.t.db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
      [s.t.workspaceId],
    );
    const links = await consentLinks(
      s.t.db,
      s.t.workspaceId,
      { customerId: ann!.id, channel: 'email', topic: 'news' },
      s.url,
    );
    tick();
    const body =
      '--b0undary\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b0undary--\r\n';
    const res = await s.call('POST', pathOf(links.unsubscribe), {
      body,
      headers: { 'content-type': 'multipart/form-data; boundary=b0undary' },
    });
    assert.equal(res.status, 200);
    assert.match(res.body, /“Product news” messages/);
    assert.equal((await stateOf('ann', '*', 'news')).granted, false);
    assert.equal((await stateOf('ann', 'sms')).granted, true, 'the SMS consent is untouched');
  });

  it('preference centre: shows channels and topics as checkboxes; saving records only the changes', async () => {
    const [ann] = await s.t.db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
      [s.t.workspaceId],
    );
    const path = pathOf(
      (await consentLinks(s.t.db, s.t.workspaceId, { customerId: ann!.id, channel: 'email' }, s.url)).preferences,
    );
    const page = await s.call('GET', path);
    assert.equal(page.status, 200);
    const boxes = [...String(page.body).matchAll(/name="(channel|topic)" value="([^"]+)"( checked)?/g)].map(
      (m) => `${m[1]}:${m[2]}${m[3] ? ':on' : ''}`,
    );
    assert.deepEqual(boxes, ['channel:email', 'channel:sms:on', 'topic:offers', 'topic:news']);
    const before = (await trailOf('ann')).length;
    assert.equal((await s.call('POST', path, { body: '', headers: form })).status, 200);
    assert.equal((await trailOf('ann')).length, before, "an empty POST (not the page's form) changes nothing");
    tick();
    const saved = await s.call('POST', path, { body: 'channel=email&channel=sms&topic=offers&save=1', headers: form });
    assert.equal(saved.status, 200);
    assert.match(saved.body, /Saved/);
    assert.deepEqual((await trailOf('ann')).slice(before), [
      '*/marketing/offers granted by preference_centre',
      'email/marketing granted by preference_centre',
    ]);
  });

  /** The path and query of a provider callback URL the admin API gives (with the hook token). */
  const hookPath = async (which: 'receipts' | 'twilio' | 'smsInbound') =>
    pathOf((await admin('GET', '/api/v1/settings/hooks'))[which]);

  it('provider callbacks need the hook token besides the (public) write key: no STOP/START, bounces or deliveries from anyone else', async () => {
    const hooks = await admin('GET', '/api/v1/settings/hooks');
    assert.match(hooks.smsInbound, /\/v1\/sms\/inbound\?hook=[\w-]{43}$/);
    assert.equal(new URL(hooks.receipts).searchParams.get('hook'), new URL(hooks.twilio).searchParams.get('hook'));
    const token = new URL(hooks.receipts).searchParams.get('hook')!;
    const forged = [
      ['/v1/sms/inbound', { from: '+48600100200', text: 'START' }],
      ['/v1/receipts', { providerMessageId: 'any', status: 'complained' }],
      ['/v1/receipts/twilio', { MessageSid: 'SM1', MessageStatus: 'delivered' }],
    ] as const;
    for (const [path, body] of forged) {
      const nearMiss = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'); // the token with its last character changed
      for (const query of ['', '?hook=guess', `?hook=${nearMiss}`]) {
        const res = await s.call('POST', path + query, { key: s.writeKey, body });
        assert.equal(res.status, 403, `${path}${query}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.message, /hook token: put the callback URLs from GET \/api\/v1\/settings\/hooks/);
      }
    }
    assert.equal(
      (await s.call('POST', `${await hookPath('smsInbound')}`, { body: forged[0][1] })).status,
      401,
      'and the write key too',
    );
    assert.deepEqual(
      (await trailOf('ann')).filter((r: string) => r.startsWith('sms')),
      ['sms/marketing granted by api'],
      'nothing recorded',
    );
    // with the token: the report is taken (here: no such message, said, also to Twilio)
    assert.equal(
      (await s.call('POST', await hookPath('receipts'), { key: s.writeKey, body: forged[1][1] })).status,
      404,
    );
    assert.equal(
      (
        await s.call('POST', await hookPath('twilio'), {
          key: s.writeKey,
          body: 'MessageSid=SM1&MessageStatus=delivered',
          headers: form,
        })
      ).status,
      404,
    );
    assert.equal(
      (
        await s.call('POST', await hookPath('twilio'), {
          key: s.writeKey,
          body: 'MessageSid=SM1&MessageStatus=sent',
          headers: form,
        })
      ).status,
      204,
    );
  });

  it('inbound SMS: STOP (or СТОП) revokes SMS marketing and suppresses the number; START re-grants; other text is ignored', async () => {
    const inbound = await hookPath('smsInbound');
    const sms = (body: object | string, headers?: Record<string, string>) =>
      s.call('POST', inbound, { key: s.writeKey, body, headers });
    tick();
    assert.deepEqual((await sms({ from: '+48600100200', text: 'СТОП' })).body, {
      action: 'stop',
      phone: '+48600100200',
      customers: 1,
    });
    assert.equal((await stateOf('ann', 'sms')).granted, false);
    const { suppressions } = await admin('GET', '/api/v1/suppressions?channel=sms');
    assert.deepEqual(
      suppressions.map((x: { address: string; reason: string }) => `${x.address}:${x.reason}`),
      ['+48600100200:unsubscribed'],
    );
    tick();
    assert.equal((await sms('From=%2B48600100200&Body=start', form)).body.action, 'start');
    assert.equal((await stateOf('ann', 'sms')).source, 'sms_start');
    assert.deepEqual((await admin('GET', '/api/v1/suppressions?channel=sms')).suppressions, []);
    assert.deepEqual((await sms({ from: '+48600100200', text: 'thanks, see you' })).body, {
      action: 'none',
      customers: 0,
    });
    const bad = await sms({ from: 'nobody', text: 'STOP' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^from: /);
    assert.match((await sms({ text: 'STOP' })).body.message, /^from: /);
  });

  it('suppressions: add, list page by page, lift; bad input named', async () => {
    await admin(
      'POST',
      '/api/v1/suppressions',
      { channel: 'email', address: 'Bounced@Example.com', reason: 'hard_bounce', detail: '550 5.1.1' },
      201,
    );
    await admin(
      'POST',
      '/api/v1/suppressions',
      { channel: 'email', address: 'angry@example.com', reason: 'complaint' },
      201,
    );
    const first = await admin('GET', '/api/v1/suppressions?limit=1');
    assert.deepEqual(
      first.suppressions.map((x: { address: string }) => x.address),
      ['angry@example.com'],
    );
    const second = await admin('GET', `/api/v1/suppressions?limit=1&cursor=${first.nextCursor}`);
    assert.deepEqual(
      [second.suppressions[0].address, second.suppressions[0].reason, second.nextCursor],
      ['bounced@example.com', 'hard_bounce', null],
    );
    for (const [body, field] of [
      [{ channel: 'email', address: 'x@y.z', reason: 'spam' }, 'reason'],
      [{ channel: 'email', address: 'nope', reason: 'complaint' }, 'address'],
      [{ channel: 'pigeon', address: 'x', reason: 'complaint' }, 'channel'],
    ] as const) {
      const res = await s.call('POST', '/api/v1/suppressions', { key: s.adminKey, body });
      assert.equal(res.status, 400);
      assert.match(res.body.message, new RegExp(`^${field}: `));
    }
    await admin('DELETE', '/api/v1/suppressions?channel=email&address=BOUNCED@example.com');
    assert.equal(
      (await s.call('DELETE', '/api/v1/suppressions?channel=email&address=bounced@example.com', { key: s.adminKey }))
        .status,
      404,
    );
  });

  it('gate settings: defaults, a change per key, bad values named', async () => {
    const defaults = await admin('GET', '/api/v1/settings/messaging');
    assert.deepEqual(defaults, {
      caps: { all: { perDay: 1, perWeek: 3 } },
      quietHours: { from: '21:00', to: '09:00' },
      doubleOptInEmail: false,
    });
    const changed = await admin('PUT', '/api/v1/settings/messaging', {
      caps: { all: { perWeek: 5 }, sms: { perDay: 1 } },
      quietHours: null,
      senderName: ' Shop ',
      senderIdentification: 'Shop Ltd, VAT PL123',
    });
    assert.deepEqual(changed, {
      caps: { all: { perWeek: 5 }, sms: { perDay: 1 } },
      doubleOptInEmail: false,
      senderName: 'Shop',
      senderIdentification: 'Shop Ltd, VAT PL123',
    });
    assert.deepEqual(await admin('GET', '/api/v1/settings/messaging'), changed);
    const cleared = await admin('PUT', '/api/v1/settings/messaging', { senderName: null, senderIdentification: '' });
    assert.deepEqual(
      cleared,
      { caps: { all: { perWeek: 5 }, sms: { perDay: 1 } }, doubleOptInEmail: false },
      'null or empty removes the sender',
    );
    const bad: [object, RegExp][] = [
      [{ caps: { sms: { perDay: -1 } } }, /^caps\.sms\.perDay: at least 0/],
      [{ caps: { sms: { perDay: 1.5 } } }, /^caps\.sms\.perDay: a whole number/],
      [{ caps: { fax: { perDay: 1 } } }, /^caps\.fax: not a setting/],
      [{ caps: { sms: { perHour: 1 } } }, /^caps\.sms\.perHour: not a setting/],
      [{ quietHours: { from: '25:00', to: '09:00' } }, /^quietHours\.from: a time of day as HH:mm/],
      [{ quietHours: { from: '09:00', to: '09:00' } }, /^quietHours: from and to must differ/],
      [{ doubleOptInEmail: 'yes' }, /^doubleOptInEmail: /],
      [{ quietHour: { from: '21:00', to: '09:00' } }, /^quietHour: not a setting/],
      [{ senderIdentification: 'x'.repeat(501) }, /^senderIdentification: at most 500 characters/],
      [{ senderName: 42 }, /^senderName: /],
    ];
    for (const [body, message] of bad) {
      const res = await s.call('PUT', '/api/v1/settings/messaging', { key: s.adminKey, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.message, message);
    }
  });
});
