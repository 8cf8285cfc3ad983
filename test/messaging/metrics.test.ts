// Message metrics against a real database, through the API: a small campaign is recorded the way the dispatcher,
// receipts, tracking, ingest and the unsubscribe link record it; then each dimension's rows and rates are checked
// against the numbers worked out by hand.
//
// The scenario (10 messages from 2026-03-02 to 03-04, one more on 03-10 outside the range):
//   welcome journey, step "mail" after an A/B split "ab", e-mail (no delivery reports on e-mail: accepted = delivered)
//     e1 c1 03-02 en  arm A  opened by a click (+1 h); c1 orders 50 two days later (and once the day before: not counted)
//     e2 c2 03-02 en  arm B  opened (+1 h), clicked (+2 h); c2 orders 80 ten days after the click (outside 7 days)
//     e3 c3 03-03 pl  arm A  opened
//   welcome journey, step "sms" (SMS has delivery reports)
//     s1 c7 03-02, s2 c8 03-03, s3 c9 03-04 delivered;  s4 c10 03-04 no report: not delivered
//   winback journey, step "mail", e-mail
//     e4 c4 03-03  only Apple's proxy fetched the pixel: a machine open
//     e5 c5 03-03  unsubscribed by the link two days later
//     e6 c6 03-04  bounced
// Totals: 10 sent, 8 delivered, 3 opens (+1 machine), 2 clicks, 1 conversion worth 50, 1 unsubscribe, 1 bounce.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { applyReceipt } from '../../src/messaging/dispatch/receipts.ts';
import { recordClick, recordOpen } from '../../src/messaging/tracking/record.ts';
import { unsubscribeByLink } from '../../src/consent/preferences.ts';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Send {
  name: string;
  user: string;
  day: string;
  journey: string;
  step: string;
  template: string;
  channel: 'email' | 'sms';
  locale?: string;
  arm?: string;
}

const SENDS: Send[] = [
  {
    name: 'e1',
    user: 'c1',
    day: '2026-03-02',
    journey: 'welcome',
    step: 'mail',
    template: 'welcome-mail',
    channel: 'email',
    arm: 'A',
  },
  {
    name: 'e2',
    user: 'c2',
    day: '2026-03-02',
    journey: 'welcome',
    step: 'mail',
    template: 'welcome-mail',
    channel: 'email',
    arm: 'B',
  },
  {
    name: 'e3',
    user: 'c3',
    day: '2026-03-03',
    journey: 'welcome',
    step: 'mail',
    template: 'welcome-mail',
    channel: 'email',
    arm: 'A',
    locale: 'pl',
  },
  {
    name: 's1',
    user: 'c7',
    day: '2026-03-02',
    journey: 'welcome',
    step: 'sms',
    template: 'welcome-sms',
    channel: 'sms',
  },
  {
    name: 's2',
    user: 'c8',
    day: '2026-03-03',
    journey: 'welcome',
    step: 'sms',
    template: 'welcome-sms',
    channel: 'sms',
  },
  {
    name: 's3',
    user: 'c9',
    day: '2026-03-04',
    journey: 'welcome',
    step: 'sms',
    template: 'welcome-sms',
    channel: 'sms',
  },
  {
    name: 's4',
    user: 'c10',
    day: '2026-03-04',
    journey: 'welcome',
    step: 'sms',
    template: 'welcome-sms',
    channel: 'sms',
  },
  {
    name: 'e4',
    user: 'c4',
    day: '2026-03-03',
    journey: 'winback',
    step: 'mail',
    template: 'winback-mail',
    channel: 'email',
  },
  {
    name: 'e5',
    user: 'c5',
    day: '2026-03-03',
    journey: 'winback',
    step: 'mail',
    template: 'winback-mail',
    channel: 'email',
  },
  {
    name: 'e6',
    user: 'c6',
    day: '2026-03-04',
    journey: 'winback',
    step: 'mail',
    template: 'winback-mail',
    channel: 'email',
  },
  {
    name: 'late',
    user: 'c3',
    day: '2026-03-10',
    journey: 'winback',
    step: 'mail',
    template: 'winback-mail',
    channel: 'email',
  },
];

type Counts = Partial<
  Record<
    | 'sent'
    | 'delivered'
    | 'opens'
    | 'machineOpens'
    | 'clicks'
    | 'conversions'
    | 'revenue'
    | 'unsubscribes'
    | 'bounced'
    | 'failed',
    number
  >
>;
/** Expected: [key, label, counts (absent = 0), [delivery, open, click, conversion, unsubscribe rate]]. */
type Expected = [string, string, Counts, (number | null)[]];

const NONE = [null, null, null, null, null];

describe(`message metrics by dimension (${backend})`, () => {
  let s: Served;
  const now = new Date('2026-03-20T12:00:00Z');
  const ids: Record<string, string> = {};
  const at = (name: string, after = 0) =>
    new Date(new Date(`${SENDS.find((x) => x.name === name)!.day}T10:00:00Z`).getTime() + after);

  before(async () => {
    s = await serve({ clock: () => now });
    const { db, workspaceId: ws } = s.t;
    const users = [...new Set(SENDS.map((x) => x.user))];
    await ingest(
      db,
      ws,
      users.map((u, i) => ({
        type: 'identify',
        userId: u,
        traits: { email: `${u}@example.com`, phone: `+4860010${String(i).padStart(4, '0')}` },
        timestamp: '2026-02-01T00:00:00Z',
      })),
      { receivedAt: new Date('2026-02-01') },
    );
    const customer = Object.fromEntries(
      (
        await db.query<{ user_id: string; id: string }>(
          'SELECT user_id, id::text FROM customers WHERE workspace_id = $1',
          [ws],
        )
      ).map((c) => [c.user_id, c.id]),
    );
    await db.query("INSERT INTO journeys (workspace_id, id, name) VALUES ($1, 'welcome', 'Welcome series')", [ws]);
    await db.query(
      "INSERT INTO templates (workspace_id, id, name, content) VALUES ($1, 'welcome-mail', 'Welcome mail', '{}')",
      [ws],
    );

    // What the dispatcher records for each send: the intent (journey, step, arms) and the message, accepted by the provider.
    for (const x of SENDS) {
      const sentAt = at(x.name);
      const [intent] = await db.query<{ id: string }>(
        `INSERT INTO message_intents (workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, context, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'marketing', $6, $7, $8, 'sent', $9) RETURNING id::text`,
        [
          ws,
          x.name,
          customer[x.user],
          x.journey,
          x.step,
          x.template,
          JSON.stringify({ fixed: x.channel }),
          JSON.stringify({ arms: x.arm ? { ab: x.arm } : {} }),
          sentAt,
        ],
      );
      const [m] = await db.query<{ id: string }>(
        `INSERT INTO messages (workspace_id, intent_id, message_key, customer_id, purpose, channel, address, template, locale, status, provider, provider_message_id,
                               attempts, cost, created_at, sent_at, updated_at)
         VALUES ($1, $2, $3, $4, 'marketing', $5, $6, $7, $8, 'sent', 'test', $9, 1, 0.001, $10, $10, $10) RETURNING id::text`,
        [
          ws,
          intent!.id,
          x.name,
          customer[x.user],
          x.channel,
          `${x.user}@example.com`,
          x.template,
          x.locale ?? 'en',
          `p-${x.name}`,
          sentAt,
        ],
      );
      ids[x.name] = m!.id;
    }
    const person = (t: Date) => ({ method: 'GET', ip: '198.51.100.7', userAgent: CHROME, at: t });
    await recordClick(db, ws, ids.e1!, 'https://shop.test/a', person(at('e1', HOUR)));
    await recordOpen(db, ws, ids.e2!, person(at('e2', HOUR)));
    await recordClick(db, ws, ids.e2!, 'https://shop.test/b', person(at('e2', 2 * HOUR)));
    await recordOpen(db, ws, ids.e3!, person(at('e3', 3 * HOUR)));
    assert.equal(
      (await recordOpen(db, ws, ids.e4!, { ...person(at('e4', HOUR)), userAgent: 'Mozilla/5.0' })).recorded,
      'machine',
    );
    for (const x of ['s1', 's2', 's3'])
      await applyReceipt(db, ws, { providerMessageId: `p-${x}`, status: 'delivered', at: at(x, 60_000) });
    await applyReceipt(db, ws, {
      providerMessageId: 'p-e6',
      status: 'bounced',
      detail: '550 no such user',
      at: at('e6', 60_000),
    });
    await unsubscribeByLink(db, { k: 'unsubscribe', ws, c: customer.c5!, ch: 'email' }, at('e5', 2 * DAY), null);
    const order = (user: string, id: string, total: number, t: Date) => ({
      type: 'track',
      userId: user,
      event: 'Order Completed',
      properties: { orderId: id, total },
      timestamp: t.toISOString(),
      messageId: `order-${id}`,
    });
    const r = await ingest(
      db,
      ws,
      [
        order('c1', 'o-before', 30, at('e1', -DAY)),
        order('c1', 'o1', 50, at('e1', 2 * DAY)),
        order('c2', 'o2', 80, at('e2', 2 * HOUR + 10 * DAY)),
      ],
      { receivedAt: now },
    );
    assert.deepEqual(r.rejected, []);
  });
  after(async () => s.close());

  const metrics = async (query: string) => {
    const r = await s.call('GET', `/api/v1/analytics/messages?${query}`, { key: s.adminKey });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const expand = ([key, label, counts, rates]: Expected) => ({
    key,
    label,
    sent: 0,
    delivered: 0,
    opens: 0,
    clicks: 0,
    conversions: 0,
    revenue: 0,
    unsubscribes: 0,
    bounced: 0,
    failed: 0,
    machineOpens: 0,
    ...counts,
    revenueByCurrency: counts.revenue ? { USD: counts.revenue } : {}, // orders sent without a currency: the base, USD by default
    deliveryRate: rates[0],
    openRate: rates[1],
    clickRate: rates[2],
    conversionRate: rates[3],
    unsubscribeRate: rates[4],
  });
  const TOTALS: Expected = [
    '',
    '',
    {
      sent: 10,
      delivered: 8,
      opens: 3,
      machineOpens: 1,
      clicks: 2,
      conversions: 1,
      revenue: 50,
      unsubscribes: 1,
      bounced: 1,
    },
    [8 / 10, 3 / 8, 2 / 8, 1 / 8, 1 / 8],
  ];

  const table: [string, Expected[]][] = [
    [
      'journey',
      [
        [
          'welcome',
          'Welcome series',
          { sent: 7, delivered: 6, opens: 3, clicks: 2, conversions: 1, revenue: 50 },
          [6 / 7, 3 / 6, 2 / 6, 1 / 6, 0],
        ],
        [
          'winback',
          'winback',
          { sent: 3, delivered: 2, machineOpens: 1, unsubscribes: 1, bounced: 1 },
          [2 / 3, 0, 0, 0, 1 / 2],
        ],
      ],
    ],
    [
      'step',
      [
        ['welcome/sms', 'Welcome series › sms', { sent: 4, delivered: 3 }, [3 / 4, 0, 0, 0, 0]],
        [
          'welcome/mail',
          'Welcome series › mail',
          { sent: 3, delivered: 3, opens: 3, clicks: 2, conversions: 1, revenue: 50 },
          [1, 1, 2 / 3, 1 / 3, 0],
        ],
        [
          'winback/mail',
          'winback › mail',
          { sent: 3, delivered: 2, machineOpens: 1, unsubscribes: 1, bounced: 1 },
          [2 / 3, 0, 0, 0, 1 / 2],
        ],
      ],
    ],
    [
      'channel',
      [
        [
          'email',
          'E-mail',
          {
            sent: 6,
            delivered: 5,
            opens: 3,
            machineOpens: 1,
            clicks: 2,
            conversions: 1,
            revenue: 50,
            unsubscribes: 1,
            bounced: 1,
          },
          [5 / 6, 3 / 5, 2 / 5, 1 / 5, 1 / 5],
        ],
        ['sms', 'SMS', { sent: 4, delivered: 3 }, [3 / 4, 0, 0, 0, 0]],
      ],
    ],
    [
      'template',
      [
        ['welcome-sms', 'welcome-sms', { sent: 4, delivered: 3 }, [3 / 4, 0, 0, 0, 0]],
        [
          'welcome-mail',
          'Welcome mail',
          { sent: 3, delivered: 3, opens: 3, clicks: 2, conversions: 1, revenue: 50 },
          [1, 1, 2 / 3, 1 / 3, 0],
        ],
        [
          'winback-mail',
          'winback-mail',
          { sent: 3, delivered: 2, machineOpens: 1, unsubscribes: 1, bounced: 1 },
          [2 / 3, 0, 0, 0, 1 / 2],
        ],
      ],
    ],
    [
      'variant',
      [
        ['welcome-sms|en|', 'welcome-sms · en', { sent: 4, delivered: 3 }, [3 / 4, 0, 0, 0, 0]],
        [
          'winback-mail|en|',
          'winback-mail · en',
          { sent: 3, delivered: 2, machineOpens: 1, unsubscribes: 1, bounced: 1 },
          [2 / 3, 0, 0, 0, 1 / 2],
        ],
        [
          'welcome-mail|en|ab=A',
          'Welcome mail · en · ab: A',
          { sent: 1, delivered: 1, opens: 1, clicks: 1, conversions: 1, revenue: 50 },
          [1, 1, 1, 1, 0],
        ],
        [
          'welcome-mail|en|ab=B',
          'Welcome mail · en · ab: B',
          { sent: 1, delivered: 1, opens: 1, clicks: 1 },
          [1, 1, 1, 0, 0],
        ],
        ['welcome-mail|pl|ab=A', 'Welcome mail · pl · ab: A', { sent: 1, delivered: 1, opens: 1 }, [1, 1, 0, 0, 0]],
      ],
    ],
    [
      'day',
      [
        [
          '2026-03-02',
          '2026-03-02',
          { sent: 3, delivered: 3, opens: 2, clicks: 2, conversions: 1, revenue: 50 },
          [1, 2 / 3, 2 / 3, 1 / 3, 0],
        ],
        [
          '2026-03-03',
          '2026-03-03',
          { sent: 4, delivered: 4, opens: 1, machineOpens: 1, unsubscribes: 1 },
          [1, 1 / 4, 0, 0, 1 / 4],
        ],
        ['2026-03-04', '2026-03-04', { sent: 3, delivered: 1, bounced: 1 }, [1 / 3, 0, 0, 0, 0]],
        ['2026-03-05', '2026-03-05', {}, NONE],
      ],
    ],
  ];
  for (const [by, rows] of table) {
    it(`by ${by}`, async () => {
      const r = await metrics(`from=2026-03-02&to=2026-03-05&by=${by}`);
      assert.deepEqual([r.by, r.from, r.to], [by, '2026-03-02', '2026-03-05']);
      assert.deepEqual(r.rows, rows.map(expand));
      const { key: _k, label: _l, ...totals } = expand(TOTALS);
      assert.deepEqual(r.totals, totals, 'the same totals whatever the rows');
      assert.deepEqual(r.money, { currency: 'USD', rates: {}, unconverted: [] });
    });
  }

  it('a longer attribution window (14 days) also counts the order ten days after the click', async () => {
    const r = await metrics('from=2026-03-02&to=2026-03-05&by=journey&attributionDays=14');
    assert.deepEqual([r.totals.conversions, r.totals.revenue, r.totals.conversionRate], [2, 130, 2 / 8]);
  });

  it('the default range: the last 30 days up to today (server clock), every day present', async () => {
    const r = await metrics('');
    assert.deepEqual([r.by, r.from, r.to, r.rows.length], ['day', '2026-02-19', '2026-03-20', 30]);
    assert.deepEqual([r.totals.sent, r.totals.delivered], [11, 9], 'the late message (03-10) too');
  });

  it('the message log: newest first, a page at a time, filtered by customer (user id), journey and status', async () => {
    const page = async (query: string) => {
      const r = await s.call('GET', `/api/v1/messages?${query}`, { key: s.adminKey });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { messages: Record<string, unknown>[]; nextCursor: string | null };
    };
    const first = await page('limit=4');
    assert.deepEqual(
      first.messages.map((m) => m.id),
      ['late', 'e6', 's4', 's3'].map((n) => ids[n]),
      'by time, the later recorded first on the same instant',
    );
    const second = await page(`limit=4&cursor=${first.nextCursor}`);
    const third = await page(`limit=4&cursor=${second.nextCursor}`);
    assert.deepEqual([second.messages.length, third.messages.length, third.nextCursor], [4, 3, null]);
    const [c1] = (await page('customer=c1')).messages;
    assert.deepEqual(c1, {
      id: ids.e1,
      kind: 'message',
      customerId: c1!.customerId,
      userId: 'c1',
      channel: 'email',
      template: 'welcome-mail',
      locale: 'en',
      status: 'clicked',
      reason: null,
      detail: null,
      at: '2026-03-02T10:00:00.000Z',
      until: null,
      journeyId: 'welcome',
      runId: null,
      stepId: 'mail',
      sentAt: '2026-03-02T10:00:00.000Z',
      deliveredAt: '2026-03-02T10:00:00.000Z',
      openedAt: '2026-03-02T11:00:00.000Z',
      clickedAt: '2026-03-02T11:00:00.000Z',
      error: null,
      cost: 0.001,
    });
    assert.deepEqual(
      (await page(`customer=${c1!.customerId}`)).messages.map((m) => m.id),
      [ids.e1],
      'or by customer id',
    );
    assert.deepEqual(
      (await page('journey=winback')).messages.map((m) => m.id),
      ['late', 'e6', 'e5', 'e4'].map((n) => ids[n]),
    );
    assert.deepEqual(
      (await page('status=bounced')).messages.map((m) => [m.id, m.error]),
      [[ids.e6, '550 no such user']],
    );
    assert.deepEqual((await page('journey=winback&status=delivered')).messages, []);
  });

  const bad: [string, string, number, RegExp][] = [
    ['a month 13', '/api/v1/analytics/messages?from=2026-13-01', 400, /^from: a date as YYYY-MM-DD/],
    ['a day that does not exist', '/api/v1/analytics/messages?to=2026-02-30', 400, /^to: a date as YYYY-MM-DD/],
    [
      'the range backwards',
      '/api/v1/analytics/messages?from=2026-03-05&to=2026-03-01',
      400,
      /^to: the last day \(2026-03-01\) is before the first/,
    ],
    ['a range over a year', '/api/v1/analytics/messages?from=2024-01-01&to=2026-01-01', 400, /^from: at most 366 days/],
    ['an unknown dimension', '/api/v1/analytics/messages?by=week', 400, /^by: /],
    [
      'zero attribution days',
      '/api/v1/analytics/messages?attributionDays=0',
      400,
      /^attributionDays: .*a whole number from 1 to 90/,
    ],
    ['attribution days not a number', '/api/v1/analytics/messages?attributionDays=seven', 400, /^attributionDays: /],
    ['an unknown status', '/api/v1/messages?status=lost', 400, /^status: /],
    ['a page of none', '/api/v1/messages?limit=0', 400, /^limit: .*1 to 200/],
    ['a page too long', '/api/v1/messages?limit=1000', 400, /^limit: .*1 to 200/],
    ['a made-up cursor', '/api/v1/messages?cursor=abc', 400, /^cursor: the nextCursor of an earlier page/],
    ['an unknown customer', '/api/v1/messages?customer=nobody', 404, /No customer "nobody"/],
  ];
  for (const [what, path, status, message] of bad) {
    it(`bad input: ${what} → ${status} naming it`, async () => {
      const r = await s.call('GET', path, { key: s.adminKey });
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.match(r.body.message, message);
    });
  }

  it('the admin key is needed', async () => {
    assert.equal((await s.call('GET', '/api/v1/analytics/messages')).status, 401);
    assert.equal((await s.call('GET', '/api/v1/messages', { key: s.writeKey })).status, 403);
  });

  /** Each message's deliveredAt in the log, by name; and that the delivered count of the range is the messages in it with one. */
  const deliveredAts = async () => {
    const r = await s.call('GET', '/api/v1/messages?limit=200', { key: s.adminKey });
    const byId = new Map(
      (r.body.messages as { id: string; deliveredAt: string | null }[]).map((m) => [m.id, m.deliveredAt]),
    );
    const times = Object.fromEntries(SENDS.map((x) => [x.name, byId.get(ids[x.name]!) ?? null]));
    const inRange = SENDS.filter((x) => x.day <= '2026-03-05' && times[x.name] !== null).length;
    assert.equal(
      (await metrics('from=2026-03-02&to=2026-03-05')).totals.delivered,
      inRange,
      'the delivered count = the messages of the range with a deliveredAt',
    );
    return times;
  };
  const iso = (name: string, after = 0) => at(name, after).toISOString();

  it('the message log says since when each message counts as delivered: e-mail has no reports, so accepted = delivered when sent', async () => {
    assert.deepEqual(await deliveredAts(), {
      e1: iso('e1'),
      e2: iso('e2'),
      e3: iso('e3'), // opened later, delivered when sent
      s1: iso('s1', 60_000),
      s2: iso('s2', 60_000),
      s3: iso('s3', 60_000),
      s4: null, // SMS has reports: s4 has none
      e4: iso('e4'),
      e5: iso('e5'),
      e6: null,
      late: iso('late'), // e6 bounced
    });
  });

  // Last: it changes the rule for e-mail in this workspace.
  it('once one e-mail delivery report arrives, e-mail counts only what is proven delivered (reported, opened, machine-opened)', async () => {
    await applyReceipt(s.t.db, s.t.workspaceId, {
      providerMessageId: 'p-late',
      status: 'delivered',
      at: at('late', 60_000),
    });
    const email = (await metrics('from=2026-03-02&to=2026-03-05&by=channel')).rows.find(
      (r: { key: string }) => r.key === 'email',
    );
    assert.deepEqual(
      [email.sent, email.delivered, email.unsubscribes, email.openRate],
      [6, 4, 0, 3 / 4],
      'e5 (no proof) and e6 (bounced) are not delivered',
    );
    assert.deepEqual(await deliveredAts(), {
      e1: iso('e1', HOUR),
      e2: iso('e2', HOUR),
      e3: iso('e3', 3 * HOUR), // at the first open (a click implies one)
      s1: iso('s1', 60_000),
      s2: iso('s2', 60_000),
      s3: iso('s3', 60_000),
      s4: null,
      e4: iso('e4', HOUR),
      e5: null,
      e6: null,
      late: iso('late', 60_000), // e4 at the machine's open; e5 has no proof now
    });
  });
});
