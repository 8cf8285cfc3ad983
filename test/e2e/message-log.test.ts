// Browser test of what was not sent: ann's cart reminder, held by quiet hours, is cancelled by her order, and bob's is
// skipped for want of consent (real journeys and dispatcher, a local SMTP server); the Messages page's log shows both
// with their reasons, and filters by reason; Analytics counts them beside what was sent; the journey editor shows a send
// step's default validity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../../src/ingest/ingest.ts';
import { activateJourney, createJourney, putJourneySettings, tickJourneys } from '../../src/journeys/index.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { recordConsent } from '../../src/consent/store.ts';
import { putGateSettings } from '../../src/messaging/gate-settings.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { startDashboard, until } from '../helpers/browser.ts';
import { smtpServer } from '../helpers/smtp.ts';

const SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-message-log.png', import.meta.url));
const hhmm = (d: Date) => d.toISOString().slice(11, 16);

test('message log: a reminder cancelled by the order and one skipped without consent, each with its reason', {
  timeout: 90_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'message-log');
  const { running } = dashboard;
  const ws = running.firstWorkspace;
  assert.ok(ws, 'a fresh data dir gets a first workspace');
  const db = running.db;
  const smtp = await smtpServer();
  t.after(async () => {
    await closeProviders();
    await smtp.close();
  });
  const { page, errors: pageErrors, signIn } = await dashboard.openPage();
  // Now (the dashboard's default date range holds it), inside quiet hours made to cover it.
  const start = new Date();
  let now = start;
  const later = (minutes: number) => (now = new Date(start.getTime() + minutes * 60_000));
  /** Ingests at the clock, then does what the worker does: journeys, then the dispatcher. */
  const happen = async (...messages: object[]) => {
    const r = await ingest(
      db,
      ws.id,
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
          baseUrl: running.url,
        })
      ).claimed
    );
  };

  await t.test('set up and play it: the reminder held by quiet hours, the order, bob without consent', async () => {
    await putJourneySettings(db, ws.id, { share: 0 });
    await putGateSettings(db, ws.id, {
      quietHours: {
        from: hhmm(new Date(start.getTime() - 3600_000)),
        to: hhmm(new Date(start.getTime() + 3 * 3600_000)),
      },
      caps: {},
    });
    await saveChannel(db, ws.id, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    const mjml =
      '<mjml><mj-body><mj-section><mj-column><mj-text>You left these in your cart</mj-text></mj-column></mj-section></mj-body></mjml>';
    await createTemplate(db, ws.id, {
      id: 'cart-reminder',
      name: 'Cart reminder',
      defaultLocale: 'en',
      content: { en: { email: { subject: 'Your cart', mjml } } },
    });
    await createJourney(
      db,
      ws.id,
      {
        id: 'cart',
        name: 'Abandoned cart',
        definition: {
          trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
          goal: { event: 'Order Completed', sameKey: true },
          start: 'remind',
          steps: [{ id: 'remind', type: 'send', template: 'cart-reminder', channel: { fixed: 'email' } }],
        },
      },
      now,
    );
    await activateJourney(db, ws.id, 'cart', now);
    await happen(
      ...['ann', 'bob'].map((u) => ({ type: 'identify', userId: u, traits: { email: `${u}@example.com` } })),
    );
    const [ann] = await db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
      [ws.id],
    );
    await recordConsent(db, ws.id, ann!.id, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'signup_form',
      at: now,
    });
    later(1);
    await happen(
      ...['ann', 'bob'].map((u) => ({
        type: 'track',
        userId: u,
        event: 'Product Added',
        properties: { cartId: `c-${u}` },
      })),
    );
    later(2);
    await happen({
      type: 'track',
      userId: 'ann',
      event: 'Order Completed',
      properties: { orderId: 'o-1', cartId: 'c-ann' },
    });
    assert.equal(smtp.mails.length, 0, 'nothing went out');
  });

  await t.test('the log on the Messages page shows both, with the reason and its words', async () => {
    await signIn(ws.adminKey);
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByTestId('messages-table').waitFor();
    const rows = page.getByTestId('messages-table').locator('tbody tr');
    const texts = await until('both rows', async () => {
      const all = (await rows.allTextContents()).map((r) => r.replace(/\s+/g, ' '));
      return all.length === 2 ? all : undefined;
    });
    assert.match(
      texts[0]!,
      /ann.*email.*cart-reminder.*skipped Goal reached.*the journey's goal was reached \(Order Completed at .*\).*cart · remind/,
    );
    assert.match(texts[1]!, /bob.*skipped No consent.*email: no consent/);
    assert.deepEqual(await page.getByTestId('message-reason').allTextContents(), [' Goal reached', ' No consent']);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  await t.test('filtered by reason: only the cancelled reminder', async () => {
    await page.getByLabel('Filter by reason').selectOption('goal_reached');
    await page.getByRole('button', { name: 'Filter' }).click();
    await until('one row', async () =>
      (await page.getByTestId('messages-table').locator('tbody tr').count()) === 1 ? true : undefined,
    );
    assert.match((await page.getByTestId('messages-table').locator('tbody tr').first().textContent())!, /^.*ann/);
  });

  await t.test('filtered by journey: both belong to the abandoned cart', async () => {
    await page.getByLabel('Filter by reason').selectOption('');
    await page.getByLabel('Filter by journey').selectOption({ label: 'Abandoned cart' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await until('two rows', async () =>
      (await page.getByTestId('messages-table').locator('tbody tr').count()) === 2 ? true : undefined,
    );
  });

  await t.test("bob's profile: his skipped message with its reason, no consent, his journey run", async () => {
    const [bob] = await db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'bob'",
      [ws.id],
    );
    await page.goto(`${running.url}/#/customers/${bob!.id}`);
    const messages = page.getByTestId('customer-messages');
    await messages.getByTestId('messages-table').waitFor();
    assert.match(
      (await messages.locator('tbody tr').allTextContents()).join('|').replace(/\s+/g, ' '),
      /^[^|]*skipped No consent[^|]*$/,
    );
    await page
      .getByTestId('customer-consents')
      .getByText(/No consent given or refused yet/)
      .waitFor();
    await page.getByTestId('customer-run').first().waitFor();
    assert.match((await page.getByTestId('customer-run').first().textContent())!, /cart.*completed.*remind/);
  });

  await t.test("ann's profile: her consent in force and its audit trail", async () => {
    const [ann] = await db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
      [ws.id],
    );
    await page.goto(`${running.url}/#/customers/${ann!.id}`);
    await page.getByTestId('consent-state').first().waitFor();
    assert.match(
      (await page.getByTestId('consent-state').first().textContent())!,
      /^email · marketing: granted .*\(signup_form\)/,
    );
    await page.getByText(/^Audit trail \(1\)$/).click();
    assert.match(
      (await page.getByTestId('consent-trail-row').first().textContent())!,
      /email · marketinggrantedsignup_form/,
    );
  });

  await t.test(
    "the journey's customer runs show ann's run with its message at the step, and why it was not sent",
    async () => {
      await page.goto(`${running.url}/#/journeys/cart`);
      await page.getByLabel('Customer (user id or customer id)').fill('ann');
      await page.getByRole('button', { name: 'Show runs' }).click();
      const run = page.getByTestId('journey-run').first();
      await run.locator('[data-testid^=run-messages-] tbody tr').first().waitFor();
      assert.match(
        (await run.locator('[data-testid^=run-messages-] tbody tr').first().textContent())!.replace(/\s+/g, ' '),
        /skipped Goal reached.*cart · remind/,
      );
    },
  );

  await t.test('Analytics counts them beside what was sent', async () => {
    await page.getByRole('link', { name: 'Analytics', exact: true }).click();
    await page.getByTestId('metrics-not-sent').waitFor();
    const card = ((await page.getByTestId('metrics-not-sent').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(card, /1 deferred .*2 skipped.*0 expired/);
    assert.deepEqual(
      await page.getByRole('list', { name: 'Skipped by reason' }).getByRole('listitem').allTextContents(),
      ['Goal reached: 1', 'No consent: 1'],
    );
  });

  await t.test("the journey editor shows the reminder's validity by default", async () => {
    await page.goto(`${running.url}/#/journeys/cart`);
    await page.getByTestId('step-node-remind').click();
    assert.equal(await page.getByLabel('Valid for', { exact: true }).getAttribute('placeholder'), '12');
    assert.equal(await page.getByLabel('Valid for unit').inputValue(), 'hours');
    assert.match((await page.getByText(/how long the message stays worth sending/).textContent())!, /Empty: 12 hours/);
  });

  assert.deepEqual(pageErrors, []);
});
