// The consent store on a real database: acts → audit trail, state in force and event log; double opt-in; STOP / START
// by phone; topics; suppressions; links; and the segment `consent` condition following consent changes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { createSegment, getMembers, runIncremental } from '../../src/segments/index.ts';
import { decide, defaultGateSettings } from '../../src/messaging/gate.ts';
import {
  ConsentError,
  confirm,
  consentFor,
  consentLinks,
  consentState,
  consentTrail,
  createTopic,
  deleteTopic,
  isSuppressed,
  listSuppressions,
  listTopics,
  readLink,
  recordConsent,
  regrantByPhone,
  removeSuppression,
  requestConfirmation,
  revokeByPhone,
  savePreferences,
  preferenceChoices,
  subscribeTopic,
  suppress,
  topicConsent,
  unsubscribeByLink,
  unsubscribeTopic,
} from '../../src/consent/store.ts';

const T0 = new Date('2026-05-01T09:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const PEOPLE = [
  { userId: 'ann', email: 'ann@example.com', phone: '+48600100200' },
  { userId: 'bob', email: 'bob@example.com', phone: '+48600100300' },
  { userId: 'bob-work', email: 'bob@work.example', phone: '+48600100300' }, // the same phone on two profiles
  { userId: 'cat', email: 'cat@example.com' },
  { userId: 'dan', email: 'dan@example.com' },
  { userId: 'eve', email: 'eve@example.com', phone: '+48600100500' },
];

describe(`consent store (${backend})`, () => {
  let t: TestDb;
  const id: Record<string, string> = {};
  const ws = () => t.workspaceId;
  const shortTrail = async (who: string) =>
    (await consentTrail(t.db, ws(), id[who]!)).map(
      (r) =>
        `${r.channel}/${r.purpose}${r.topic ? `/${r.topic}` : ''} ${r.granted ? 'granted' : 'revoked'} by ${r.source}${r.confirmedAt ? ' (confirmed)' : ''}`,
    );
  const events = async (who: string) =>
    (
      await t.db.query<{ name: string; properties: Record<string, unknown> }>(
        "SELECT name, properties FROM events WHERE workspace_id = $1 AND customer_id = $2 AND name LIKE 'Consent%' ORDER BY timestamp, message_id",
        [ws(), id[who]],
      )
    ).map((e) => e.name);

  before(async () => {
    t = await freshDb();
    const r = await ingest(
      t.db,
      t.workspaceId,
      PEOPLE.map(({ userId, ...traits }) => ({ type: 'identify', userId, traits, timestamp: T0.toISOString() })),
      { receivedAt: T0 },
    );
    assert.deepEqual(r.rejected, []);
    for (const row of await t.db.query<{ id: string; user_id: string }>(
      'SELECT id::text, user_id FROM customers WHERE workspace_id = $1',
      [t.workspaceId],
    ))
      id[row.user_id] = row.id;
    await t.db.query('DELETE FROM customer_changes WHERE workspace_id = $1', [t.workspaceId]);
  });
  after(async () => t.close());

  it('audit trail: a sign-up grant, then a revocation by API — both kept with source, IP, text version; the latest is in force', async () => {
    await recordConsent(t.db, ws(), id.ann!, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'signup_form',
      ip: '203.0.113.7',
      textVersion: 'newsletter-v3',
      at: T0,
    });
    await recordConsent(t.db, ws(), id.ann!, {
      channel: 'email',
      purpose: 'marketing',
      granted: false,
      source: 'api',
      at: later(60),
    });
    const trail = await consentTrail(t.db, ws(), id.ann!);
    assert.deepEqual(
      trail.map((r) => [r.granted, r.source, r.ip, r.textVersion, r.at.toISOString()]),
      [
        [true, 'signup_form', '203.0.113.7', 'newsletter-v3', T0.toISOString()],
        [false, 'api', null, null, later(60).toISOString()],
      ],
    );
    const state = consentFor(await consentState(t.db, ws(), id.ann!), 'email', 'marketing');
    assert.equal(state?.granted, false);
    assert.equal(state?.source, 'api');
  });

  it('every act is an event in the log (counted, and the customer queued for segments); replaying an act records nothing twice', async () => {
    assert.deepEqual(await events('ann'), ['Consent Granted', 'Consent Revoked']);
    const [granted] = await t.db.query<{ properties: Record<string, unknown>; message_id: string }>(
      "SELECT properties, message_id FROM events WHERE workspace_id = $1 AND customer_id = $2 AND name = 'Consent Granted'",
      [ws(), id.ann],
    );
    assert.deepEqual(granted!.properties, {
      channel: 'email',
      purpose: 'marketing',
      topic: null,
      source: 'signup_form',
      textVersion: 'newsletter-v3',
    });
    assert.equal(granted!.message_id, `consent:${ws()}:${id.ann}:email:marketing::${T0.toISOString()}`);
    const replay = await recordConsent(t.db, ws(), id.ann!, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'signup_form',
      at: T0,
    });
    assert.deepEqual(replay, { recorded: false });
    assert.equal((await consentTrail(t.db, ws(), id.ann!)).length, 2);
    const [counter] = await t.db.query<{ count: string }>(
      "SELECT count::text FROM customer_event_counters WHERE workspace_id = $1 AND customer_id = $2 AND name = 'Consent Granted'",
      [ws(), id.ann],
    );
    assert.equal(counter!.count, '1');
    const queued = await t.db.query('SELECT 1 FROM customer_changes WHERE workspace_id = $1 AND customer_id = $2', [
      ws(),
      id.ann,
    ]);
    assert.equal(queued.length, 1);
  });

  const bad: [string, () => Promise<unknown>, string][] = [
    [
      'an unknown channel',
      () =>
        recordConsent(t.db, ws(), id.ann!, {
          channel: 'fax' as 'email',
          purpose: 'marketing',
          granted: true,
          source: 'api',
          at: T0,
        }),
      'channel',
    ],
    [
      'a bad purpose',
      () =>
        recordConsent(t.db, ws(), id.ann!, {
          channel: 'email',
          purpose: 'ads' as 'marketing',
          granted: true,
          source: 'api',
          at: T0,
        }),
      'purpose',
    ],
    [
      'a source with spaces',
      () =>
        recordConsent(t.db, ws(), id.ann!, {
          channel: 'email',
          purpose: 'marketing',
          granted: true,
          source: 'my form',
          at: T0,
        }),
      'source',
    ],
    [
      'a topic on one channel',
      () =>
        recordConsent(t.db, ws(), id.ann!, {
          channel: 'email',
          purpose: 'marketing',
          topic: 'news',
          granted: true,
          source: 'api',
          at: T0,
        }),
      'channel',
    ],
    [
      'an invalid date',
      () =>
        recordConsent(t.db, ws(), id.ann!, {
          channel: 'email',
          purpose: 'marketing',
          granted: true,
          source: 'api',
          at: new Date('x'),
        }),
      'at',
    ],
  ];
  for (const [what, act, field] of bad) {
    it(`refuses ${what}, naming the field "${field}"`, async () => {
      await assert.rejects(
        act,
        (e: unknown) =>
          e instanceof ConsentError && e.code === 'invalid' && e.field === field && e.message.startsWith(`${field}: `),
      );
    });
  }

  it('refuses a customer or topic that does not exist, saying what to do', async () => {
    await assert.rejects(
      recordConsent(t.db, ws(), '999999', {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'api',
        at: T0,
      }),
      /No customer 999999/,
    );
    await assert.rejects(
      subscribeTopic(t.db, ws(), id.ann!, 'nope', { source: 'api', at: T0 }),
      /create it first with POST \/api\/v1\/topics/,
    );
  });

  it('double opt-in: the grant waits for the link; only a hash of the token is stored; the click is a confirmed grant in the trail', async () => {
    const settings = { ...defaultGateSettings, doubleOptInEmail: true, quietHours: undefined };
    const gate = async () =>
      decide(
        {
          purpose: 'marketing',
          channel: 'email',
          timezone: 'UTC',
          duplicate: false,
          inControlGroup: false,
          suppressed: null,
          address: 'cat@example.com',
          consent: consentFor(await consentState(t.db, ws(), id.cat!), 'email', 'marketing'),
          recentMarketingSends: [],
          settings,
        },
        later(30),
      );
    await recordConsent(t.db, ws(), id.cat!, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'signup_form',
      ip: '198.51.100.1',
      textVersion: 'v1',
      at: T0,
    });
    assert.equal((await gate()).kind, 'skip');

    const { token, expiresAt } = await requestConfirmation(t.db, ws(), id.cat!, { textVersion: 'v1' }, T0);
    assert.equal(expiresAt.toISOString(), '2026-05-08T09:00:00.000Z');
    const stored = await t.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM consent_confirmations WHERE workspace_id = $1 AND customer_id = $2',
      [ws(), id.cat],
    );
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]!.token_hash, token);
    assert.equal(JSON.stringify(await t.db.query('SELECT * FROM consent_confirmations')).includes(token), false);

    const tampered = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
    assert.deepEqual(await confirm(t.db, tampered, later(10)), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(await confirm(t.db, token, new Date('2026-05-08T09:00:00Z')), { ok: false, reason: 'expired' });
    const done = await confirm(t.db, token, later(20), '198.51.100.1');
    assert.deepEqual(done, {
      ok: true,
      ws: ws(),
      customerId: id.cat,
      channel: 'email',
      purpose: 'marketing',
      alreadyConfirmed: false,
    });
    assert.deepEqual((await confirm(t.db, token, later(25))).ok && 'again', 'again');
    assert.deepEqual(await shortTrail('cat'), [
      'email/marketing granted by signup_form',
      'email/marketing granted by double_opt_in (confirmed)',
    ]);
    assert.equal((await consentTrail(t.db, ws(), id.cat!))[1]!.ip, '198.51.100.1');
    assert.equal((await gate()).kind, 'send');

    // a later revocation clears the confirmation: a new grant must be confirmed again
    await recordConsent(t.db, ws(), id.cat!, {
      channel: 'email',
      purpose: 'marketing',
      granted: false,
      source: 'api',
      at: later(40),
    });
    await recordConsent(t.db, ws(), id.cat!, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'api',
      at: later(50),
    });
    assert.equal(consentFor(await consentState(t.db, ws(), id.cat!), 'email', 'marketing')?.confirmed, false);
  });

  it('STOP by SMS revokes SMS marketing of every profile with that number and suppresses it; START undoes both', async () => {
    for (const who of ['bob', 'bob-work']) {
      await recordConsent(t.db, ws(), id[who]!, {
        channel: 'sms',
        purpose: 'marketing',
        granted: true,
        source: 'signup_form',
        at: T0,
      });
    }
    const stop = await revokeByPhone(t.db, ws(), '+48 600 100 300', 'sms_stop', later(5));
    assert.deepEqual(stop, { phone: '+48600100300', customers: [id.bob, id['bob-work']] });
    for (const who of ['bob', 'bob-work']) {
      assert.equal(consentFor(await consentState(t.db, ws(), id[who]!), 'sms', 'marketing')?.granted, false);
      assert.deepEqual(await events(who), ['Consent Granted', 'Consent Revoked']);
    }
    assert.equal(await isSuppressed(t.db, ws(), 'sms', '+48600100300'), 'unsubscribed');

    const start = await regrantByPhone(t.db, ws(), '+48600100300', 'sms_start', later(10));
    assert.equal(start.customers.length, 2);
    assert.equal(consentFor(await consentState(t.db, ws(), id.bob!), 'sms', 'marketing')?.source, 'sms_start');
    assert.equal(await isSuppressed(t.db, ws(), 'sms', '+48600100300'), null);
  });

  it('START does not lift a suppression for another reason; STOP from an unknown number still suppresses it', async () => {
    await suppress(t.db, ws(), 'sms', '+48600100600', 'invalid_address', 'carrier said so', T0);
    await revokeByPhone(t.db, ws(), '+48600100600', 'sms_stop', later(1));
    assert.equal(await isSuppressed(t.db, ws(), 'sms', '+48600100600'), 'invalid_address');
    await regrantByPhone(t.db, ws(), '+48600100600', 'sms_start', later(2));
    assert.equal(await isSuppressed(t.db, ws(), 'sms', '+48600100600'), 'invalid_address');
    const unknown = await revokeByPhone(t.db, ws(), '+48600999999', 'sms_stop', later(3));
    assert.deepEqual(unknown.customers, []);
    assert.equal(await isSuppressed(t.db, ws(), 'sms', '+48600999999'), 'unsubscribed');
    await assert.rejects(
      revokeByPhone(t.db, ws(), 'not a phone'),
      (e: unknown) => e instanceof ConsentError && e.field === 'from',
    );
  });

  it('topics: created once, joined and left as consent rows with the topic; deleting a topic keeps the trail', async () => {
    await createTopic(t.db, ws(), { id: 'news', name: 'Product news', description: 'Once a month' });
    await createTopic(t.db, ws(), { id: 'offers', name: 'Offers' });
    await assert.rejects(
      createTopic(t.db, ws(), { id: 'news', name: 'again' }),
      (e: unknown) => e instanceof ConsentError && e.code === 'conflict',
    );
    await assert.rejects(
      createTopic(t.db, ws(), { id: 'bad id', name: 'x' }),
      (e: unknown) => e instanceof ConsentError && e.field === 'id',
    );
    assert.deepEqual(
      (await listTopics(t.db, ws())).map((x) => x.id),
      ['offers', 'news'],
    );

    await subscribeTopic(t.db, ws(), id.dan!, 'news', { source: 'preference_centre', at: T0 });
    await subscribeTopic(t.db, ws(), id.dan!, 'offers', { source: 'preference_centre', at: T0 });
    await unsubscribeTopic(t.db, ws(), id.dan!, 'offers', { source: 'unsubscribe_link', at: later(1) });
    const states = await consentState(t.db, ws(), id.dan!);
    assert.equal(topicConsent(states, 'news')?.granted, true);
    assert.equal(topicConsent(states, 'offers')?.granted, false);
    assert.equal(consentFor(states, 'email', 'marketing'), null, 'a topic is not the channel consent');

    await deleteTopic(t.db, ws(), 'offers');
    assert.deepEqual(await shortTrail('dan'), [
      '*/marketing/news granted by preference_centre',
      '*/marketing/offers granted by preference_centre',
      '*/marketing/offers revoked by unsubscribe_link',
    ]);
    await createTopic(t.db, ws(), { id: 'offers', name: 'Offers' });
  });

  it('suppressions: addresses normalised, one reason each (the latest), listed by channel and address, lifted', async () => {
    await suppress(t.db, ws(), 'email', 'Eve@Example.COM', 'hard_bounce', '550 5.1.1 no such user', T0);
    assert.equal(await isSuppressed(t.db, ws(), 'email', 'eve@example.com'), 'hard_bounce');
    await suppress(t.db, ws(), 'email', 'eve@example.com', 'complaint', 'feedback loop', later(1));
    assert.equal(await isSuppressed(t.db, ws(), 'email', 'EVE@example.com'), 'complaint');
    assert.equal(await isSuppressed(t.db, ws(), 'email', 'ann@example.com'), null);
    await assert.rejects(
      suppress(t.db, ws(), 'email', 'not-an-address', 'hard_bounce'),
      (e: unknown) => e instanceof ConsentError && e.field === 'address',
    );
    await assert.rejects(
      suppress(t.db, ws(), 'email', 'a@b.c', 'spam' as 'complaint'),
      (e: unknown) => e instanceof ConsentError && e.field === 'reason',
    );
    const list = await listSuppressions(t.db, ws(), {});
    assert.deepEqual(
      list.map((s) => `${s.channel}:${s.address}:${s.reason}`),
      ['email:eve@example.com:complaint', 'sms:+48600100600:invalid_address', 'sms:+48600999999:unsubscribed'],
    );
    assert.deepEqual(
      (await listSuppressions(t.db, ws(), { after: ['email', 'eve@example.com'], limit: 1 })).map((s) => s.address),
      ['+48600100600'],
    );
    assert.equal(await removeSuppression(t.db, ws(), 'email', 'EVE@example.com'), true);
    assert.equal(await removeSuppression(t.db, ws(), 'email', 'eve@example.com'), false);
  });

  it('links: an unsubscribe link revokes its channel (or its topic), once; a link of another kind or workspace does not verify', async () => {
    await recordConsent(t.db, ws(), id.eve!, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'api',
      at: T0,
    });
    await subscribeTopic(t.db, ws(), id.eve!, 'news', { source: 'api', at: T0 });
    const links = await consentLinks(
      t.db,
      ws(),
      { customerId: id.eve!, channel: 'email', topic: 'news' },
      'https://retain.example.com/',
    );
    assert.match(links.unsubscribe, /^https:\/\/retain\.example\.com\/c\/unsubscribe\?t=[\w-]+\.[\w-]{43}$/);
    assert.deepEqual(links.headers, {
      'List-Unsubscribe': `<${links.unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const token = new URL(links.unsubscribe).searchParams.get('t')!;
    const read = await readLink(t.db, token, 'unsubscribe', later(1));
    if (!read.ok) assert.fail(`the link does not verify: ${read.reason}`);
    assert.deepEqual(await readLink(t.db, token, 'preferences', later(1)), { ok: false, reason: 'wrong_kind' });
    const other = await createWorkspace(t.db, 'other shop');
    const foreign = await consentLinks(t.db, other.id, { customerId: id.eve!, channel: 'email' }, 'https://x.example');
    const forged = new URL(foreign.unsubscribe).searchParams.get('t')!.replace(/^[^.]+/, token.split('.')[0]!);
    assert.deepEqual(await readLink(t.db, forged, 'unsubscribe', later(1)), { ok: false, reason: 'bad_signature' });

    await unsubscribeByLink(t.db, read.payload, later(2), '192.0.2.9');
    await unsubscribeByLink(t.db, read.payload, later(3), '192.0.2.9'); // a second click records nothing
    const states = await consentState(t.db, ws(), id.eve!);
    assert.equal(topicConsent(states, 'news')?.granted, false);
    assert.equal(consentFor(states, 'email', 'marketing')?.granted, true, 'leaving a topic keeps the channel');
    assert.deepEqual((await shortTrail('eve')).slice(-1), ['*/marketing/news revoked by unsubscribe_link']);
  });

  it('preference centre: shows the channels the customer has and every topic; saves only what changed', async () => {
    const choices = await preferenceChoices(t.db, ws(), id.eve!);
    assert.deepEqual(
      choices?.channels.map((c) => `${c.channel}:${c.checked}`),
      ['email:true', 'sms:false'],
    );
    assert.deepEqual(
      choices?.topics.map((c) => `${c.id}:${c.checked}`),
      ['offers:false', 'news:false'],
    );
    const changed = await savePreferences(
      t.db,
      ws(),
      id.eve!,
      { channels: ['email', 'sms'], topics: ['offers'] },
      later(5),
      '192.0.2.9',
      false,
    );
    assert.equal(changed, 2);
    assert.deepEqual((await shortTrail('eve')).slice(-2), [
      '*/marketing/offers granted by preference_centre',
      'sms/marketing granted by preference_centre',
    ]);
  });

  it('a link or confirmation names its customer by internal id: a customer whose user id is that number is never touched', async () => {
    const shop = (await createWorkspace(t.db, 'numeric user ids')).id;
    const identify = (userId: string, email: string) =>
      ingest(t.db, shop, [{ type: 'identify', userId, traits: { email }, timestamp: T0.toISOString() }], {
        receivedAt: T0,
      });
    await identify('alice', 'alice@example.com');
    const [alice] = await t.db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'alice'",
      [shop],
    );
    await identify(alice!.id, 'bob@example.com'); // the shop's own numeric user id happens to equal alice's internal id
    const [bob] = await t.db.query<{ id: string }>(
      'SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = $2',
      [shop, alice!.id],
    );
    for (const who of [alice!.id, bob!.id])
      await recordConsent(t.db, shop, who, {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'api',
        at: T0,
      });
    const email = async (who: string) => consentFor(await consentState(t.db, shop, who), 'email', 'marketing');

    const { token } = await requestConfirmation(t.db, shop, alice!.id, { textVersion: 'v1' }, later(1));
    const confirmed = await confirm(t.db, token, later(2));
    assert.equal(confirmed.ok && confirmed.customerId, alice!.id, 'alice confirms her own consent');
    assert.deepEqual([(await email(alice!.id))?.confirmed, (await email(bob!.id))?.confirmed], [true, false]);

    assert.deepEqual(
      (await preferenceChoices(t.db, shop, alice!.id))?.channels.map((c) => `${c.channel}:${c.checked}`),
      ['email:true'],
    );
    await recordConsent(t.db, shop, bob!.id, {
      channel: 'sms',
      purpose: 'marketing',
      granted: true,
      source: 'api',
      at: later(3),
    });
    assert.equal(
      await savePreferences(t.db, shop, alice!.id, { channels: ['email'], topics: [] }, later(4), null, false),
      0,
      "alice's own page: nothing changed",
    );

    const links = await consentLinks(
      t.db,
      shop,
      { customerId: alice!.id, channel: 'email' },
      'https://retain.example.com',
    );
    const read = await readLink(t.db, new URL(links.unsubscribe).searchParams.get('t')!, 'unsubscribe', later(5));
    if (!read.ok) assert.fail(`the link does not verify: ${read.reason}`);
    assert.equal(await unsubscribeByLink(t.db, read.payload, later(5), null), true);
    assert.deepEqual(
      [(await email(alice!.id))?.granted, (await email(bob!.id))?.granted],
      [false, true],
      "alice's link revokes alice's consent, not bob's",
    );
    assert.deepEqual(
      (await consentTrail(t.db, shop, bob!.id)).map((r) => `${r.channel} ${r.granted} ${r.source}`),
      ['email true api', 'sms true api'],
    );
  });

  it('the segment condition {consent: email, purpose: marketing} follows consent changes, and ignores topic rows', async () => {
    await createSegment(t.db, ws(), {
      id: 'email-ok',
      name: 'E-mail marketing allowed',
      definition: { consent: 'email', purpose: 'marketing' },
    });
    await runIncremental(t.db, ws(), later(100));
    const members = async () => (await getMembers(t.db, ws(), 'email-ok')).members.map((m) => m.customer.userId).sort();
    assert.deepEqual(await members(), ['cat', 'eve']);
    await recordConsent(t.db, ws(), id.ann!, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'api',
      at: later(110),
    });
    await recordConsent(t.db, ws(), id.eve!, {
      channel: 'email',
      purpose: 'marketing',
      granted: false,
      source: 'api',
      at: later(110),
    });
    // a topic-level row on the e-mail channel (written by hand) must not count as the channel's consent
    await t.db.query(
      `INSERT INTO consents (workspace_id, customer_id, channel, purpose, topic, granted, source, at) VALUES ($1, $2, 'email', 'marketing', 'news', false, 'test', $3)`,
      [ws(), id.cat, later(120).toISOString()],
    );
    await t.db.query(
      'INSERT INTO customer_changes (workspace_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [ws(), id.cat],
    );
    await runIncremental(t.db, ws(), later(130));
    assert.deepEqual(await members(), ['ann', 'cat']);
  });
});
