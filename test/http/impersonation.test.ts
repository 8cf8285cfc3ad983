// Nobody outside can pass as Retain or take a customer over: the events Retain writes itself are refused from every key
// (by field), a segment journey starts on real membership changes only, and the public key cannot repoint a customer's
// e-mail or phone (by identify or by merging profiles) nor alias two customers into one. The server key keeps its power.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';
import { provideFor } from '../helpers/sendable.ts';
import { createSegment, runIncremental } from '../../src/segments/index.ts';
import { activateJourney, createJourney, putJourneySettings, tickJourneys } from '../../src/journeys/index.ts';
import { OWN_EVENT_NAMES } from '../../src/customers/own-event-names.ts';

describe(`the events Retain writes itself cannot be sent (${backend})`, () => {
  let s: Served;
  const now = new Date('2026-06-01T10:00:00Z');
  before(async () => (s = await serve({ clock: () => now })));
  after(async () => s.close());

  const keys = () => ({ public: s.publicKey, server: s.serverKey, admin: s.adminKey });
  const forged: [string, string, object, string][] = [
    // what, route, body, the field refused
    ['a segment entry', '/v1/track', { event: 'Segment Entered', properties: { segmentId: 'vip' } }, 'event'],
    ['a segment exit', '/v1/track', { event: 'Segment Exited', properties: { segmentId: 'vip' } }, 'event'],
    [
      'a delivery report',
      '/v1/track',
      { event: 'Message Delivered', properties: { messageKey: 'k', channel: 'sms' } },
      'event',
    ],
    [
      'a consent',
      '/v1/track',
      { event: 'Consent Granted', properties: { channel: 'email', purpose: 'marketing' } },
      'event',
    ],
    [
      'a lifecycle change',
      '/v1/track',
      { event: 'Lifecycle Stage Changed', properties: { from: 'active', to: 'churned' } },
      'event',
    ],
    [
      'a page named as a segment entry',
      '/v1/page',
      { name: 'Segment Entered', properties: { segmentId: 'vip' } },
      'name',
    ],
    ['a screen named as a message sent', '/v1/screen', { name: 'Message Sent' }, 'name'],
    [
      "our segment events' message id",
      '/v1/track',
      { event: 'Anything', messageId: 'seg:vip:1:enter:2026-06-01T10:00:00.000Z:1' },
      'messageId',
    ],
    ["our messages' message id", '/v1/track', { event: 'Anything', messageId: 'msg:j:1:email:sent' }, 'messageId'],
    [
      "our lifecycle events' message id",
      '/v1/identify',
      { traits: { plan: 'x' }, messageId: 'lifecycle:1:none>new:2026-06-01' },
      'messageId',
    ],
  ];
  for (const kind of ['public', 'server', 'admin'] as const) {
    for (const [what, route, body, field] of forged) {
      it(`${kind} key: ${what} → 400 by ${field}, nothing stored`, async () => {
        const res = await s.call('POST', route, { key: keys()[kind], body: { userId: `mallory-${kind}`, ...body } });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.rejected[0].field, field);
        assert.match(
          res.body.message,
          field === 'messageId' ? /Retain's own events use/ : /is a name Retain writes itself/,
        );
        const [n] = await s.t.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND user_id = $2',
          [s.t.workspaceId, `mallory-${kind}`],
        );
        assert.equal(n!.n, 0);
      });
    }
  }

  it('in a batch the forged events are refused by index and the others kept', async () => {
    const batch = [
      { type: 'track', userId: 'bob', event: 'Product Viewed' },
      ...OWN_EVENT_NAMES.map((event) => ({ type: 'track', userId: 'bob', event })),
      { type: 'track', userId: 'bob', event: 'Order Completed', properties: { orderId: 'o-1', total: 5 } },
    ];
    const res = await s.call('POST', '/v1/batch', { key: s.serverKey, body: { batch } });
    assert.equal(res.status, 200);
    assert.equal(res.body.accepted, 2);
    assert.deepEqual(
      res.body.rejected.map((r: { index: number; field: string }) => `${r.index} ${r.field}`),
      OWN_EVENT_NAMES.map((_, i) => `${i + 1} event`),
    );
  });
});

describe(`a segment journey starts on real membership changes only (${backend})`, () => {
  let s: Served;
  let now = new Date('2026-06-01T10:00:00Z');
  const tick = async () => {
    await runIncremental(s.t.db, s.t.workspaceId, now);
    await tickJourneys(s.t.db, now);
  };
  const welcomed = async () =>
    (
      await s.t.db.query<{ user_id: string }>(
        `SELECT c.user_id FROM journey_runs r JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
     WHERE r.workspace_id = $1 AND r.journey_id = 'vip-welcome' ORDER BY c.user_id`,
        [s.t.workspaceId],
      )
    ).map((r) => r.user_id);

  before(async () => {
    s = await serve({ clock: () => now });
    const ws = s.t.workspaceId;
    await putJourneySettings(s.t.db, ws, { share: 0 });
    await createSegment(s.t.db, ws, {
      id: 'vip',
      name: 'VIP',
      definition: { trait: 'plan', op: 'equals', value: 'vip' },
    });
    const definition = {
      trigger: { type: 'segment', segment: 'vip', on: 'enter' },
      start: 'hi',
      steps: [{ id: 'hi', type: 'send', template: 'vip-welcome', channel: { fixed: 'email' } }],
    };
    await provideFor(s.t.db, ws, definition);
    await createJourney(s.t.db, ws, { id: 'vip-welcome', name: 'VIP welcome', definition }, now);
    await activateJourney(s.t.db, ws, 'vip-welcome', now);
  });
  after(async () => s.close());

  it('a VIP enters and is welcomed; a non-member who sends "Segment Entered vip" with any key is refused and never enters', async () => {
    assert.equal(
      (await s.call('POST', '/v1/identify', { key: s.serverKey, body: { userId: 'vera', traits: { plan: 'vip' } } }))
        .status,
      200,
    );
    assert.equal(
      (await s.call('POST', '/v1/identify', { key: s.serverKey, body: { userId: 'nils', traits: { plan: 'free' } } }))
        .status,
      200,
    );
    for (const key of [s.publicKey, s.serverKey, s.adminKey]) {
      const res = await s.call('POST', '/v1/track', {
        key,
        body: { userId: 'nils', event: 'Segment Entered', properties: { segmentId: 'vip', segmentName: 'VIP' } },
      });
      assert.equal(res.status, 400);
    }
    now = new Date(now.getTime() + 60_000);
    await tick();
    assert.deepEqual(await welcomed(), ['vera']);
  });

  it('a "Segment Entered" in the log that the segment runner did not write (no seg: message id) starts nothing', async () => {
    const [nils] = await s.t.db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'nils'",
      [s.t.workspaceId],
    );
    // planted past ingest (say, by hand in SQL): the journey inbox gets it like any event of that name
    await s.t.db.query(
      `INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, properties, timestamp, received_at)
       VALUES ($1, 'planted-1', $2, 'track', 'Segment Entered', 'nils', '{"segmentId": "vip"}', $3, $3)`,
      [s.t.workspaceId, nils!.id, now.toISOString()],
    );
    const [inbox] = await s.t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM journey_inbox WHERE message_id = 'planted-1'",
    );
    assert.equal(inbox!.n, 1, 'the journey sees the event');
    now = new Date(now.getTime() + 60_000);
    await tick();
    assert.deepEqual(await welcomed(), ['vera'], 'and does not let nils in');
  });
});

describe(`who a customer is: the public key cannot repoint an e-mail or phone (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve({})));
  after(async () => s.close());

  const profile = async (userId: string) => {
    const [c] = await s.t.db.query<{
      id: string;
      email: string | null;
      phone: string | null;
      traits: Record<string, unknown>;
    }>('SELECT id::text, email, phone, traits FROM customers WHERE workspace_id = $1 AND user_id = $2', [
      s.t.workspaceId,
      userId,
    ]);
    return c!;
  };
  const identify = (key: string, body: object) =>
    s.call('POST', '/v1/identify', { key, body: { timestamp: new Date().toISOString(), ...body } });

  it('public key: a first e-mail and phone are taken (a visitor signs up)', async () => {
    const res = await identify(s.publicKey, {
      userId: 'ann',
      traits: { email: 'ann@example.com', phone: '+48600100200', name: 'Ann' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.warnings, undefined);
    const ann = await profile('ann');
    assert.deepEqual([ann.email, ann.phone, ann.traits.name], ['ann@example.com', '+48600100200', 'Ann']);
  });

  it('public key: another e-mail or phone for ann is held (the event kept, a warning by field); other traits change', async () => {
    const res = await identify(s.publicKey, {
      userId: 'ann',
      traits: { email: 'mallory@evil.example', phone: '+48600999999', name: 'Ann B.' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.accepted, 1);
    assert.deepEqual(
      res.body.warnings.map((w: { index: number; field: string }) => `${w.index} ${w.field}`),
      ['0 traits.email', '0 traits.phone'],
    );
    assert.match(res.body.warnings[0].reason, /public key cannot change it.*server key/);
    const ann = await profile('ann');
    assert.deepEqual(
      [ann.email, ann.phone, ann.traits.email, ann.traits.phone, ann.traits.name],
      ['ann@example.com', '+48600100200', 'ann@example.com', '+48600100200', 'Ann B.'],
    );
    // the same in a batch, and the same address again is no change at all
    const batch = await s.call('POST', '/v1/batch', {
      key: s.publicKey,
      body: {
        batch: [
          { type: 'identify', userId: 'ann', traits: { email: 'ann@example.com' } },
          { type: 'identify', userId: 'ann', traits: { email: 'other@evil.example' } },
        ],
      },
    });
    assert.deepEqual([batch.body.accepted, batch.body.warnings.map((w: { index: number }) => w.index)], [2, [1]]);
    assert.equal((await profile('ann')).email, 'ann@example.com');
  });

  it("server key: the same change is made (today's power)", async () => {
    const res = await identify(s.serverKey, { userId: 'ann', traits: { email: 'ann.new@example.com' } });
    assert.deepEqual([res.status, res.body.warnings], [200, undefined]);
    assert.equal((await profile('ann')).email, 'ann.new@example.com');
  });

  it("public key: a visitor's profile with another e-mail is not merged into ann when the device identifies as her", async () => {
    // mallory browses anonymously and gives her own address, then claims to be ann on that device
    assert.equal(
      (await identify(s.publicKey, { anonymousId: 'device-m', traits: { email: 'mallory@evil.example' } })).status,
      200,
    );
    const res = await identify(s.publicKey, { userId: 'ann', anonymousId: 'device-m' });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.warnings.map((w: { field: string }) => w.field),
      ['anonymousId'],
    );
    assert.equal((await profile('ann')).email, 'ann.new@example.com', "ann's address stays");
    const [visitor] = await s.t.db.query<{ email: string }>(
      "SELECT email FROM customers WHERE workspace_id = $1 AND user_id IS NULL AND email = 'mallory@evil.example'",
      [s.t.workspaceId],
    );
    assert.ok(visitor, "the visitor's profile stays apart");
    // the device belongs to ann from now on: its next events are hers
    await s.call('POST', '/v1/track', { key: s.publicKey, body: { anonymousId: 'device-m', event: 'Product Viewed' } });
    const [viewed] = await s.t.db.query<{ customer_id: string }>(
      "SELECT customer_id::text FROM events WHERE workspace_id = $1 AND anonymous_id = 'device-m' AND name = 'Product Viewed'",
      [s.t.workspaceId],
    );
    assert.equal(viewed!.customer_id, (await profile('ann')).id);
  });

  it('public key: a visitor without an address of their own is merged into the user as before (the login of a browsing visitor)', async () => {
    await identify(s.publicKey, { anonymousId: 'device-b', traits: { email: 'bob@example.com' } });
    await s.call('POST', '/v1/track', { key: s.publicKey, body: { anonymousId: 'device-c', event: 'Product Viewed' } });
    const res = await identify(s.publicKey, { userId: 'bob', anonymousId: 'device-b' });
    assert.deepEqual([res.status, res.body.warnings], [200, undefined]);
    const again = await identify(s.publicKey, { userId: 'bob', anonymousId: 'device-c' });
    assert.deepEqual([again.status, again.body.warnings], [200, undefined]);
    const bob = await profile('bob');
    assert.equal(bob.email, 'bob@example.com');
    const [n] = await s.t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM customers WHERE workspace_id = $1 AND (email = 'bob@example.com' OR user_id = 'bob')",
      [s.t.workspaceId],
    );
    assert.equal(n!.n, 1, 'one customer');
  });

  it('server key: the visitor with another e-mail is merged (the later address wins, as before)', async () => {
    await identify(s.serverKey, { anonymousId: 'device-x', traits: { email: 'cy.work@example.com' } });
    await identify(s.serverKey, {
      userId: 'cy',
      traits: { email: 'cy@example.com' },
      timestamp: '2020-01-01T00:00:00Z',
    });
    const res = await identify(s.serverKey, { userId: 'cy', anonymousId: 'device-x' });
    assert.deepEqual([res.status, res.body.warnings], [200, undefined]);
    assert.equal((await profile('cy')).email, 'cy.work@example.com');
  });

  it('alias (folding one customer into another) needs the server key: 403 alone, refused by field in a batch', async () => {
    const alone = await s.call('POST', '/v1/alias', {
      key: s.publicKey,
      body: { previousId: 'ann', userId: 'mallory' },
    });
    assert.equal(alone.status, 403);
    assert.match(alone.body.message, /server key/);
    const batch = await s.call('POST', '/v1/batch', {
      key: s.publicKey,
      body: {
        batch: [
          { type: 'alias', previousId: 'ann', userId: 'mallory' },
          { type: 'track', userId: 'mallory', event: 'Hi' },
        ],
      },
    });
    assert.deepEqual(
      [batch.status, batch.body.accepted, batch.body.rejected.map((r: { field: string }) => r.field)],
      [200, 1, ['type']],
    );
    assert.equal((await profile('ann')).email, 'ann.new@example.com');
    const server = await s.call('POST', '/v1/alias', {
      key: s.serverKey,
      body: { previousId: 'dora-old', userId: 'dora' },
    });
    assert.equal(server.status, 200);
  });
});
