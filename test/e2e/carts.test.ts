// Browser test of a customer's open carts: spec-style cart events sent through the API show on the customer's profile
// as the shop's cart (lines, quantities, totals); the cart an order closed does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDashboard } from '../helpers/browser.ts';

test('customer profile: the open cart built from Product Added / Removed, without the ordered one', {
  timeout: 60_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'carts');
  const { running } = dashboard;
  const ws = running.firstWorkspace;
  assert.ok(ws, 'a fresh data dir gets a first workspace');
  const post = async (path: string, key: string, body?: object) => {
    const res = await fetch(`${running.url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json();
  };
  const track = (event: string, minute: number, properties: object) => ({
    type: 'track',
    userId: 'ann',
    event,
    properties,
    timestamp: new Date(Date.UTC(2026, 5, 1, 12, minute)).toISOString(),
  });
  await post('/v1/batch', ws.writeKey, {
    batch: [
      track('Product Added', 0, { cart_id: 'c-old', product_id: 'mug', name: 'Mug', price: 7.5 }),
      track('Order Completed', 1, { order_id: 'o-1', cart_id: 'c-old', total: 7.5 }),
      track('Product Added', 2, { cart_id: 'c-new', product_id: 'kettle', name: 'Kettle', price: 30, currency: 'EUR' }),
      track('Product Added', 3, { cart_id: 'c-new', product_id: 'tea', name: 'Green tea', price: 4.25, quantity: 3 }),
      track('Product Added', 4, { cart_id: 'c-new', product_id: 'lamp', name: 'Desk lamp', price: 45 }),
      track('Product Removed', 5, { cart_id: 'c-new', product_id: 'lamp' }),
    ],
  });
  const found = await post('/api/v1/customers?q=ann', ws.adminKey);
  const id = found.customers[0].id;

  const { page, errors, signIn } = await dashboard.openPage();
  await signIn(ws.adminKey);
  await page.goto(`${running.url}/#/customers/${id}`);
  const carts = page.getByTestId('open-cart');
  await carts.first().waitFor();
  assert.equal(await carts.count(), 1, 'only the open cart; the ordered one is not shown');
  assert.match((await carts.first().locator('p').textContent()) ?? '', /^Cart c-new/);
  const lines = await page
    .getByTestId('cart-line')
    .evaluateAll((rows) => rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
  assert.deepEqual(lines, [
    ['Kettle', '1', '30.00', '30.00'],
    ['Green tea', '3', '4.25', '12.75'],
  ]);
  assert.equal((await page.getByTestId('cart-total').textContent())?.trim(), '42.75');
  assert.deepEqual(errors, []);
});
