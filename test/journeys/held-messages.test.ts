// Messages the send gate holds meet what the customer does next, on a virtual clock with a real SMTP server: a cart
// reminder held by quiet hours, a frequency cap or a retry is cancelled when that cart is bought (never "you left these
// in your cart" after the order), whether the run is still under way or already ended, and even when the journey inbox
// has not caught up; leaving the segment cancels a message of a journey that exits on leave; a message held past its
// validity expires instead of going out late.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { journeyWorld } from './world.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { recordConsent } from '../../src/consent/store.ts';
import { putGateSettings } from '../../src/messaging/gate-settings.ts';
import { dispatchDue, type DispatchResult } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';

const mjml = (text: string) =>
  `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;
const email = { fixed: 'email' };

/** The abandoned-cart journey of the issue: the reminder right away, ended by an order of that cart. */
const cartJourney = (
  steps: object[] = [{ id: 'remind', type: 'send', template: 'cart-reminder', channel: email }],
) => ({
  trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
  goal: { event: 'Order Completed', sameKey: true },
  start: 'remind',
  steps,
});

/** The reminder, then after `wait` a coupon: a run still under way while the reminder is held. */
const reminderThenCoupon = (wait: string) =>
  cartJourney([
    { id: 'remind', type: 'send', template: 'cart-reminder', channel: email, next: 'wait' },
    { id: 'wait', type: 'delay', duration: wait, next: 'coupon' },
    { id: 'coupon', type: 'send', template: 'news', channel: email },
  ]);

describe(`held messages: goals, segments and validity reach every message not sent yet (${backend})`, () => {
  let t: TestDb;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  before(async () => {
    t = await freshDb();
    smtp = await smtpServer();
  });
  after(async () => {
    await closeProviders();
    await smtp.close();
    await t.close();
  });

  /**
   * A shop on a virtual clock (UTC) with e-mail through the local SMTP server, its templates, and the send gate's
   * settings; `customer` identifies someone with an e-mail address (unique per test) and marketing consent.
   */
  async function shop(start: Date, gate: { quietHours?: { from: string; to: string }; caps?: object }) {
    const w = await journeyWorld(t, start);
    const tag = w.ws.slice(-6);
    await putGateSettings(t.db, w.ws, { quietHours: gate.quietHours ?? null, caps: gate.caps ?? {} });
    await saveChannel(t.db, w.ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    for (const [id, subject] of [
      ['cart-reminder', 'You left these in your cart'],
      ['news', 'News'],
      ['upgrade', 'Upgrade now'],
    ]) {
      await createTemplate(t.db, w.ws, {
        id,
        name: id,
        defaultLocale: 'en',
        content: { en: { email: { subject, mjml: mjml(subject) } } },
      });
    }
    const address = (user: string) => `${user}.${tag}@example.com`;
    const ids: Record<string, string> = {};
    const customer = async (user: string, traits: Record<string, unknown> = {}) => {
      await w.send({ type: 'identify', userId: user, traits: { email: address(user), ...traits } });
      const [c] = await t.db.query<{ id: string }>(
        'SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = $2',
        [w.ws, user],
      );
      ids[user] = c!.id;
      await recordConsent(t.db, w.ws, c!.id, {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'signup_form',
        at: w.now,
      });
    };
    const dispatch = async (): Promise<DispatchResult> => {
      const total: DispatchResult = {
        claimed: 0,
        sent: 0,
        skipped: 0,
        deferred: 0,
        failed: 0,
        retried: 0,
        unknown: 0,
        released: 0,
      };
      for (let i = 0; i < 20; i++) {
        const r = await dispatchDue(t.db, w.now, {
          providers: configuredProviders(),
          renderer: templateRenderer,
          baseUrl: 'http://retain.test',
        });
        for (const k of Object.keys(total) as (keyof DispatchResult)[]) total[k] += r[k];
        if (r.claimed === 0) break;
      }
      return total;
    };
    /** Moves the clock (ticking journeys on the way, as world.advance does), then dispatches what is due. */
    const at = async (iso: string) => {
      await w.advance(new Date(iso));
      return dispatch();
    };
    const mails = (user: string) =>
      smtp.mails.filter((m) => m.to === address(user)).map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1]);
    const log = async () =>
      (
        await t.db.query<{ user_id: string; name: string; reason: string | null }>(
          `SELECT c.user_id, e.name, e.properties ->> 'reason' AS reason FROM events e JOIN customers c ON c.workspace_id = e.workspace_id AND c.id = e.customer_id
       WHERE e.workspace_id = $1 AND e.name LIKE 'Message %' ORDER BY e.timestamp, e.message_id`,
          [w.ws],
        )
      ).map((e) => `${e.user_id} ${e.name}${e.reason ? ` ${e.reason}` : ''}`);
    const intents = async (user: string) =>
      t.db.query<{
        template: string;
        status: string;
        reason: string | null;
        reason_detail: string | null;
        expires_at: Date | null;
        created_at: Date;
      }>(
        'SELECT template, status, reason, reason_detail, expires_at, created_at FROM message_intents WHERE workspace_id = $1 AND customer_id = $2 ORDER BY id',
        [w.ws, ids[user]],
      );
    const add = (user: string, cart: string) =>
      w.send({ type: 'track', userId: user, event: 'Product Added', properties: { cartId: cart, sku: 'kettle' } });
    const ordered = (cart: string) => ({
      type: 'track',
      event: 'Order Completed',
      properties: { orderId: `o-${cart}`, cartId: cart, total: 30 },
    });
    const order = (user: string, cart: string) => w.send({ userId: user, ...ordered(cart) });
    /** The order is stored at `iso`, and nothing of the journeys runs (their worker is busy elsewhere or down). */
    const orderUnseen = async (user: string, cart: string, iso: string) => {
      const r = await ingest(t.db, w.ws, [{ userId: user, ...ordered(cart), timestamp: iso }], {
        receivedAt: new Date(iso),
      });
      assert.deepEqual(r.rejected, []);
    };
    return { w, ids, customer, dispatch, at, mails, log, intents, add, order, orderUnseen };
  }

  it('quiet hours: cart added 10:49, ordered 10:49:20, quiet until 10:53 → no reminder; the cart not bought gets it at 10:53', async () => {
    const s = await shop(new Date('2026-06-01T10:48:00Z'), { quietHours: { from: '22:00', to: '10:53' } });
    await s.customer('ann');
    await s.customer('bob');
    await s.w.journey('cart', cartJourney());
    await s.at('2026-06-01T10:49:00Z');
    await s.add('ann', 'c-ann');
    await s.add('bob', 'c-bob');
    assert.deepEqual((await s.dispatch()).deferred, 2, 'both reminders wait for the end of quiet hours');
    await s.at('2026-06-01T10:49:20Z');
    await s.order('ann', 'c-ann');
    const [held] = await s.intents('ann');
    assert.deepEqual(
      [held!.status, held!.reason],
      ['skipped', 'goal_reached'],
      'the run had ended when it wrote the reminder: the order still cancels it',
    );
    assert.match(held!.reason_detail!, /goal was reached \(Order Completed at 2026-06-01T10:49:20.000Z\)/);
    assert.equal((await s.at('2026-06-01T10:53:00Z')).sent, 1);
    assert.deepEqual(s.mails('ann'), [], 'never "you left these in your cart" after the order');
    assert.deepEqual(s.mails('bob'), ['You left these in your cart']);
    assert.deepEqual(
      (await s.log()).filter((l) => l.startsWith('ann')),
      ['ann Message Deferred quiet_hours', 'ann Message Skipped goal_reached'],
    );
  });

  it('the run still under way (reminder, then a coupon a day later): the order ends it and cancels the held reminder; no coupon', async () => {
    const s = await shop(new Date('2026-06-01T21:00:00Z'), { quietHours: { from: '21:00', to: '09:00' } });
    await s.customer('cy');
    await s.w.journey('cart', reminderThenCoupon('P1D'));
    await s.add('cy', 'c-cy');
    assert.equal((await s.dispatch()).deferred, 1);
    await s.at('2026-06-01T23:00:00Z');
    await s.order('cy', 'c-cy');
    const [run] = await t.db.query<{ status: string }>('SELECT status FROM journey_runs WHERE workspace_id = $1', [
      s.w.ws,
    ]);
    assert.equal(run!.status, 'exited');
    await s.at('2026-06-03T10:00:00Z');
    assert.deepEqual(s.mails('cy'), []);
    assert.deepEqual(
      (await s.intents('cy')).map((i) => `${i.template} ${i.status} ${i.reason}`),
      ['cart-reminder skipped goal_reached'],
    );
  });

  it("frequency cap: the day's one marketing mail went out, the reminder waits for the cap; the order cancels it", async () => {
    const s = await shop(new Date('2026-06-01T08:00:00Z'), { caps: { all: { perDay: 1 } } });
    await s.customer('dee');
    await s.customer('eve');
    await s.w.journey('news', {
      trigger: { type: 'event', event: 'Newsletter Due' },
      start: 'news',
      steps: [{ id: 'news', type: 'send', template: 'news', channel: email }],
    });
    await s.w.send(...['dee', 'eve'].map((u) => ({ type: 'track', userId: u, event: 'Newsletter Due' })));
    assert.equal((await s.dispatch()).sent, 2);
    await s.w.journey(
      'cart',
      cartJourney([{ id: 'remind', type: 'send', template: 'cart-reminder', channel: email, validFor: 'P1D' }]),
    );
    await s.at('2026-06-01T10:49:00Z');
    await s.add('dee', 'c-dee');
    await s.add('eve', 'c-eve');
    assert.equal(
      (await s.dispatch()).deferred,
      2,
      'one marketing mail a day: both reminders wait until 08:00 tomorrow',
    );
    await s.at('2026-06-01T11:30:00Z');
    await s.order('dee', 'c-dee');
    await s.at('2026-06-02T08:00:00Z');
    assert.deepEqual(s.mails('dee'), ['News']);
    assert.deepEqual(s.mails('eve'), ['News', 'You left these in your cart']);
    assert.deepEqual(
      (await s.log()).filter((l) => l.startsWith('dee')),
      ['dee Message Sent', 'dee Message Deferred frequency_cap', 'dee Message Skipped goal_reached'],
    );
  });

  it('a retry back-off: the server said 451, the order comes before the retry → the try is closed, never sent again', async () => {
    const s = await shop(new Date('2026-06-01T10:49:00Z'), {});
    await s.customer('fay');
    await s.w.journey('cart', cartJourney());
    await s.add('fay', 'c-fay');
    smtp.reject.set(`fay.${s.w.ws.slice(-6)}@example.com`, 451);
    assert.equal((await s.dispatch()).retried, 1);
    const [waiting] = await s.intents('fay');
    assert.deepEqual([waiting!.status, waiting!.reason], ['pending', 'retry']);
    await s.at('2026-06-01T10:49:10Z');
    await s.order('fay', 'c-fay');
    assert.equal((await s.at('2026-06-01T10:50:00Z')).claimed, 0, 'nothing left to retry');
    assert.deepEqual(s.mails('fay'), []);
    const [m] = await t.db.query<{ status: string; error: string }>(
      'SELECT status, error FROM messages WHERE workspace_id = $1',
      [s.w.ws],
    );
    assert.equal(m!.status, 'failed');
    assert.match(m!.error, /^not retried: the journey's goal was reached/);
    assert.deepEqual(
      (await s.intents('fay')).map((i) => `${i.status} ${i.reason}`),
      ['skipped goal_reached'],
    );
  });

  it("the order is in the event log but the journey inbox has not run: the dispatcher's last look still holds the reminder back", async () => {
    const s = await shop(new Date('2026-06-01T10:49:00Z'), { quietHours: { from: '22:00', to: '10:53' } });
    await s.customer('gus');
    await s.w.journey('cart', cartJourney());
    await s.add('gus', 'c-gus');
    assert.equal((await s.dispatch()).deferred, 1);
    await s.orderUnseen('gus', 'c-gus', '2026-06-01T10:50:00Z'); // the dispatcher runs next, at 10:53
    s.w.down(new Date('2026-06-01T10:53:00Z'));
    assert.deepEqual((await s.dispatch()).skipped, 1);
    assert.deepEqual(s.mails('gus'), []);
    assert.deepEqual(
      (await s.intents('gus')).map((i) => `${i.status} ${i.reason}`),
      ['skipped goal_reached'],
    );
    assert.deepEqual((await s.log()).slice(-1), ['gus Message Skipped goal_reached']);
  });

  it('the inbox has not got to the order when the run wakes: the runner finds it in the event log, ends the run, cancels the held reminder', async () => {
    const s = await shop(new Date('2026-06-01T21:00:00Z'), { quietHours: { from: '21:00', to: '09:00' } });
    await s.customer('lea');
    await s.w.journey('cart', reminderThenCoupon('PT1H'));
    await s.add('lea', 'c-lea');
    assert.equal((await s.dispatch()).deferred, 1);
    await s.orderUnseen('lea', 'c-lea', '2026-06-01T21:30:00Z');
    await t.db.query('DELETE FROM journey_inbox WHERE workspace_id = $1', [s.w.ws]); // another worker's inbox batch, not done yet
    await s.w.advance(new Date('2026-06-01T22:00:00Z'));
    const [run] = await t.db.query<{ status: string }>('SELECT status FROM journey_runs WHERE workspace_id = $1', [
      s.w.ws,
    ]);
    assert.equal(run!.status, 'exited');
    assert.deepEqual(
      (await s.intents('lea')).map((i) => `${i.template} ${i.status} ${i.reason}`),
      ['cart-reminder skipped goal_reached'],
      'no coupon either',
    );
  });

  it('exit on leave: a trial customer enters the segment at 22:30 (quiet hours), upgrades at 23:00 → the offer is cancelled; the one still on trial gets it at 09:00', async () => {
    const s = await shop(new Date('2026-06-01T22:00:00Z'), { quietHours: { from: '21:00', to: '09:00' } });
    await s.customer('hal');
    await s.customer('ivy');
    await s.w.segment('trial', { trait: 'plan', op: 'equals', value: 'trial' });
    await s.w.journey('upgrade', {
      trigger: { type: 'segment', segment: 'trial', on: 'enter', exitOnLeave: true },
      start: 'offer',
      steps: [{ id: 'offer', type: 'send', template: 'upgrade', channel: email }],
    });
    await s.at('2026-06-01T22:30:00Z');
    await s.w.send(...['hal', 'ivy'].map((u) => ({ type: 'identify', userId: u, traits: { plan: 'trial' } })));
    assert.equal((await s.dispatch()).deferred, 2);
    await s.at('2026-06-01T23:00:00Z');
    await s.w.send({ type: 'identify', userId: 'hal', traits: { plan: 'paid' } });
    assert.deepEqual(
      (await s.intents('hal')).map((i) => `${i.status} ${i.reason}`),
      ['skipped left_segment'],
    );
    assert.match((await s.intents('hal'))[0]!.reason_detail!, /left the segment "trial"/);
    await s.at('2026-06-02T09:00:00Z');
    assert.deepEqual(s.mails('hal'), []);
    assert.deepEqual(s.mails('ivy'), ['Upgrade now']);
  });

  it('validity: a reminder valid for 1 minute whose retries run past it expires (the waiting try is closed); one the worker held for 13 h expires by the 12 h default', async () => {
    const s = await shop(new Date('2026-06-01T10:00:00Z'), {});
    await s.customer('jon');
    await s.customer('kim');
    await s.w.journey('flash', {
      trigger: { type: 'event', event: 'Flash Sale Viewed' },
      start: 'offer',
      steps: [{ id: 'offer', type: 'send', template: 'news', channel: email, validFor: 'PT1M' }],
    });
    const jon = `jon.${s.w.ws.slice(-6)}@example.com`;
    await s.w.send({ type: 'track', userId: 'jon', event: 'Flash Sale Viewed' });
    smtp.reject.set(jon, 451);
    assert.equal((await s.dispatch()).retried, 1, 'retry at 10:00:30');
    smtp.reject.set(jon, 451);
    assert.equal(
      (await s.at('2026-06-01T10:00:30Z')).retried,
      1,
      'again refused: next try at 10:01:30, after it expires at 10:01',
    );
    assert.equal((await s.at('2026-06-01T10:01:30Z')).skipped, 1);
    assert.deepEqual(s.mails('jon'), [], 'never sent late');
    const [flash] = await s.intents('jon');
    assert.deepEqual(
      [flash!.status, flash!.reason, new Date(flash!.expires_at!).toISOString()],
      ['skipped', 'expired', '2026-06-01T10:01:00.000Z'],
    );
    const [m] = await t.db.query<{ status: string; error: string }>(
      'SELECT status, error FROM messages WHERE workspace_id = $1',
      [s.w.ws],
    );
    assert.deepEqual(
      [m!.status, m!.error],
      ['failed', 'not retried: no longer worth sending: valid until 2026-06-01T10:01:00.000Z'],
    );

    await s.w.journey('cart', cartJourney());
    await s.add('kim', 'c-kim');
    const [written] = await s.intents('kim');
    assert.equal(
      new Date(written!.expires_at!).getTime() - new Date(written!.created_at).getTime(),
      12 * 3_600_000,
      'an event-triggered marketing message: 12 h by default',
    );
    s.w.down(new Date('2026-06-01T23:01:00Z'));
    assert.equal((await s.dispatch()).skipped, 1);
    assert.deepEqual(s.mails('kim'), []);
    assert.deepEqual(
      (await s.log()).filter((l) => l.includes('Skipped')),
      ['jon Message Skipped expired', 'kim Message Skipped expired'],
    );
  });
});
