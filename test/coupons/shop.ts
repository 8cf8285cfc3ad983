// A coupon shop for scenario tests: a journey world on a virtual clock whose e-mail goes to a local SMTP server, a
// welcome template that prints the coupon, a pool of codes, consenting customers, and readers of what happened (the
// mails with their coupon, the codes, the message log, the timeline).
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { freshDb, type TestDb } from '../helpers/db.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { closeProviders } from '../../src/channels/store.ts';
import { journeyWorld } from '../journeys/world.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel } from '../../src/channels/store.ts';
import { recordConsent } from '../../src/consent/store.ts';
import { putGateSettings } from '../../src/messaging/gate-settings.ts';
import { dispatchDue, type DispatchOptions, type DispatchResult } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { createPool, importCodes, type PoolInput } from '../../src/coupons/index.ts';

const mjml = (text: string) =>
  `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;
/** The subject carries the coupon, so a mail says which code, value and expiry it gave. */
export const COUPON_SUBJECT = 'Code {{ coupon.code }} worth {{ coupon.value }} until {{ coupon.expires_at }}';

/** The welcome journey: a sign-up gets an e-mail with a code of pool `pool`. */
export const welcome = (pool: string) => ({
  trigger: { type: 'event', event: 'Signed Up' },
  start: 'gift',
  steps: [{ id: 'gift', type: 'send', template: 'welcome', channel: { fixed: 'email' }, coupon: { pool } }],
});

export type Smtp = Awaited<ReturnType<typeof smtpServer>>;

/** A suite's database and SMTP server, opened before its tests and closed after them. */
export function couponBed(): { t: TestDb; smtp: Smtp } {
  const bed = {} as { t: TestDb; smtp: Smtp };
  before(async () => {
    bed.t = await freshDb();
    bed.smtp = await smtpServer();
  });
  after(async () => {
    await closeProviders();
    await bed.smtp.close();
    await bed.t.close();
  });
  return bed;
}

export async function couponShop(t: TestDb, smtp: Smtp, start: Date, pool: Partial<PoolInput> & { codes: string[] }) {
  const w = await journeyWorld(t, start);
  const tag = w.ws.slice(-6);
  await putGateSettings(t.db, w.ws, { quietHours: null, caps: {} });
  await saveChannel(t.db, w.ws, 'email', {
    provider: 'smtp',
    config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
  });
  await createTemplate(t.db, w.ws, {
    id: 'welcome',
    name: 'welcome',
    defaultLocale: 'en',
    content: { en: { email: { subject: COUPON_SUBJECT, mjml: mjml('Welcome') } } },
  });
  await createPool(
    t.db,
    w.ws,
    {
      id: 'spring',
      name: 'Spring',
      value: { kind: 'amount', amount: 10, currency: 'EUR' },
      validity: { days: 7 },
      lowStock: 0,
      ...pool,
    } as PoolInput,
    w.now,
  );
  const imported = await importCodes(t.db, w.ws, 'spring', JSON.stringify(pool.codes), 'json', w.now);
  assert.deepEqual(imported.refused, []);
  const address = (user: string) => `${user}.${tag}@example.com`;
  const ids: Record<string, string> = {};
  const opts = (o: Partial<DispatchOptions> = {}): DispatchOptions => ({
    providers: configuredProviders(),
    renderer: templateRenderer,
    baseUrl: 'http://retain.test',
    ...o,
  });
  const shop = {
    w,
    ids,
    address,
    async customer(user: string, traits: Record<string, unknown> = {}) {
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
    },
    signUp: (user: string) => w.send({ type: 'track', userId: user, event: 'Signed Up' }),
    order: (user: string, orderId: string, coupon?: string) =>
      w.send({
        type: 'track',
        userId: user,
        event: 'Order Completed',
        properties: { orderId, total: 50, currency: 'EUR', ...(coupon ? { coupon } : {}) },
      }),
    /** Dispatches what is due until nothing is left. */
    async dispatch(o: Partial<DispatchOptions> = {}): Promise<DispatchResult> {
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
      for (let i = 0; i < 50; i++) {
        const r = await dispatchDue(t.db, w.now, opts(o));
        for (const k of Object.keys(total) as (keyof DispatchResult)[]) total[k] += r[k];
        if (r.claimed === 0) break;
      }
      return total;
    },
    opts,
    /** Each mail to the user, as its subject (which prints the coupon). */
    mails: (user: string) =>
      smtp.mails.filter((m) => m.to === address(user)).map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1]),
    /** The pool's codes given out, as "user code status". */
    async codes(): Promise<string[]> {
      const rows = await t.db.query<{
        user_id: string | null;
        code: string;
        redeemed: boolean;
        order_id: string | null;
      }>(
        `SELECT c.user_id, k.code, k.redeemed_at IS NOT NULL AS redeemed, k.order_id FROM coupon_codes k
         LEFT JOIN customers c ON c.workspace_id = k.workspace_id AND c.id = k.customer_id
         WHERE k.workspace_id = $1 AND k.customer_id IS NOT NULL ORDER BY c.user_id, k.code`,
        [w.ws],
      );
      return rows.map((r) => `${r.user_id} ${r.code}${r.redeemed ? ` redeemed by ${r.order_id}` : ''}`);
    },
    /** The customer's coupon and message events, as "name detail". */
    async timeline(user: string): Promise<string[]> {
      const rows = await t.db.query<{ name: string; p: Record<string, unknown> }>(
        `SELECT name, properties AS p FROM events WHERE workspace_id = $1 AND customer_id = $2 AND (name LIKE 'Coupon %' OR name LIKE 'Message %') ORDER BY timestamp, message_id`,
        [w.ws, ids[user]],
      );
      return rows.map(
        (r) =>
          `${r.name}${r.p.code ? ` ${r.p.code}` : ''}${r.p.reason ? ` ${r.p.reason}` : ''}${r.p.journeyId && r.name.startsWith('Coupon') ? ` from ${r.p.journeyId}/${r.p.stepId}` : ''}`,
      );
    },
    /** The user's messages not sent: reason and its words. */
    async notSent(user: string): Promise<string[]> {
      const rows = await t.db.query<{ reason: string; reason_detail: string }>(
        `SELECT reason, reason_detail FROM message_intents WHERE workspace_id = $1 AND customer_id = $2 AND status = 'skipped' ORDER BY id`,
        [w.ws, ids[user]],
      );
      return rows.map((r) => `${r.reason}: ${r.reason_detail}`);
    },
  };
  return shop;
}
