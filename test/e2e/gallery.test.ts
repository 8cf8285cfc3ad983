// Browser test of the journey gallery: an empty workspace with an SMTP channel saved through the API (a local SMTP
// server), Journeys → "Start from a recipe" → Abandoned cart → the editor shows its waits as "1 hours" style fields
// and its coupon as a row, with no ISO duration or JSON in sight → Activate → Product Added through /v1/batch → the
// worker's tick and the dispatcher an hour later → the e-mail arrives at the server and shows in the message log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { putJourneySettings, tickJourneys } from '../../src/journeys/index.ts';
import { closeProviders } from '../../src/channels/store.ts';
import { recordConsent } from '../../src/consent/store.ts';
import { putGateSettings } from '../../src/messaging/gate-settings.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { startDashboard, until } from '../helpers/browser.ts';
import { smtpServer } from '../helpers/smtp.ts';

const SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-gallery-editor.png', import.meta.url));
/** An ISO 8601 duration (PT1H, P23D, P1W) as the definition stores it. */
const ISO_DURATION = /\bP(?:\d+[DW]|T\d+[HMS])/;

test('journey gallery: the abandoned cart from a recipe, in plain words, sends its e-mail', {
  timeout: 120_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'gallery');
  const { running } = dashboard;
  const ws = running.firstWorkspace;
  assert.ok(ws, 'a fresh data dir gets a first workspace');
  const db = running.db;
  const smtp = await smtpServer();
  t.after(async () => {
    await closeProviders();
    await smtp.close();
  });
  const api = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json();
  };
  // Whether ann is in the 5% control group would depend on the random workspace id; quiet hours on the time of day.
  await putJourneySettings(db, ws.id, { share: 0 });
  await putGateSettings(db, ws.id, { quietHours: null });
  await api('PUT', '/api/v1/channels/email', ws.adminKey, {
    provider: 'smtp',
    config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
  });
  const { page, errors: pageErrors, signIn } = await dashboard.openPage();

  await t.test('Journeys → Start from a recipe → Abandoned cart opens its draft in the editor', async () => {
    await signIn(ws.adminKey);
    await page.getByRole('link', { name: 'Journeys', exact: true }).click();
    await page.getByTestId('journeys-empty').waitFor();
    const gallery = page.getByTestId('journey-gallery');
    await gallery.getByRole('heading', { name: 'Start from a recipe' }).waitFor();
    await gallery.getByRole('button', { name: 'Create “Abandoned cart”' }).click();
    await until('the editor of the new draft', async () =>
      new URL(page.url()).hash === '#/journeys/abandoned-cart' ? true : undefined,
    );
    await page.getByTestId('journey-status').waitFor();
    assert.equal((await page.getByTestId('journey-status').textContent())?.trim(), 'draft');
  });

  await t.test(
    'the editor speaks plainly: waits as number + unit, the coupon as a row, no ISO duration and no JSON',
    async () => {
      await page.getByTestId('step-node-hour').click();
      assert.equal(await page.getByLabel('Delay duration', { exact: true }).inputValue(), '1');
      assert.equal(await page.getByLabel('Delay duration unit').inputValue(), 'hours');
      await page.getByTestId('step-node-day').click();
      assert.equal(await page.getByLabel('Delay duration', { exact: true }).inputValue(), '23');
      assert.equal(await page.getByLabel('Delay duration unit').inputValue(), 'hours');
      await page.getByTestId('step-node-coupon').click();
      assert.equal(await page.getByLabel('Template', { exact: true }).inputValue(), 'cart-coupon');
      assert.equal(await page.getByLabel('Template params 1: key').inputValue(), 'coupon');
      assert.equal(await page.getByLabel('Template params 1: value').inputValue(), 'CART10');
      assert.equal(
        await page.getByLabel('Valid for', { exact: true }).inputValue(),
        '',
        'the default validity, shown as its placeholder',
      );
      for (const node of [
        'trigger-node',
        'step-node-hour',
        'step-node-reminder',
        'step-node-day',
        'step-node-coupon',
      ]) {
        await page.getByTestId(node).click();
        const side = page.getByRole('complementary', { name: 'Selected node' });
        const values = await side
          .locator('input, select')
          .evaluateAll((els) =>
            els.map((e) => (e as HTMLInputElement).value + ' ' + ((e as HTMLInputElement).placeholder ?? '')),
          );
        const text = [await page.locator('main').innerText(), ...values].join('\n');
        assert.doesNotMatch(text, ISO_DURATION, node);
        assert.doesNotMatch(text, /[{}]/, `${node}: no JSON`);
        assert.equal(await page.locator('textarea').count(), 0, node);
      }
      await page.getByTestId('journey-valid').waitFor(); // e-mail is configured and the recipe brought its templates
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    },
  );

  await t.test(
    'activate, then Product Added through /v1/batch: an hour later the reminder arrives by SMTP',
    async () => {
      await page.getByRole('button', { name: 'Activate' }).click();
      await until('active', async () =>
        (await page.getByTestId('journey-status').textContent())?.trim() === 'active' ? true : undefined,
      );
      const start = new Date();
      await api('POST', '/v1/batch', ws.writeKey, {
        batch: [
          {
            type: 'identify',
            userId: 'ann',
            traits: { email: 'ann@example.com', first_name: 'Ann' },
            timestamp: start.toISOString(),
          },
        ],
      });
      const [ann] = await db.query<{ id: string }>(
        "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
        [ws.id],
      );
      await recordConsent(db, ws.id, ann!.id, {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'signup_form',
        at: start,
      });
      await api('POST', '/v1/batch', ws.writeKey, {
        batch: [
          {
            type: 'track',
            userId: 'ann',
            event: 'Product Added',
            properties: { cartId: 'c1', product_id: 'p1', name: 'Tea', price: 12.5, quantity: 2, currency: 'EUR' },
            timestamp: start.toISOString(),
          },
        ],
      });
      /** What the worker does at `at`: journeys, then the dispatcher until nothing is due. */
      const work = async (at: Date) => {
        await tickJourneys(db, at);
        while (
          (
            await dispatchDue(db, at, {
              providers: configuredProviders(),
              renderer: templateRenderer,
              baseUrl: running.url,
            })
          ).claimed
        );
      };
      await work(new Date(start.getTime() + 1000));
      assert.equal(smtp.mails.length, 0, 'nothing before the hour is up');
      await work(new Date(start.getTime() + 61 * 60_000));
      assert.equal(smtp.mails.length, 1);
      assert.equal(smtp.mails[0]!.to, 'ann@example.com');
      assert.match(smtp.mails[0]!.raw, /Subject: You left something in your cart, Ann/);
    },
  );

  await t.test('the message log shows it sent', async () => {
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    const rows = page.getByTestId('messages-table').locator('tbody tr');
    const text = await until('the reminder in the log', async () => {
      const all = (await rows.allTextContents()).map((r) => r.replace(/\s+/g, ' '));
      return all.length === 1 ? all[0] : undefined;
    });
    assert.match(text!, /ann.*email.*cart-reminder.*sent.*abandoned-cart · reminder/);
  });

  await t.test('a step added after the last one is placed in view', async () => {
    await page.goto(`${running.url}/#/journeys/abandoned-cart`);
    await page.getByTestId('step-node-coupon').click();
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Add delay' }).click();
    const canvas = (await page.getByTestId('journey-canvas').boundingBox())!;
    const last = page.getByTestId('step-node-delay-3');
    await until('the new step drawn inside the canvas', async () => {
      const box = await last.boundingBox();
      return box &&
        box.y >= canvas.y &&
        box.y + box.height <= canvas.y + canvas.height &&
        box.x >= canvas.x &&
        box.x + box.width <= canvas.x + canvas.width
        ? true
        : undefined;
    });
  });

  assert.deepEqual(pageErrors, []);
});
