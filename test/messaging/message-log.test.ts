// What was not sent is visible, through the API: an evening of a shop's journeys (real dispatcher, real SMTP server) —
// one reminder sent, one skipped for want of consent, two held by quiet hours of which one is cancelled by the order,
// a flash sale that expires — then the message log (newest first, both kinds merged, every page once, filters by status
// and reason), the outbox with its reasons, and the analytics counting deferred, skipped by reason and expired.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { serve, type Served } from '../http/server.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { activateJourney, createJourney, putJourneySettings, tickJourneys } from '../../src/journeys/index.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { recordConsent } from '../../src/consent/store.ts';
import { putGateSettings } from '../../src/messaging/gate-settings.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';

const email = { fixed: 'email' };
const mjml = '<mjml><mj-body><mj-section><mj-column><mj-text>Hello</mj-text></mj-column></mj-section></mj-body></mjml>';
const at = (hhmm: string) => new Date(`2026-06-01T${hhmm}:00Z`);

describe(`the message log and analytics show what was not sent (${backend})`, () => {
  let s: Served;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let now = at('20:00');

  before(async () => {
    smtp = await smtpServer();
    s = await serve({ clock: () => now });
    const { db, workspaceId: ws } = s.t;
    await putJourneySettings(db, ws, { share: 0 });
    await putGateSettings(db, ws, { quietHours: { from: '21:00', to: '09:00' }, caps: {} });
    await saveChannel(db, ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    for (const id of ['cart-reminder', 'flash'])
      await createTemplate(db, ws, {
        id,
        name: id,
        defaultLocale: 'en',
        content: { en: { email: { subject: id, mjml } } },
      });
    const step = (template: string, extra: object = {}) => [
      { id: 'remind', type: 'send', template, channel: email, ...extra },
    ];
    const journeys = {
      cart: {
        trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
        goal: { event: 'Order Completed', sameKey: true },
        start: 'remind',
        steps: step('cart-reminder'),
      },
      flash: {
        trigger: { type: 'event', event: 'Flash Sale Viewed' },
        start: 'remind',
        steps: step('flash', { validFor: 'PT1M' }),
      },
    };
    for (const [id, definition] of Object.entries(journeys)) {
      await createJourney(db, ws, { id, name: id, definition }, now);
      await activateJourney(db, ws, id, now);
    }
    /** Ingests at the clock, then does what the worker does: journeys, then the dispatcher. */
    const happen = async (hhmm: string, ...messages: object[]) => {
      now = at(hhmm);
      const r = await ingest(
        db,
        ws,
        messages.map((m) => ({ timestamp: now.toISOString(), ...m })),
        { receivedAt: now },
      );
      assert.deepEqual(r.rejected, []);
      await tickJourneys(db, now);
      while (
        (
          await dispatchDue(db, now, {
            providers: configuredProviders(),
            renderer: templateRenderer,
            baseUrl: 'http://retain.test',
          })
        ).claimed
      );
    };
    const people = ['ann', 'bob', 'cy', 'dee', 'eve'];
    await happen(
      '20:00',
      ...people.map((u) => ({ type: 'identify', userId: u, traits: { email: `${u}.log@example.com` } })),
    );
    for (const c of await db.query<{ id: string; user_id: string }>(
      'SELECT id::text, user_id FROM customers WHERE workspace_id = $1',
      [ws],
    )) {
      if (c.user_id !== 'bob')
        await recordConsent(db, ws, c.id, {
          channel: 'email',
          purpose: 'marketing',
          granted: true,
          source: 'signup_form',
          at: now,
        });
    }
    const cart = (u: string) => ({
      type: 'track',
      userId: u,
      event: 'Product Added',
      properties: { cartId: `c-${u}` },
    });
    await happen('20:00', cart('cy'), cart('bob')); // cy: sent before quiet hours; bob: no consent
    await happen('21:30', cart('ann'), cart('eve')); // both held by quiet hours until 09:00
    await happen('21:40', {
      type: 'track',
      userId: 'ann',
      event: 'Order Completed',
      properties: { orderId: 'o-ann', cartId: 'c-ann' },
    });
    await happen('21:50', { type: 'track', userId: 'dee', event: 'Flash Sale Viewed' }); // quiet hours outlast its minute
    now = at('22:00');
  });
  after(async () => {
    await s.close();
    await closeProviders();
    await smtp.close();
  });

  const get = async (path: string) => {
    const r = await s.call('GET', path, { key: s.adminKey });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const log = async (query = '') =>
    (await get(`/api/v1/messages?${query}`)) as { messages: Record<string, any>[]; nextCursor: string | null };
  const line = (m: Record<string, any>) =>
    `${m.userId} ${m.status}${m.reason ? ` ${m.reason}` : ''} ${m.at.slice(11, 16)}`;

  it('newest first, sent and not sent merged by time, each with its reason', async () => {
    assert.deepEqual((await log()).messages.map(line), [
      'dee expired expired 21:50',
      'ann skipped goal_reached 21:40',
      'eve deferred quiet_hours 21:30',
      'cy sent 20:00',
      'bob skipped no_consent 20:00',
    ]);
    const [ann] = (await log('customer=ann')).messages;
    assert.deepEqual(
      { ...ann, detail: undefined },
      {
        id: ann!.id,
        kind: 'unsent',
        customerId: ann!.customerId,
        userId: 'ann',
        channel: 'email',
        template: 'cart-reminder',
        locale: null,
        status: 'skipped',
        reason: 'goal_reached',
        detail: undefined,
        at: '2026-06-01T21:40:00.000Z',
        until: null,
        journeyId: 'cart',
        runId: ann!.runId,
        stepId: 'remind',
        sentAt: null,
        deliveredAt: null,
        openedAt: null,
        clickedAt: null,
        error: null,
        cost: null,
      },
    );
    assert.match(ann!.runId, /^\d+$/, 'the run that asked for it');
    assert.match(ann!.detail, /^the journey's goal was reached \(Order Completed at 2026-06-01T21:40:00.000Z\)$/);
    const [eve] = (await log('status=deferred')).messages;
    assert.deepEqual([eve!.userId, eve!.until], ['eve', '2026-06-02T09:00:00.000Z']);
    assert.match(eve!.detail, /^quiet hours 21:00–09:00 \(UTC\)/);
    assert.match(
      (await log('status=expired')).messages[0]!.detail,
      /^quiet hours .* after it expires \(valid until 2026-06-01T21:51:00.000Z\)$/,
    );
  });

  it('a page at a time: every row once, across both kinds and equal times', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await log(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.messages.length <= 2);
      seen.push(...page.messages.map(line));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, (await log()).messages.map(line));
  });

  const filters: [string, string[]][] = [
    ['status=skipped', ['ann skipped goal_reached 21:40', 'bob skipped no_consent 20:00']],
    ['reason=goal_reached', ['ann skipped goal_reached 21:40']],
    ['status=sent', ['cy sent 20:00']],
    ['journey=flash', ['dee expired expired 21:50']],
    ['customer=bob', ['bob skipped no_consent 20:00']],
    ['status=sent&reason=no_consent', []],
  ];
  for (const [query, expected] of filters)
    it(`filter ${query}`, async () => assert.deepEqual((await log(query)).messages.map(line), expected));

  it('filter run=<id>: the messages of one journey run only, as its step shows them', async () => {
    const [cy] = (await log('customer=cy')).messages;
    assert.match(cy!.runId, /^\d+$/);
    assert.deepEqual((await log(`run=${cy!.runId}`)).messages.map(line), ['cy sent 20:00']);
    const r = await s.call('GET', '/api/v1/messages?run=abc', { key: s.adminKey });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /^run: a journey run id/);
  });

  it('a made-up cursor is refused by name', async () => {
    const r = await s.call('GET', '/api/v1/messages?cursor=2026-06-01', { key: s.adminKey });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /^cursor: the nextCursor of an earlier page/);
  });

  it("the outbox carries the reason, its detail, when it was decided, and a deferred message's next try", async () => {
    const [ann] = (await get('/api/v1/message-intents?customer=ann')).intents;
    assert.deepEqual([ann.status, ann.reason, ann.reasonAt], ['skipped', 'goal_reached', '2026-06-01T21:40:00.000Z']);
    assert.match(ann.reasonDetail, /goal was reached/);
    const [eve] = (await get('/api/v1/message-intents?customer=eve')).intents;
    assert.deepEqual(
      [eve.status, eve.reason, eve.notBefore, eve.expiresAt],
      ['pending', 'quiet_hours', '2026-06-02T09:00:00.000Z', '2026-06-02T09:30:00.000Z'],
    );
  });

  it('analytics count deferred, skipped by reason and expired beside sent', async () => {
    const r = await get('/api/v1/analytics/messages?from=2026-06-01&to=2026-06-01&by=journey');
    assert.equal(r.totals.sent, 1);
    assert.deepEqual(r.outcomes.totals, {
      deferred: 2,
      skipped: 2,
      skippedByReason: { goal_reached: 1, no_consent: 1 },
      expired: 1,
    });
    assert.deepEqual(r.outcomes.rows, [
      { key: 'cart', deferred: 2, skipped: 2, skippedByReason: { goal_reached: 1, no_consent: 1 }, expired: 0 },
      { key: 'flash', deferred: 0, skipped: 0, skippedByReason: {}, expired: 1 },
    ]);
    const byDay = await get('/api/v1/analytics/messages?from=2026-06-02&to=2026-06-02');
    assert.deepEqual(
      byDay.outcomes.totals,
      { deferred: 0, skipped: 0, skippedByReason: {}, expired: 0 },
      'nothing decided on the next day',
    );
  });
});
