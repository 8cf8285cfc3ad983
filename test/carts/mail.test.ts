// The README's abandoned-cart and browse-abandonment journeys and templates, end to end with spec-style events: ingest
// → journeys → dispatcher → a real SMTP server, which receives the cart's lines and total, or the product looked at.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { readmeJson, readmeTemplate } from '../helpers/readme.ts';
import { readMail } from '../helpers/mail-parts.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { recordConsent } from '../../src/consent/store.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { activateJourney, createJourney, putJourneySettings, tickJourneys } from '../../src/journeys/index.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { upsertProducts } from '../../src/customers/products.ts';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe(`the README's cart journeys with spec-style events, to a real SMTP server (${backend})`, () => {
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

  it('cart left → 1 h → the reminder lists its lines and total; ordered within the hour → nothing; a product looked at → 4 h → its e-mail', async () => {
    const ws = (await createWorkspace(t.db, 'shop')).id;
    await putJourneySettings(t.db, ws, { share: 0, timezone: 'UTC' });
    await saveChannel(t.db, ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    for (const id of ['cart-reminder', 'cart-coupon', 'browse-reminder'])
      await createTemplate(t.db, ws, readmeTemplate(id));
    for (const [id, intro] of [
      ['abandoned-cart', 'The abandoned-cart journey as JSON:'],
      ['browse', 'The browse-abandonment journey'],
    ] as const) {
      await createJourney(t.db, ws, { id, name: id, definition: readmeJson(intro) }, at(0));
      await activateJourney(t.db, ws, id, at(0));
    }
    await upsertProducts(t.db, ws, [
      {
        id: 'lamp',
        name: 'Desk lamp',
        price: 45,
        url: 'https://shop.test/lamp',
        imageUrl: 'https://shop.test/lamp.png',
      },
    ]);
    const send = async (minutes: number, ...messages: object[]) => {
      const r = await ingest(
        t.db,
        ws,
        messages.map((m) => ({ timestamp: at(minutes).toISOString(), ...m })),
        { receivedAt: at(minutes) },
      );
      assert.deepEqual(r.rejected, []);
    };
    await send(
      0,
      ...['ann', 'bob', 'cy'].map((u) => ({
        type: 'identify',
        userId: u,
        traits: { first_name: u.toUpperCase(), email: `${u}@example.com` },
      })),
    );
    for (const { id } of await t.db.query<{ id: string }>('SELECT id::text FROM customers WHERE workspace_id = $1', [
      ws,
    ])) {
      await recordConsent(t.db, ws, id, {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'signup_form',
        ip: '203.0.113.9',
        textVersion: 'v1',
        at: at(0),
      });
    }
    const kettle = {
      product_id: 'kettle',
      sku: 'K-2',
      name: 'Kettle',
      price: 30,
      quantity: 1,
      currency: 'EUR',
      image_url: 'https://shop.test/kettle.png',
      url: 'https://shop.test/kettle',
    };
    await send(
      1,
      {
        type: 'track',
        userId: 'ann',
        event: 'Product Added',
        properties: { cart_id: 'c-ann', ...kettle, cart_url: 'https://shop.test/cart' },
      },
      {
        type: 'track',
        userId: 'ann',
        event: 'Product Added',
        properties: { cart_id: 'c-ann', product_id: 'mug', name: 'Mug', price: 7.5, quantity: 2 },
      },
      { type: 'track', userId: 'bob', event: 'Product Added', properties: { cart_id: 'c-bob', ...kettle } },
      { type: 'track', userId: 'cy', event: 'Product Viewed', properties: { product_id: 'lamp' } },
    );
    await tickJourneys(t.db, at(1));
    // Later, before the reminder: ann adds a lamp and takes it out again; bob orders (his order names no cart).
    await send(
      20,
      {
        type: 'track',
        userId: 'ann',
        event: 'Product Added',
        properties: { cart_id: 'c-ann', product_id: 'lamp', price: 45 },
      },
      { type: 'track', userId: 'ann', event: 'Product Removed', properties: { cart_id: 'c-ann', product_id: 'lamp' } },
      {
        type: 'track',
        userId: 'bob',
        event: 'Order Completed',
        properties: { order_id: 'o-bob', total: 30, currency: 'EUR' },
      },
    );
    await tickJourneys(t.db, at(20));
    const before = smtp.mails.length;
    const run = async (minutes: number) => {
      await tickJourneys(t.db, at(minutes));
      return dispatchDue(t.db, at(minutes), {
        providers: configuredProviders(),
        renderer: templateRenderer,
        baseUrl: 'http://retain.test',
      });
    };

    assert.equal((await run(62)).sent, 1, 'the cart reminder, to ann only');
    const reminder = smtp.mails.slice(before);
    assert.deepEqual(
      reminder.map((m) => m.to),
      ['ann@example.com'],
    );
    const mail = readMail(reminder[0]!.raw);
    assert.equal(mail.header('Subject'), 'Your cart, ANN');
    const text = mail.text!.replace(/\s+/g, ' ');
    assert.match(text, /1 × Kettle €30\.00 2 × Mug €15\.00 Total: €45\.00/);
    assert.doesNotMatch(text, /lamp/i, 'the lamp was taken out again');
    assert.match(mail.html!, /Back to your cart/);

    assert.equal((await run(242)).sent, 1, 'the browse e-mail, 4 h after the product was viewed');
    const browse = readMail(smtp.mails.at(-1)!.raw);
    assert.equal(smtp.mails.at(-1)!.to, 'cy@example.com');
    assert.equal(browse.header('Subject'), 'Still thinking about Desk lamp?', 'the name from the catalogue');
    assert.match(browse.html!, /src="https:\/\/shop\.test\/lamp\.png"/);
    // The viewed product names no currency: money is in the workspace's base, here EUR (bob's order, the one currency its orders are in).
    assert.match(browse.text!.replace(/\s+/g, ' '), /Desk lamp €45\.00/);
    assert.equal(smtp.mails.length - before, 2, 'bob, who ordered, got nothing');
  });
});
