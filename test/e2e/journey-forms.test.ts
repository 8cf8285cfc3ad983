// The journey editor in a workspace with data, as a marketer picks from it: the trigger's event from the workspace's
// event names (with counts), a property key of that event, a trait key, the template and the channel from theirs; a
// branch on a segment chosen in condition rows (the segment builder's), and a wait of 2 months as a number and a unit.
// No JSON and no ISO duration typed: the Advanced tab then shows what the forms wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ingest } from '../../src/ingest/ingest.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { startDashboard } from '../helpers/browser.ts';

/** The options a datalist offers: value → its label. */
const offered = (page: Page, id: string) =>
  page.evaluate(
    `Object.fromEntries([...document.getElementById(${JSON.stringify(id)}).options].map((o) => [o.value, o.textContent]))`,
  ) as Promise<Record<string, string>>;

test('journey editor: pickers filled from the workspace, a branch in condition rows, a wait in months', {
  timeout: 120_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'journey-forms');
  const { running } = dashboard;
  const ws = running.firstWorkspace!;
  const now = new Date();
  const track = (userId: string, event: string, properties: Record<string, unknown>) => ({
    type: 'track',
    userId,
    event,
    properties,
    timestamp: now.toISOString(),
  });
  const r = await ingest(
    running.db,
    ws.id,
    [
      { type: 'identify', userId: 'ann', traits: { email: 'ann@example.com', first_name: 'Ann' } },
      track('ann', 'Product Added', { cartId: 'c1', sku: 'tea' }),
      track('ann', 'Product Added', { cartId: 'c1', sku: 'cup' }),
      track('bob', 'Product Added', { cartId: 'c2', sku: 'tea' }),
      track('ann', 'Order Completed', { orderId: 'o1', total: 20 }),
    ],
    { receivedAt: now },
  );
  assert.deepEqual(r.rejected, []);
  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${running.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${ws.adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json() as Promise<{ id: string }>;
  };
  const segment = await api('POST', '/segments', {
    name: 'Buyers',
    definition: { aggregate: 'orders_count', op: 'gte', value: 1 },
  });
  await createTemplate(running.db, ws.id, {
    id: 'cart-nudge',
    name: 'Cart nudge',
    defaultLocale: 'en',
    content: {
      en: {
        email: {
          subject: 'Your cart',
          mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section></mj-body></mjml>',
        },
      },
    },
  });
  await api('PUT', '/channels/email', {
    provider: 'smtp',
    config: { host: '127.0.0.1', port: 2525, from: 'Shop <shop@example.com>' },
  });

  const { page, errors, signIn } = await dashboard.openPage({ timeoutMs: 20_000, ignoreConsole: /status of 400/ });
  await signIn(ws.adminKey);
  await page.goto(`${running.url}/#/journeys/new`);
  await page.getByRole('heading', { name: 'New journey' }).waitFor();

  await t.test(
    "the pickers offer the workspace's own events (with counts), properties, traits, templates, channels and segments",
    async () => {
      await page.getByLabel('Journey name').fill('Cart with a branch');
      await page.getByTestId('trigger-node').click();
      const events = await offered(page, 'journey-events');
      assert.equal(events['Product Added'], '3 events');
      assert.equal(events['Order Completed'], '1 event');
      await page.getByLabel('Trigger event').fill('Product Added');
      await page.waitForFunction(`document.getElementById('journey-properties').options.length > 0`);
      const properties = await offered(page, 'journey-properties');
      assert.ok('cartId' in properties && 'sku' in properties, JSON.stringify(properties));
      assert.match(properties.sku!, /tea|cup/, 'with sample values');
      await page.getByLabel('Trigger key').fill('cartId');
      assert.ok(
        'email' in (await offered(page, 'journey-traits')) && 'first_name' in (await offered(page, 'journey-traits')),
      );
      assert.equal((await offered(page, 'journey-templates'))['cart-nudge'], 'Cart nudge (email)');
      assert.equal((await offered(page, 'journey-channels')).email, 'configured');
      assert.equal((await offered(page, 'journey-segments'))[segment.id], 'Buyers');
    },
  );

  await t.test(
    'a branch on the segment, picked in a condition row; a wait of 2 months; a send of the picked template',
    async () => {
      await page.getByRole('button', { name: 'Add branch' }).click();
      const condition = page.getByTestId('branch-condition');
      await condition.waitFor();
      await condition.getByLabel('Condition 1 kind').selectOption('segment');
      await condition.getByLabel('Condition 1 field').selectOption(segment.id);
      await page.getByRole('button', { name: 'Add delay' }).click();
      await page.getByLabel('Delay duration', { exact: true }).fill('2');
      await page.getByLabel('Delay duration unit').selectOption('months');
      await page.getByRole('button', { name: 'Add send' }).click();
      await page.getByLabel('Template', { exact: true }).fill('cart-nudge');
      await page.getByLabel('Channel', { exact: true }).fill('email');
    },
  );

  await t.test(
    'what the forms wrote: the condition, P2M and the template; the months read back as months',
    async () => {
      await page.getByRole('tab', { name: 'Advanced (JSON)' }).click();
      const json = JSON.parse(await page.getByLabel('Journey definition JSON').inputValue());
      assert.deepEqual(json.trigger, { type: 'event', event: 'Product Added', key: 'cartId' });
      const byType = Object.fromEntries(json.steps.map((s: { type: string }) => [s.type, s]));
      assert.equal(byType.branch.condition.segment, segment.id, JSON.stringify(byType.branch.condition));
      assert.equal(byType.delay.duration, 'P2M');
      assert.equal(byType.send.template, 'cart-nudge');
      await page.getByRole('tab', { name: 'Canvas' }).click();
      await page.getByTestId('step-node-delay').click();
      assert.equal(
        await page.getByLabel('Delay duration unit').inputValue(),
        'months',
        'the months read back as months',
      );
    },
  );
  assert.deepEqual(errors, []);
});
